// The workload catalog: loading scenarios/workloads/*.json strictly, and matching python invocations.
#include "spotcheck/catalog.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "spotcheck/effects.hpp"
#include "spotcheck/error.hpp"
#include "spotcheck/text.hpp"

namespace spotcheck {
namespace {

using nlohmann::json;

std::string basename_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// `--k=v` becomes `--k`, `v`, so catalogs can spell either form and still match.
std::vector<std::string> split_key_values(const std::vector<std::string>& tokens) {
  std::vector<std::string> out;
  for (const auto& token : tokens) {
    auto eq = token.find('=');
    if (token.starts_with("--") && eq != std::string::npos) {
      out.push_back(token.substr(0, eq));
      out.push_back(token.substr(eq + 1));
    } else {
      out.push_back(token);
    }
  }
  return out;
}

bool contains_all(const std::vector<std::string>& haystack, const std::vector<std::string>& needles) {
  return std::all_of(needles.begin(), needles.end(), [&](const std::string& needle) {
    return std::find(haystack.begin(), haystack.end(), needle) != haystack.end();
  });
}

// ---------------------------------------------------------------- python command lines

// Single-letter interpreter options that take a value (-W arg, -X opt); -c and -m end the options.
constexpr std::string_view kPythonValueLetters = "WX";
constexpr std::string_view kPythonInfoLetters = "hV?";  // print and exit: no target runs

PythonCommand rest_as(PythonCommand::Kind kind, std::string target, const std::vector<std::string>& argv,
                      std::size_t next) {
  PythonCommand command;
  command.kind = kind;
  command.target = std::move(target);
  command.args.assign(argv.begin() + static_cast<std::ptrdiff_t>(std::min(next, argv.size())), argv.end());
  return command;
}

// Reads one `-abc` cluster at argv[i]. Returns a finished command (-c/-m/-h), or advances `i`.
std::optional<PythonCommand> read_short_cluster(const std::vector<std::string>& argv, std::size_t& i) {
  const std::string& token = argv[i];
  for (std::size_t j = 1; j < token.size(); ++j) {
    char letter = token[j];
    if (kPythonInfoLetters.find(letter) != std::string_view::npos) {
      return PythonCommand{};
    }
    bool ends_options = letter == 'c' || letter == 'm';
    if (!ends_options && kPythonValueLetters.find(letter) == std::string_view::npos) {
      continue;
    }
    bool attached = j + 1 < token.size();
    std::string value = attached ? token.substr(j + 1) : (i + 1 < argv.size() ? argv[i + 1] : "");
    if (!attached) {
      ++i;
    }
    if (!ends_options) {
      return std::nullopt;
    }
    auto kind = letter == 'c' ? PythonCommand::Kind::Code : PythonCommand::Kind::Module;
    return rest_as(kind, value, argv, i + 1);
  }
  return std::nullopt;
}

}  // namespace

bool is_versioned_name(std::string_view tool, std::string_view stem, bool version_required) {
  // stem, then digits in dot-separated groups: python, python3, python3.12 (no regex: it costs
  // a millisecond to compile in every shim process).
  if (tool.substr(0, stem.size()) != stem) return false;
  const std::string_view version = tool.substr(stem.size());
  if (version.empty()) return !version_required;
  bool digit_expected = true;
  for (char c : version) {
    const bool digit = c >= '0' && c <= '9';
    if (!digit && (c != '.' || digit_expected)) return false;
    digit_expected = c == '.';
  }
  return !digit_expected;
}

bool is_python_tool(const std::string& tool) {
  return is_versioned_name(tool, "python", false);
}

PythonCommand parse_python_command(const std::vector<std::string>& argv) {
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const std::string& token = argv[i];
    if (token == "-") {
      return rest_as(PythonCommand::Kind::Stdin, "-", argv, i + 1);
    }
    if (token == "--") {
      if (i + 1 >= argv.size()) {
        return PythonCommand{};
      }
      return rest_as(PythonCommand::Kind::Script, argv[i + 1], argv, i + 2);
    }
    if (!token.starts_with("-")) {
      return rest_as(PythonCommand::Kind::Script, token, argv, i + 1);
    }
    if (token.starts_with("--")) {
      if (token == "--check-hash-based-pycs") {
        ++i;
      } else if (token.starts_with("--help") || token == "--version") {
        return PythonCommand{};
      }
      continue;
    }
    if (auto done = read_short_cluster(argv, i)) {
      return *done;
    }
  }
  return PythonCommand{};
}

std::optional<WorkloadInvocation> WorkloadCatalog::find(const std::vector<std::string>& python_argv) const {
  PythonCommand command = parse_python_command(python_argv);
  if (command.kind != PythonCommand::Kind::Script) {
    return std::nullopt;
  }
  const std::string script = basename_of(command.target);
  const std::vector<std::string> tokens = split_key_values(command.args);
  for (const auto& entrypoint : entrypoints) {
    if (entrypoint.script != script) {
      continue;
    }
    for (const auto& invocation : entrypoint.invocations) {
      if (contains_all(tokens, split_key_values(invocation.args_contain))) {
        return invocation;
      }
    }
  }
  return std::nullopt;
}

// ---------------------------------------------------------------- loading

namespace {

// JSON pointer escaping (RFC 6901): "~" -> "~0", "/" -> "~1".
std::string pointer_token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string json_quoted(const std::string& text) {
  return json(text).dump();
}

std::string describe_value(const json& value) {
  std::string text = value.dump();
  if (text.size() > 40) {
    text = text.substr(0, 37) + "...";
  }
  return std::string(value.type_name()) + " " + text;
}

// Levenshtein distance, for "did you mean" on unknown keys and effect names.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string did_you_mean(const std::string& got, const std::vector<std::string>& candidates) {
  const std::string* best = nullptr;
  std::size_t best_distance = 3;  // farther than 2 edits is not a typo
  for (const auto& candidate : candidates) {
    std::size_t distance = edit_distance(got, candidate);
    if (distance < best_distance) {
      best = &candidate, best_distance = distance;
    }
  }
  return best ? " (did you mean " + json_quoted(*best) + "?)" : "";
}

// Reads one catalog file; every complaint names the file and the JSON pointer of the bad value.
class CatalogFileReader {
 public:
  explicit CatalogFileReader(std::string file) : file_(std::move(file)) {}

  // The optional "launcher" and "preflight" keys name the module's launcher and preflight entrypoint.
  std::optional<ModuleContract> contract(const json& document) const {
    if (!document.contains("launcher")) return std::nullopt;
    ModuleContract c;
    c.module = string_at(document, "", "module");
    c.file = file_;
    c.launcher = string_at(document, "", "launcher");
    if (!document.contains("preflight"))
      fail("/preflight",
           "expected {\"script\": ..., \"args_contain\": [...]} naming the preflight entrypoint of the launcher");
    const json& p = document.at("preflight");
    expect_keys(p, "/preflight", {"script", "args_contain"}, {});
    c.preflight_script = string_at(p, "/preflight", "script");
    c.preflight_args = strings_at(p, "/preflight", "args_contain");
    return c;
  }

  std::vector<WorkloadEntrypoint> read(const json& document) const {
    expect_keys(document, "", {"module", "entrypoints"}, {"$schema", "description", "launcher", "preflight"});
    const std::string module = string_at(document, "", "module");
    const json& list = non_empty_array_at(document, "", "entrypoints");
    std::vector<WorkloadEntrypoint> entrypoints;
    for (std::size_t i = 0; i < list.size(); ++i) {
      entrypoints.push_back(entrypoint(list[i], "/entrypoints/" + std::to_string(i), module));
    }
    return entrypoints;
  }

  [[noreturn]] void fail(const std::string& pointer, const std::string& what) const {
    throw bad_input(file_, (pointer.empty() ? "/" : pointer) + ": " + what);
  }

 private:
  WorkloadEntrypoint entrypoint(const json& object, const std::string& at, const std::string& module) const {
    expect_keys(object, at, {"script", "invocations"}, {"description"});
    WorkloadEntrypoint entry;
    entry.module = module;
    entry.script = string_at(object, at, "script");
    if (entry.script.empty() || entry.script.find('/') != std::string::npos) {
      fail(at + "/script", "expected a script file name without directories, got " + json_quoted(entry.script));
    }
    const json& list = non_empty_array_at(object, at, "invocations");
    for (std::size_t i = 0; i < list.size(); ++i) {
      entry.invocations.push_back(invocation(list[i], at + "/invocations/" + std::to_string(i)));
    }
    return entry;
  }

  WorkloadInvocation invocation(const json& object, const std::string& at) const {
    expect_keys(object, at, {"args_contain", "effects"}, {"stdout", "exit", "description", "outputs"});
    WorkloadInvocation result;
    result.args_contain = strings_at(object, at, "args_contain");
    result.effects = effects_at(object, at);
    if (object.contains("stdout")) {
      result.stdout_text = string_at(object, at, "stdout");
    }
    if (object.contains("description")) {
      result.description = string_at(object, at, "description");
    }
    if (object.contains("exit")) {
      result.exit = exit_at(object, at);
    }
    if (object.contains("outputs")) result.outputs = outputs_at(object.at("outputs"), at + "/outputs");
    return result;
  }

  std::vector<WorkloadInvocation::Output> outputs_at(const json& list, const std::string& at) const {
    if (!list.is_array()) fail(at, "expected an array of {\"path\" or \"arg\", \"text\"} objects");
    std::vector<WorkloadInvocation::Output> outputs;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string where = at + "/" + std::to_string(i);
      expect_keys(list[i], where, {"text"}, {"path", "arg"});
      WorkloadInvocation::Output o;
      o.text = string_at(list[i], where, "text");
      if (list[i].contains("path")) o.path = string_at(list[i], where, "path");
      if (list[i].contains("arg")) o.arg = string_at(list[i], where, "arg");
      if (o.path.empty() == o.arg.empty()) fail(where, "expected exactly one of \"path\" or \"arg\"");
      outputs.push_back(o);
    }
    return outputs;
  }

  std::vector<std::string> effects_at(const json& object, const std::string& at) const {
    std::vector<std::string> effects = strings_at(object, at, "effects");
    for (std::size_t i = 0; i < effects.size(); ++i) {
      const std::string where = at + "/effects/" + std::to_string(i);
      if (!is_effect_name(effects[i])) {
        fail(where, "expected one of " + join(effect_names(), ", ") + ", got " + json_quoted(effects[i]) +
                        did_you_mean(effects[i], effect_names()));
      }
      if (std::find(effects.begin(), effects.begin() + static_cast<std::ptrdiff_t>(i), effects[i]) !=
          effects.begin() + static_cast<std::ptrdiff_t>(i)) {
        fail(where, "effect " + json_quoted(effects[i]) + " is listed twice");
      }
    }
    bool config = std::find(effects.begin(), effects.end(), "config.write") != effects.end();
    bool write = std::find(effects.begin(), effects.end(), "s3.write") != effects.end();
    if (config && !write) {
      fail(at + "/effects", "config.write is an s3.write under a config prefix; add \"s3.write\"");
    }
    return effects;
  }

  int exit_at(const json& object, const std::string& at) const {
    const json& value = object.at("exit");
    if (!value.is_number_integer() || value.get<long long>() < 0 || value.get<long long>() > 255) {
      fail(at + "/exit", "expected an integer exit status 0..255, got " + describe_value(value));
    }
    return value.get<int>();
  }

  void expect_keys(const json& object, const std::string& at, const std::vector<std::string>& required,
                   const std::vector<std::string>& optional) const {
    if (!object.is_object()) {
      fail(at, "expected an object, got " + describe_value(object));
    }
    std::vector<std::string> known = required;
    known.insert(known.end(), optional.begin(), optional.end());
    for (const auto& [key, value] : object.items()) {
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        fail(at + "/" + pointer_token(key),
             "unknown key " + json_quoted(key) + did_you_mean(key, known) + "; expected one of " + join(known, ", "));
      }
    }
    for (const auto& key : required) {
      if (!object.contains(key)) {
        fail(at, "missing required key " + json_quoted(key));
      }
    }
  }

  std::string string_at(const json& object, const std::string& at, const std::string& key) const {
    const json& value = object.at(key);
    if (!value.is_string()) {
      fail(at + "/" + key, "expected a string, got " + describe_value(value));
    }
    return value.get<std::string>();
  }

  const json& non_empty_array_at(const json& object, const std::string& at, const std::string& key) const {
    const json& value = object.at(key);
    if (!value.is_array() || value.empty()) {
      fail(at + "/" + key, "expected a non-empty array, got " + describe_value(value));
    }
    return value;
  }

  std::vector<std::string> strings_at(const json& object, const std::string& at, const std::string& key) const {
    const json& value = object.at(key);
    if (!value.is_array()) {
      fail(at + "/" + key, "expected an array of strings, got " + describe_value(value));
    }
    std::vector<std::string> out;
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (!value[i].is_string()) {
        fail(at + "/" + key + "/" + std::to_string(i), "expected a string, got " + describe_value(value[i]));
      }
      out.push_back(value[i].get<std::string>());
    }
    return out;
  }

  std::string file_;
};

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw bad_input(file.string(), "can't read catalog file");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

json parse_json(const std::filesystem::path& file) {
  try {
    return json::parse(read_text(file));
  } catch (const json::parse_error& e) {
    std::string reason = e.what();
    if (auto bracket = reason.find("] "); reason.starts_with("[json.exception") && bracket != std::string::npos) {
      reason = reason.substr(bracket + 2);
    }
    throw bad_input(file.string(), "byte " + std::to_string(e.byte) + ": invalid JSON: " + reason);
  }
}

std::vector<std::filesystem::path> json_files_in(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    throw bad_input(dir.string(), "can't load catalog: not a directory");
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".json" && !entry.is_directory()) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

WorkloadCatalog load_catalog(const std::filesystem::path& dir) {
  WorkloadCatalog catalog;
  std::map<std::string, std::string> declared_in;  // script -> "FILE /entrypoints/N", to refuse duplicates
  for (const auto& file : json_files_in(dir)) {
    CatalogFileReader reader(file.string());
    const json document = parse_json(file);
    std::vector<WorkloadEntrypoint> entrypoints = reader.read(document);
    if (auto c = reader.contract(document)) catalog.modules.push_back(std::move(*c));
    for (std::size_t i = 0; i < entrypoints.size(); ++i) {
      const std::string at = "/entrypoints/" + std::to_string(i);
      auto [it, fresh] = declared_in.emplace(entrypoints[i].script, file.string() + " " + at);
      if (!fresh) {
        reader.fail(at + "/script", "script " + json_quoted(entrypoints[i].script) + " is already declared in " +
                                        it->second + " (find() matches by basename, so it would be ambiguous)");
      }
      catalog.entrypoints.push_back(std::move(entrypoints[i]));
    }
  }
  return catalog;
}

}  // namespace spotcheck

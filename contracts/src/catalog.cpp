// The workload catalog: loading scenarios/workloads/*.json strictly, and matching python invocations.
#include "spotcheck/catalog.hpp"

#include <algorithm>
#include <map>

#include "spotcheck/effects.hpp"
#include "spotcheck/error.hpp"
#include "spotcheck/json_cursor.hpp"

namespace spotcheck {
namespace {

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

std::vector<JsonCursor> non_empty_array(const JsonCursor& c) {
  auto items = c.elements();
  if (items.empty()) c.expected("a non-empty array");
  return items;
}

std::vector<WorkloadInvocation::Output> read_outputs(const JsonCursor& list) {
  std::vector<WorkloadInvocation::Output> outputs;
  for (const auto& item : list.elements()) {
    item.require_object({"text", "path", "arg"});
    WorkloadInvocation::Output o;
    o.text = item.at("text").string();
    if (item.has("path")) o.path = item.at("path").string();
    if (item.has("arg")) o.arg = item.at("arg").string();
    if (o.path.empty() == o.arg.empty()) item.fail("expected exactly one of \"path\" or \"arg\"");
    outputs.push_back(o);
  }
  return outputs;
}

std::vector<std::string> read_effects(const JsonCursor& list) {
  std::vector<std::string> effects;
  for (const auto& item : list.elements()) {
    const std::string name = item.one_of(effect_names());
    if (std::find(effects.begin(), effects.end(), name) != effects.end())
      item.fail("effect \"" + name + "\" is listed twice");
    effects.push_back(name);
  }
  const bool config = std::find(effects.begin(), effects.end(), "config.write") != effects.end();
  const bool write = std::find(effects.begin(), effects.end(), "s3.write") != effects.end();
  if (config && !write) list.fail("config.write is an s3.write under a config prefix; add \"s3.write\"");
  return effects;
}

WorkloadInvocation read_invocation(const JsonCursor& c) {
  c.require_object({"args_contain", "effects", "stdout", "exit", "description", "outputs", "todo"});
  WorkloadInvocation result;
  result.args_contain = c.at("args_contain").strings();
  result.effects = read_effects(c.at("effects"));
  if (c.has("stdout")) result.stdout_text = c.at("stdout").string();
  if (c.has("description")) result.description = c.at("description").string();
  if (c.has("exit")) result.exit = c.at("exit").integer(0, 255);
  if (c.has("outputs")) result.outputs = read_outputs(c.at("outputs"));
  result.todo = c.optional_string("todo");
  return result;
}

WorkloadEntrypoint read_entrypoint(const JsonCursor& c, const std::string& module) {
  c.require_object({"script", "invocations", "description"});
  WorkloadEntrypoint entry;
  entry.module = module;
  const auto script = c.at("script");
  entry.script = script.string();
  if (entry.script.empty() || entry.script.find('/') != std::string::npos)
    script.expected("a script file name without directories");
  for (const auto& item : non_empty_array(c.at("invocations"))) entry.invocations.push_back(read_invocation(item));
  return entry;
}

// The optional "launcher" and "preflight" keys name the module's launcher and preflight entrypoint.
std::optional<ModuleContract> read_contract(const JsonCursor& c) {
  if (!c.has("launcher")) return std::nullopt;
  ModuleContract contract;
  contract.module = c.at("module").string();
  contract.file = c.file();
  contract.launcher = c.at("launcher").string();
  const auto preflight = c.at("preflight");
  preflight.require_object({"script", "args_contain", "flags"});
  contract.preflight_script = preflight.at("script").string();
  contract.preflight_args = preflight.at("args_contain").strings();
  if (preflight.has("flags")) contract.preflight_flags = preflight.at("flags").strings();
  if (c.has("contract_variants")) {
    for (const auto& [name, env] : c.at("contract_variants").members()) contract.variants[name] = env.string_map();
  }
  return contract;
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
  return load_catalog(std::vector<std::filesystem::path>{dir});
}

WorkloadCatalog load_catalog(const std::vector<std::filesystem::path>& dirs) {
  WorkloadCatalog catalog;
  std::map<std::string, std::string> declared_in;  // script -> "FILE /entrypoints/N", to refuse duplicates
  std::vector<std::filesystem::path> files;
  for (const auto& dir : dirs) {
    const auto found = json_files_in(dir);
    files.insert(files.end(), found.begin(), found.end());
  }
  for (const auto& file : files) {
    const nlohmann::json document = read_json_file(file.string());
    const JsonCursor c(document, file.string());
    c.require_object({"module", "entrypoints", "$schema", "description", "launcher", "preflight", "contract_variants"});
    const std::string module = c.at("module").string();
    for (const auto& item : non_empty_array(c.at("entrypoints"))) {
      WorkloadEntrypoint entrypoint = read_entrypoint(item, module);
      auto [it, fresh] = declared_in.emplace(entrypoint.script, file.string() + " " + item.pointer());
      if (!fresh)
        item.at("script").fail("script \"" + entrypoint.script + "\" is already declared in " + it->second +
                               " (find() matches by basename, so it would be ambiguous)");
      catalog.entrypoints.push_back(std::move(entrypoint));
    }
    if (auto contract = read_contract(c)) catalog.modules.push_back(std::move(*contract));
  }
  return catalog;
}

}  // namespace spotcheck

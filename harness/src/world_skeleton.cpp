// World placeholders from a recording: each aws/git/ssh/scp call read for the names it needed.
#include "spotcheck/world_skeleton.hpp"

#include <algorithm>
#include <optional>
#include <regex>
#include <span>

#include "spotcheck/aws_grammar.hpp"
#include "spotcheck/json_cursor.hpp"
#include "spotcheck/text.hpp"
#include "spotcheck/world_config.hpp"

namespace spotcheck::harness {
namespace {

constexpr const char* kDispatcherHomePrefix = "/home/runner/";

// The value of `--name VALUE` or `--name=VALUE` in `args`; "" when absent.
std::string option_value(const std::vector<std::string>& args, const std::string& name) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == name && i + 1 < args.size()) return args[i + 1];
    if (args[i].rfind(name + "=", 0) == 0) return args[i].substr(name.size() + 1);
  }
  return "";
}

// The words after `--name` up to the next option (`--names a b --with-decryption`).
std::vector<std::string> option_values(const std::vector<std::string>& args, const std::string& name) {
  std::vector<std::string> out;
  const auto it = std::find(args.begin(), args.end(), name);
  for (auto v = it == args.end() ? args.end() : it + 1; v != args.end() && v->rfind("--", 0) != 0; ++v)
    out.push_back(*v);
  return out;
}

// `aws s3 CMD` operands: the words that are not options or option values.
std::vector<std::string> s3_operands(const std::string& command, const std::vector<std::string>& args) {
  const AwsS3CommandOptions* known = aws_s3_command_options(command);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) != 0) {
      out.push_back(a);
      continue;
    }
    if (a.find('=') != std::string::npos || known == nullptr) continue;
    const std::string name = a.substr(2);
    if (std::find(known->valued.begin(), known->valued.end(), name) != known->valued.end()) ++i;
  }
  return out;
}

struct Adder {
  nlohmann::json& world;
  WorldConfig have;
  std::vector<std::string> added;
  std::vector<std::string> written;  // s3:// destinations the run wrote (what it reads back later is its own)

  bool run_wrote(const std::string& uri) const {
    return std::any_of(written.begin(), written.end(), [&](const std::string& w) { return uri.rfind(w, 0) == 0; });
  }

  void bucket(const std::string& name) {
    if (name.empty() || std::find(have.buckets.begin(), have.buckets.end(), name) != have.buckets.end()) return;
    have.buckets.push_back(name);
    world["s3"]["buckets"].push_back(name);
    added.push_back("s3://" + name + ": a bucket (empty)");
  }
  void object(const std::string& uri) {
    if (have.s3_objects.count(uri) || run_wrote(uri)) return;
    have.s3_objects[uri] = "";
    world["s3"]["objects"][uri] = "spotcheck init placeholder: the contents of " + uri + "\n";
    added.push_back(uri + ": placeholder contents (write what the launcher expects to read)");
  }
  void parameter(const std::string& name, bool secure) {
    if (name.empty() || have.ssm.count(name)) return;
    have.ssm[name] = {};
    world["ssm"][name] = {{"value", "spotcheck-init-placeholder"}, {"type", secure ? "SecureString" : "String"}};
    added.push_back("SSM parameter " + name + ": placeholder value");
  }
  void file(const std::string& path, const std::string& text, const std::string& what) {
    std::string name = path;
    if (name.rfind(kDispatcherHomePrefix, 0) == 0) name = "~/" + name.substr(std::string(kDispatcherHomePrefix).size());
    if (name.empty() || name[0] == '/' || have.files.count(name)) return;  // outside the dispatcher's home: not ours
    have.files[name] = text;
    world["files"][name] = text;
    added.push_back("dispatcher file " + name + ": " + what);
  }
};

void s3_call(Adder& add, const AwsArgs& a) {
  if (a.service == "s3api") {
    const std::string bucket = option_value(a.args, "--bucket");
    add.bucket(bucket);
    const std::string key = option_value(a.args, "--key");
    if ((a.operation == "get-object" || a.operation == "head-object") && !bucket.empty() && !key.empty())
      add.object("s3://" + bucket + "/" + key);
    if (a.operation == "put-object" && !bucket.empty() && !key.empty())
      add.written.push_back("s3://" + bucket + "/" + key);
    return;
  }
  const auto operands = s3_operands(a.operation, a.args);
  for (const auto& o : operands) {
    if (o.rfind("s3://", 0) == 0)
      add.bucket(o.substr(5, o.find('/', 5) == std::string::npos ? std::string::npos : o.find('/', 5) - 5));
  }
  const bool recursive = std::find(a.args.begin(), a.args.end(), "--recursive") != a.args.end();
  if ((a.operation == "cp" || a.operation == "mv") && !recursive && !operands.empty() &&
      operands[0].rfind("s3://", 0) == 0) {
    const std::string& source = operands[0];
    const auto slash = source.find('/', 5);
    if (slash != std::string::npos && slash + 1 < source.size() && source.back() != '/') add.object(source);
  }
  const bool copies = a.operation == "cp" || a.operation == "mv" || a.operation == "sync";
  if (copies && operands.size() >= 2 && operands[1].rfind("s3://", 0) == 0) add.written.push_back(operands[1]);
}

void aws_call(Adder& add, const Record& r) {
  const AwsArgs a = split_aws_args(std::span<const std::string>(r.argv).subspan(1));
  if (a.service == "s3" || a.service == "s3api") return s3_call(add, a);
  if (a.service == "ssm" && a.operation == "get-parameter") {
    const bool secure = std::find(a.args.begin(), a.args.end(), "--with-decryption") != a.args.end();
    add.parameter(option_value(a.args, "--name"), secure);
  }
  if (a.service == "ssm" && a.operation == "get-parameters") {
    const bool secure = std::find(a.args.begin(), a.args.end(), "--with-decryption") != a.args.end();
    for (const auto& name : option_values(a.args, "--names")) add.parameter(name, secure);
  }
  if (a.service == "ec2" && a.operation == "run-instances" && add.have.amis) {
    const std::string ami = option_value(a.args, "--image-id");
    if (!ami.empty() && std::find(add.have.amis->begin(), add.have.amis->end(), ami) == add.have.amis->end()) {
      add.have.amis->push_back(ami);
      add.world["amis"].push_back(ami);
      add.added.push_back("AMI " + ami + ": listed in the world's amis");
    }
  }
}

// Placeholder contents a launcher can read, source or parse: a key for keys, {} for JSON, else a comment.
std::string placeholder_for(const std::string& path) {
  const auto ends_with = [&](const std::string& suffix) {
    return path.size() >= suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (path.find(".ssh/") != std::string::npos || ends_with(".pem") || ends_with(".key"))
    return "-----BEGIN OPENSSH PRIVATE KEY-----\nspotcheck init placeholder\n-----END OPENSSH PRIVATE KEY-----\n";
  if (ends_with(".json")) return "{}\n";
  return "# spotcheck init placeholder\n";
}

// A line saying a file is missing, and the path-like words in it.
const std::regex& missing_words() {
  static const std::regex re(R"(not found|no such file|does not exist|can't open|cannot open|could not open|missing)",
                             std::regex::icase);
  return re;
}
const std::regex& path_words() {
  static const std::regex re(R"((~?/[A-Za-z0-9._/-]+|[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9._-]+)*\.[A-Za-z0-9]+))");
  return re;
}

// A file-system error about a path (not a missing S3 key or a missing command).
const std::regex& file_error_words() {
  static const std::regex re(R"(no such file|can't open|cannot open|could not open)", std::regex::icase);
  return re;
}

// Each path a "missing" line of `text` names (as written: absolute, ~/..., or relative); with `files_only`,
// only lines that are a file-system error.
}  // namespace

std::vector<std::string> paths_said_missing(const std::string& text, bool files_only) {
  std::vector<std::string> out;
  for (const auto& line : split(text, '\n')) {
    if (!std::regex_search(line, files_only ? file_error_words() : missing_words())) continue;
    for (std::sregex_iterator it(line.begin(), line.end(), path_words()), end; it != end; ++it) {
      const std::string p = it->str();
      if (p.find("://") == std::string::npos) out.push_back(p);
    }
  }
  return out;
}

namespace {

// A clone a run made: the repository's name and the directory it went to on its host.
struct Clone {
  std::string host;
  std::string name;
  std::string dir;  // absolute
};

std::optional<Clone> clone_of(const Record& r) {
  const auto clone = std::find(r.argv.begin(), r.argv.end(), "clone");
  if (r.tool != "git" || clone == r.argv.end()) return std::nullopt;
  std::vector<std::string> operands;
  for (auto it = clone + 1; it != r.argv.end(); ++it) {
    if (*it == "--depth" || *it == "--branch" || *it == "-b" || *it == "--origin" || *it == "-o") {
      ++it;
      if (it == r.argv.end()) break;
      continue;
    }
    if (it->rfind("-", 0) != 0) operands.push_back(*it);
  }
  if (operands.empty()) return std::nullopt;
  std::string name = operands[0].substr(operands[0].find_last_of("/:") + 1);
  if (name.size() > 4 && name.compare(name.size() - 4, 4, ".git") == 0) name.resize(name.size() - 4);
  if (name.empty()) return std::nullopt;
  std::string dir = operands.size() > 1 ? operands[1] : name;
  if (dir[0] != '/') dir = r.cwd + "/" + dir;
  return Clone{r.host, name, dir};
}

void add_repo_file(Adder& add, const std::vector<Clone>& clones, const std::string& name, const std::string& file,
                   const std::string& text) {
  if (!add.have.repos) {  // listing one repository makes the rest unknown: list every one the run cloned
    add.have.repos.emplace();
    for (const auto& c : clones) {
      if (add.have.repos->count(c.name)) continue;
      (*add.have.repos)[c.name] = {};
      add.world["repos"][c.name] = {{"files", {{"README.md", placeholder_for("README.md")}}}};
    }
  }
  auto& files = (*add.have.repos)[name].files;
  if (files.count(file)) return;
  files[file] = text;
  add.world["repos"][name]["files"][file] = text;
  add.added.push_back("repository " + name + ": " + file + " (placeholder: the launcher needs it in the clone)");
}

// A failed call on a host that names a file inside a clone ("can't open file '/home/ec2-user/repo/x.py'",
// "/home/ec2-user/repo does not appear to be a Python project"): that file belongs in the repository.
void files_missing_from_clones(Adder& add, const std::vector<Record>& records) {
  std::vector<Clone> clones;
  for (const auto& r : records)
    if (auto c = clone_of(r)) clones.push_back(*c);
  for (const auto& r : records) {
    if (r.exit == 0 || r.stderr_text.empty()) continue;
    for (const auto& c : clones) {
      if (c.host != r.host) continue;
      const std::string prefix = c.dir + "/";
      for (std::size_t at = r.stderr_text.find(prefix); at != std::string::npos;
           at = r.stderr_text.find(prefix, at + 1)) {
        const std::size_t begin = at + prefix.size();
        const std::size_t end = r.stderr_text.find_first_of(" '\"\n:,)", begin);
        const std::string file = r.stderr_text.substr(begin, end == std::string::npos ? end : end - begin);
        if (!file.empty() && file.back() != '/') add_repo_file(add, clones, c.name, file, placeholder_for(file));
      }
      for (const auto& p : paths_said_missing(r.stderr_text, true)) {  // relative to the call's directory
        if (p[0] == '/' || p[0] == '~' || p == r.tool || (!r.argv.empty() && p == r.argv[0])) continue;
        const std::string absolute = r.cwd + "/" + p;
        if (absolute.rfind(prefix, 0) == 0)
          add_repo_file(add, clones, c.name, absolute.substr(prefix.size()), placeholder_for(absolute));
      }
      if (r.stderr_text.find(c.dir) != std::string::npos &&
          r.stderr_text.find("does not appear to be a Python project") != std::string::npos)
        add_repo_file(add, clones, c.name, "setup.py",
                      "from setuptools import setup\nsetup(name=\"" + c.name + "\")  # spotcheck init placeholder\n");
    }
  }
}

void ssh_or_scp_call(Adder& add, const Record& r) {
  if (r.host != "dispatcher") return;
  for (std::size_t i = 1; i + 1 < r.argv.size(); ++i) {
    if (r.argv[i] == "-i") add.file(r.argv[i + 1], placeholder_for(".pem"), "a placeholder key");
  }
  if (r.tool != "scp" || r.exit == 0 || r.stderr_text.find("No such file or directory") == std::string::npos) return;
  for (std::size_t i = 1; i < r.argv.size(); ++i) {
    const std::string& a = r.argv[i];
    if (a.rfind("-", 0) == 0) {
      if (a == "-i" || a == "-o" || a == "-P" || a == "-F") ++i;
      continue;
    }
    const auto colon = a.find(':');
    const bool remote = colon != std::string::npos && (a.find('/') == std::string::npos || colon < a.find('/'));
    if (!remote && i + 1 < r.argv.size()) add.file(a, placeholder_for(a), "placeholder contents (scp sends it)");
  }
}

// A launcher that checks its inputs first says which one is missing ("required file not found: PATH",
// "PATH: No such file or directory"): a file in the dispatcher's home or working directory is placed.
void files_named_missing(Adder& add, const std::string& stderr_text, const std::vector<Record>& records) {
  for (const auto& line : split(stderr_text, '\n')) {
    // A line a spot's call printed is relayed, not the dispatcher's: its paths are the spot's.
    const bool relayed = std::any_of(records.begin(), records.end(), [&](const Record& r) {
      return r.host != "dispatcher" && !line.empty() && r.stderr_text.find(line) != std::string::npos;
    });
    if (relayed) continue;
    for (std::string p : paths_said_missing(line)) {
      if (p.rfind("~/", 0) == 0) p = kDispatcherHomePrefix + p.substr(2);
      if (p.rfind(kDispatcherHomePrefix, 0) != 0 && p[0] == '/') continue;  // not the dispatcher's to hold
      if (p.find(".sh") != std::string::npos && p.find('/') == std::string::npos) continue;  // the script's name
      add.file(p, placeholder_for(p), "the launcher said it was missing (placeholder contents)");
    }
  }
}

}  // namespace

std::vector<std::string> extend_world(nlohmann::json& world, const nlohmann::json& merged,
                                      const std::vector<Record>& records, const std::string& launcher_stderr) {
  if (!world.is_object()) world = nlohmann::json::object();
  Adder add{world, parse_world_config(JsonCursor(merged, "world")), {}, {}};
  for (const auto& r : records) {
    if (r.tool == "aws") aws_call(add, r);
    if (r.tool == "ssh" || r.tool == "scp") ssh_or_scp_call(add, r);
  }
  files_missing_from_clones(add, records);
  files_named_missing(add, launcher_stderr, records);
  return add.added;
}

}  // namespace spotcheck::harness

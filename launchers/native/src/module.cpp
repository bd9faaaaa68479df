// Module descriptions: JSON (embedded modules/*.json or --module-file), validated field by field;
// an error names the file, the JSON pointer and what was expected.
#include "spot_launch/module.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "spot_launch/error.hpp"
#include "spot_launch/resources.hpp"
#include "spot_launch/strings.hpp"
#include "spot_launch/template.hpp"

using nlohmann::json;

namespace spot_launch {
namespace {

// A JSON value with its pointer, for error messages.
class Node {
 public:
  Node(const json& j, std::string pointer, const std::string& source) : j_(j), ptr_(std::move(pointer)), src_(source) {}

  [[noreturn]] void fail_here(const std::string& expected) const {
    fail(2, src_ + ": " + (ptr_.empty() ? "/" : ptr_) + ": expected " + expected);
  }
  bool has(const std::string& key) const { return j_.is_object() && j_.contains(key); }
  Node at(const std::string& key) const {
    if (!j_.is_object()) fail_here("an object");
    if (!j_.contains(key)) Node(j_, ptr_ + "/" + key, src_).fail_here("a value (required member is missing)");
    return Node(j_.at(key), ptr_ + "/" + key, src_);
  }
  std::string str(bool allow_empty = false) const {
    if (!j_.is_string()) fail_here(allow_empty ? "a string" : "a non-empty string");
    auto s = j_.get<std::string>();
    if (s.empty() && !allow_empty) fail_here("a non-empty string");
    return s;
  }
  std::string field(const std::string& key, bool allow_empty = false) const { return at(key).str(allow_empty); }
  std::vector<Node> items() const {
    if (!j_.is_array()) fail_here("an array");
    std::vector<Node> out;
    for (std::size_t i = 0; i < j_.size(); ++i) out.emplace_back(j_[i], ptr_ + "/" + std::to_string(i), src_);
    return out;
  }
  std::vector<std::string> strings(bool allow_empty_items = false) const {
    if (!j_.is_array()) fail_here("an array of strings");
    std::vector<std::string> out;
    for (const auto& n : items()) out.push_back(n.str(allow_empty_items));
    return out;
  }
  void only(const std::set<std::string>& keys) const {
    if (!j_.is_object()) fail_here("an object");
    for (const auto& [k, v] : j_.items())
      if (!keys.count(k)) Node(v, ptr_ + "/" + k, src_).fail_here("no member '" + k + "' (unknown key)");
  }
  const std::string& pointer() const { return ptr_; }

 private:
  const json& j_;
  std::string ptr_;
  const std::string& src_;
};

RemoteStep remote_step(const Node& n, bool with_stage) {
  n.only(with_stage ? std::set<std::string>{"step", "args", "script", "stage", "when", "foreach"}
                    : std::set<std::string>{"step", "args", "script"});
  RemoteStep r;
  r.step = n.field("step");
  r.args = n.has("args") ? n.at("args").strings(true) : std::vector<std::string>{};
  r.script = n.field("script");
  if (n.has("stage")) r.stage = n.field("stage");
  if (n.has("when")) {
    if (n.field("when") != "any-stage") n.at("when").fail_here("\"any-stage\"");
    r.when_any_stage = true;
  }
  if (n.has("foreach")) r.foreach = n.at("foreach").strings();
  return r;
}

EmailStep email_step(const Node& step, const Node& n) {
  n.only({"from", "to", "message", "error"});
  EmailStep e;
  e.step = step.field("step");
  e.from = n.field("from");
  e.to = n.field("to");
  e.message = n.field("message");
  e.error = n.field("error");
  if (step.has("stage")) e.stage = step.field("stage");
  return e;
}

FullStep full_step(const Node& n) {
  FullStep f;
  if (n.has("email")) {
    n.only({"step", "stage", "email"});
    f.email = email_step(n, n.at("email"));
  } else {
    f.remote = remote_step(n, true);
  }
  return f;
}

void read_config(const Node& n, Module& m) {
  n.only({"step", "mkdir", "mkdir_error", "copies"});
  m.config_step = n.field("step");
  m.config_mkdir = n.field("mkdir");
  m.config_mkdir_error = n.field("mkdir_error");
  for (const auto& c : n.at("copies").items()) {
    c.only({"local", "remote"});
    m.copies.push_back({c.field("local"), c.field("remote")});
  }
}

void read_deps(const Node& n, Module& m) {
  n.only({"step", "param", "var", "keep", "args", "script"});
  m.deps.step = n.field("step");
  m.deps.script = n.field("script");
  m.deps.args = n.has("args") ? n.at("args").strings(true) : std::vector<std::string>{};
  m.secret_param = n.field("param");
  m.secret_var = n.field("var");
  if (!std::regex_match(m.secret_var, std::regex("[A-Z_][A-Z0-9_]*")))
    n.at("var").fail_here("a variable name ([A-Z_][A-Z0-9_]*)");
  m.secret_keep = n.field("keep", true);
}

void read_env(const Node& n, Module& m) {
  for (const auto& e : n.items()) {
    e.only({"name", "default", "pattern", "error"});
    EnvKnob k{e.field("name"), e.field("default", true), e.field("pattern"), e.field("error")};
    try {
      std::regex re(k.pattern, std::regex::extended);
    } catch (const std::regex_error&) {
      e.at("pattern").fail_here("an extended regular expression");
    }
    m.env.push_back(k);
  }
}

// Every ${NAME} in the description must be a known variable.
void check_templates(const std::string& source, const json& j, const std::string& pointer,
                     const std::set<std::string>& known) {
  if (j.is_string()) {
    for (const auto& name : referenced_names(j.get<std::string>()))
      if (!known.count(name))
        Node(j, pointer, source).fail_here("known template variables only; ${" + name + "} is not one");
  } else if (j.is_object()) {
    for (const auto& [k, v] : j.items())
      if (k != "script") check_templates(source, v, pointer + "/" + k, known);
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) check_templates(source, j[i], pointer + "/" + std::to_string(i), known);
  }
}

void check_stages(const Module& m, const Node& root) {
  const std::set<std::string> stages(m.full_stages.begin(), m.full_stages.end());
  for (std::size_t i = 0; i < m.full.size(); ++i) {
    const auto& stage = m.full[i].remote ? m.full[i].remote->stage : m.full[i].email->stage;
    if (stage && !stages.count(*stage)) root.at("full").items()[i].at("stage").fail_here("one of full_stages");
  }
}

}  // namespace

Module parse_module(const std::string& json_text, const std::string& source) {
  json j;
  try {
    j = json::parse(json_text);
  } catch (const json::parse_error& e) {
    fail(2, source + ": not JSON: " + e.what());
  }
  Node root(j, "", source);
  root.only({"module", "summary", "usage", "env", "tag_spec", "repos", "full_stages", "required_files", "bootstrap",
             "env_source", "config", "deps", "cache", "python", "plan", "preflight", "smoke", "full", "heartbeat"});
  Module m;
  m.source = source;
  m.name = root.field("module");
  root.field("summary");  // validated (it documents the description), not used
  m.usage = root.field("usage");
  if (root.has("env")) read_env(root.at("env"), m);
  m.tag_spec = root.field("tag_spec");
  m.repos = root.at("repos").strings();
  m.full_stages = root.at("full_stages").strings();
  m.required_files = root.at("required_files").strings();
  m.bootstrap = remote_step(root.at("bootstrap"), false);
  m.env_source = root.field("env_source", true);
  read_config(root.at("config"), m);
  read_deps(root.at("deps"), m);
  if (root.has("cache")) m.cache = remote_step(root.at("cache"), false);
  m.python = root.field("python");
  const Node plan = root.at("plan");
  plan.only({"preflight", "smoke", "full"});
  m.plan_preflight = plan.field("preflight");
  m.plan_smoke = plan.field("smoke");
  m.plan_full = plan.field("full");
  m.preflight = remote_step(root.at("preflight"), false);
  for (const auto& n : root.at("smoke").items()) m.smoke.push_back(remote_step(n, true));
  for (const auto& n : root.at("full").items()) m.full.push_back(full_step(n));
  const Node hb = root.at("heartbeat");
  hb.only({"metric", "dimension"});
  m.heartbeat_metric = hb.field("metric");
  m.heartbeat_dimension = hb.field("dimension");

  std::set<std::string> known = {"AWS_REGION",       "S3_BUCKET",     "SPOT_SSH_KEY", "SPOT_WORKDIR",
                                 "BRANCH",           "REMOTE_PYTHON", "ENV_SOURCE",   "RUN_STAGES",
                                 "SPOT_FULL_STAGES", "ITEM",          "PROG",         "GITHUB_ORG"};
  for (const auto& k : m.env) known.insert(k.name);
  check_templates(source, j, "", known);
  check_stages(m, root);
  return m;
}

Module load_module_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(2, "can't read the module description " + path + ": no such file or not readable");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_module(ss.str(), path);
}

Module load_builtin_module(const std::string& name) {
  for (const auto& r : embedded_resources())
    if (r.name == name + ".json")
      return parse_module(std::string(r.text), "launchers/native/modules/" + name + ".json");
  usage_error("unknown module '" + name + "' (known: " + join(builtin_module_names(), ", ") + ")");
}

std::vector<std::string> builtin_module_names() {
  std::vector<std::string> names;
  for (const auto& r : embedded_resources())
    if (r.name.ends_with(".json")) names.emplace_back(r.name.substr(0, r.name.size() - 5));
  return names;
}

}  // namespace spot_launch

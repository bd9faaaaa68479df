// Module descriptions: JSON (embedded modules/*.json or --module-file), validated field by field by
// spotcheck's JSON validator; an error names the file, the JSON pointer and what was expected.
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
#include "spotcheck/json_cursor.hpp"

using nlohmann::json;
using spotcheck::JsonCursor;

namespace spot_launch {
namespace {

std::string text(const JsonCursor& c, const std::string& key, bool allow_empty = false) {
  return allow_empty ? c.at(key).string() : c.at(key).non_empty_string();
}

std::vector<std::string> texts(const JsonCursor& c, bool allow_empty_items = false) {
  if (allow_empty_items) return c.strings();
  if (!c.value().is_array()) c.expected("an array of non-empty strings");
  std::vector<std::string> out;
  for (const auto& item : c.elements()) out.push_back(item.non_empty_string());
  return out;
}

RemoteStep remote_step(const JsonCursor& n, bool with_stage) {
  n.require_object(with_stage ? std::set<std::string>{"step", "args", "script", "stage", "when", "foreach"}
                              : std::set<std::string>{"step", "args", "script"});
  RemoteStep r;
  r.step = text(n, "step");
  r.args = n.has("args") ? texts(n.at("args"), true) : std::vector<std::string>{};
  r.script = text(n, "script");
  if (n.has("stage")) r.stage = text(n, "stage");
  if (n.has("when")) r.when_any_stage = n.at("when").one_of({"any-stage"}) == "any-stage";
  if (n.has("foreach")) r.foreach = texts(n.at("foreach"));
  return r;
}

EmailStep email_step(const JsonCursor& step, const JsonCursor& n) {
  n.require_object({"from", "to", "message", "error"});
  EmailStep e;
  e.step = text(step, "step");
  e.from = text(n, "from");
  e.to = text(n, "to");
  e.message = text(n, "message");
  e.error = text(n, "error");
  if (step.has("stage")) e.stage = text(step, "stage");
  return e;
}

FullStep full_step(const JsonCursor& n) {
  FullStep f;
  if (n.has("email")) {
    n.require_object({"step", "stage", "email"});
    f.email = email_step(n, n.at("email"));
  } else {
    f.remote = remote_step(n, true);
  }
  return f;
}

void read_config(const JsonCursor& n, Module& m) {
  n.require_object({"step", "mkdir", "mkdir_error", "copies"});
  m.config_step = text(n, "step");
  m.config_mkdir = text(n, "mkdir");
  m.config_mkdir_error = text(n, "mkdir_error");
  for (const auto& c : n.at("copies").elements()) {
    c.require_object({"local", "remote"});
    m.copies.push_back({text(c, "local"), text(c, "remote")});
  }
}

void read_deps(const JsonCursor& n, Module& m) {
  n.require_object({"step", "param", "var", "keep", "args", "script"});
  m.deps.step = text(n, "step");
  m.deps.script = text(n, "script");
  m.deps.args = n.has("args") ? texts(n.at("args"), true) : std::vector<std::string>{};
  m.secret_param = text(n, "param");
  m.secret_var = text(n, "var");
  if (!std::regex_match(m.secret_var, std::regex("[A-Z_][A-Z0-9_]*")))
    n.at("var").expected("a variable name ([A-Z_][A-Z0-9_]*)");
  m.secret_keep = text(n, "keep", true);
}

void read_env(const JsonCursor& n, Module& m) {
  for (const auto& e : n.elements()) {
    e.require_object({"name", "default", "pattern", "error"});
    EnvKnob k{text(e, "name"), text(e, "default", true), text(e, "pattern"), text(e, "error")};
    e.at("pattern").regex(std::regex::extended);
    m.env.push_back(k);
  }
}

// Every ${NAME} in the description must be a known variable.
void check_templates(const JsonCursor& c, const std::set<std::string>& known) {
  const json& j = c.value();
  if (j.is_string()) {
    for (const auto& name : referenced_names(j.get<std::string>()))
      if (!known.count(name)) c.fail("expected known template variables only; ${" + name + "} is not one");
  } else if (j.is_object()) {
    for (const auto& [k, v] : c.members())
      if (k != "script") check_templates(v, known);
  } else if (j.is_array()) {
    for (const auto& item : c.elements()) check_templates(item, known);
  }
}

void check_stages(const Module& m, const JsonCursor& root) {
  for (std::size_t i = 0; i < m.full.size(); ++i) {
    const auto& stage = m.full[i].remote ? m.full[i].remote->stage : m.full[i].email->stage;
    if (stage) root.at("full").at(i).at("stage").one_of(m.full_stages);
  }
}

Module read_module(const JsonCursor& root) {
  root.require_object({"module", "summary", "usage", "env", "tag_spec", "repos", "full_stages", "required_files",
                       "bootstrap", "env_source", "config", "deps", "cache", "python", "plan", "preflight", "smoke",
                       "full", "heartbeat"});
  Module m;
  m.source = root.file();
  m.name = text(root, "module");
  text(root, "summary");  // validated (it documents the description), not used
  m.usage = text(root, "usage");
  if (root.has("env")) read_env(root.at("env"), m);
  m.tag_spec = text(root, "tag_spec");
  m.repos = texts(root.at("repos"));
  m.full_stages = texts(root.at("full_stages"));
  m.required_files = texts(root.at("required_files"));
  m.bootstrap = remote_step(root.at("bootstrap"), false);
  m.env_source = text(root, "env_source", true);
  read_config(root.at("config"), m);
  read_deps(root.at("deps"), m);
  if (root.has("cache")) m.cache = remote_step(root.at("cache"), false);
  m.python = text(root, "python");
  const auto plan = root.at("plan");
  plan.require_object({"preflight", "smoke", "full"});
  m.plan_preflight = text(plan, "preflight");
  m.plan_smoke = text(plan, "smoke");
  m.plan_full = text(plan, "full");
  m.preflight = remote_step(root.at("preflight"), false);
  for (const auto& n : root.at("smoke").elements()) m.smoke.push_back(remote_step(n, true));
  for (const auto& n : root.at("full").elements()) m.full.push_back(full_step(n));
  const auto hb = root.at("heartbeat");
  hb.require_object({"metric", "dimension"});
  m.heartbeat_metric = text(hb, "metric");
  m.heartbeat_dimension = text(hb, "dimension");

  std::set<std::string> known = {"AWS_REGION",       "S3_BUCKET",     "SPOT_SSH_KEY", "SPOT_WORKDIR",
                                 "BRANCH",           "REMOTE_PYTHON", "ENV_SOURCE",   "RUN_STAGES",
                                 "SPOT_FULL_STAGES", "ITEM",          "PROG",         "GITHUB_ORG"};
  for (const auto& k : m.env) known.insert(k.name);
  check_templates(root, known);
  check_stages(m, root);
  return m;
}

}  // namespace

Module parse_module(const std::string& json_text, const std::string& source) {
  try {
    const json j = spotcheck::parse_json(json_text, source);
    return read_module(JsonCursor(j, source));
  } catch (const spotcheck::Error& e) {
    fail(2, e.what());
  }
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

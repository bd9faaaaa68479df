// A module description: everything that differs between the backtester, data and predictor launchers.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace spot_launch {

// One step on the spot: SCRIPT sent as `bash -s -- ARGS...` (ARGS are templates, see template.hpp).
struct RemoteStep {
  std::string step;
  std::vector<std::string> args;
  std::string script;
  std::optional<std::string> stage;  // run only when this full-run stage is not skipped
  bool when_any_stage = false;       // run only when some full-run stage is left ("when": "any-stage")
  std::vector<std::string> foreach;  // run once per item, ${ITEM} bound to it
};

// A dispatcher-side report: `aws ses send-email`.
struct EmailStep {
  std::string step, from, to, message, error;
  std::optional<std::string> stage;
};

struct FullStep {
  std::optional<RemoteStep> remote;
  std::optional<EmailStep> email;
};

struct Copy {
  std::string local, remote;
};

struct EnvKnob {
  std::string name, default_value, pattern, error;
};

struct Module {
  std::string source;  // where the description came from (named in errors)
  std::string name, usage, tag_spec, env_source, python;
  std::vector<EnvKnob> env;
  std::vector<std::string> repos, full_stages, required_files;
  RemoteStep bootstrap;
  std::string config_step, config_mkdir, config_mkdir_error;
  std::vector<Copy> copies;
  RemoteStep deps;
  std::string secret_param, secret_var, secret_keep;
  std::optional<RemoteStep> cache;
  std::string plan_preflight, plan_smoke, plan_full;
  RemoteStep preflight;
  std::vector<RemoteStep> smoke;
  std::vector<FullStep> full;
  std::string heartbeat_metric, heartbeat_dimension;
};

// Parses and validates a description; errors name SOURCE, the JSON pointer and what was expected.
Module parse_module(const std::string& json_text, const std::string& source);
Module load_module_file(const std::string& path);
Module load_builtin_module(const std::string& name);  // "backtester", "data", "predictor"
std::vector<std::string> builtin_module_names();

}  // namespace spot_launch

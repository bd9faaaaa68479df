// The run's state: template variables, ssh options, the step in progress.
#include "spot_launch/session.hpp"

#include "spot_launch/log.hpp"

namespace spot_launch {

Vars Session::vars(const std::string& item) const {
  Vars v;
  v.scalars = {{"AWS_REGION", config.region},     {"S3_BUCKET", config.bucket},
               {"SPOT_SSH_KEY", config.ssh_key},  {"SPOT_WORKDIR", config.workdir},
               {"BRANCH", flags.branch},          {"REMOTE_PYTHON", remote_python},
               {"ENV_SOURCE", module.env_source}, {"ITEM", item},
               {"GITHUB_ORG", config.github_org}, {"PROG", log_tag()}};
  for (const auto& [k, val] : config.module_env) v.scalars[k] = val;
  v.lists["RUN_STAGES"] = config.run_stages;
  v.lists["SPOT_FULL_STAGES"] = module.full_stages;
  return v;
}

std::vector<std::string> Session::ssh_opts() const {
  return {"-i", config.ssh_key,
          "-o", "StrictHostKeyChecking=no",
          "-o", "UserKnownHostsFile=/dev/null",
          "-o", "ConnectTimeout=10",
          "-o", "BatchMode=yes",
          "-o", "LogLevel=ERROR"};
}

void Session::set_step(const std::string& name) {
  step = name;
  log(name);
}

}  // namespace spot_launch

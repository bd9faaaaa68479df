// Env knobs and derived settings (spot_finish_config), validated as bash does.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "spot_launch/flags.hpp"
#include "spot_launch/module.hpp"

namespace spot_launch {

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

struct Config {
  std::string region, bucket, ami, key_name, security_group, subnet, iam_profile, ssh_key, workdir, github_org;
  std::string watchdog_minutes_text = "240";  // as given (validated; only ever used as text)
  unsigned ssh_ready_attempts = 30, max_spot_attempts = 2;
  std::string ssh_ready_attempts_text = "30", max_spot_attempts_text = "2";  // as given
  std::string transport = "ssh";               // SPOT_TRANSPORT: ssh (ssh/scp) or ssm (Run Command + S3 staging)
  std::string ssm_poll_seconds_text = "5";     // SPOT_SSM_POLL_SECONDS, as given (the `sleep` between polls)
  std::string ssm_step_timeout_text = "3600";  // SPOT_SSM_STEP_TIMEOUT: a step's executionTimeout
  double cleanup_timeout_seconds = 60;         // native only: real-time limit of one terminate call
  std::vector<std::string> instance_types, run_stages;
  std::map<std::string, std::string> module_env;  // the module's own knobs (REPORT_FROM ...)
};

EnvLookup process_env();
Config load_config(const Module& module, const Flags& flags, const EnvLookup& env);

}  // namespace spot_launch

// Env knobs with bash's defaults (`${VAR:-default}`: empty counts as unset) and validation order.
#include "spot_launch/config.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <regex>

#include "spot_launch/error.hpp"
#include "spot_launch/mutant.hpp"
#include "spot_launch/strings.hpp"

namespace spot_launch {
namespace {

std::string knob(const EnvLookup& env, const std::string& name, const std::string& fallback) {
  auto v = env(name);
  return (v && !v->empty()) ? *v : fallback;
}

// bash's spot_require_uint; a value too large for an unsigned is rejected too (bash has no limit).
unsigned require_uint(const std::string& name, const std::string& value) {
  static const std::regex re("^[1-9][0-9]*$");
  if (!std::regex_match(value, re)) usage_error(name + " must be a positive integer, got '" + value + "'");
  unsigned n = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || end != value.data() + value.size())
    usage_error(name + " must be a positive integer of at most " +
                std::to_string(std::numeric_limits<unsigned>::max()) + ", got '" + value + "'");
  return n;
}

// A time limit in seconds (native only): the whole of VALUE a finite number, > 0 and <= one day.
double require_seconds(const std::string& name, const std::string& value) {
  constexpr double kMax = 86400;
  double seconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || end != value.data() + value.size() || !std::isfinite(seconds) || seconds <= 0 ||
      seconds > kMax)
    usage_error(name + " must be a number of seconds greater than 0 and at most 86400, got '" + value + "'");
  return seconds;
}

// bash's $PWD: the environment's when it names the current directory, else the physical path.
std::string working_dir(const EnvLookup& env) {
  std::error_code ec;
  auto cwd = std::filesystem::current_path(ec).string();
  if (auto pwd = env("PWD"); pwd && !pwd->empty() && pwd->front() == '/') {
    struct stat a {
    }, b{};
    if (::stat(pwd->c_str(), &a) == 0 && ::stat(".", &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
      return *pwd;
  }
  return cwd;
}

}  // namespace

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
}

Config load_config(const Module& module, const Flags& flags, const EnvLookup& env) {
  Config c;
  c.region = knob(env, "AWS_REGION", "us-east-1");
  c.bucket = knob(env, "S3_BUCKET", "quant-research-data");
  c.ami = knob(env, "SPOT_AMI", "ami-0abcdef1234567890");
  const std::string types = knob(env, "SPOT_INSTANCE_TYPES", "c6i.4xlarge c6a.4xlarge m6i.4xlarge");
  c.key_name = knob(env, "SPOT_KEY_NAME", "spot-batch");
  c.security_group = knob(env, "SPOT_SECURITY_GROUP", "sg-0123456789abcdef0");
  c.subnet = knob(env, "SPOT_SUBNET", "subnet-0123456789abcdef0");
  c.iam_profile = knob(env, "SPOT_IAM_PROFILE", "spot-batch-role");
  c.ssh_key = knob(env, "SPOT_SSH_KEY", env("HOME").value_or("") + "/.ssh/spot-batch.pem");
  c.workdir = knob(env, "SPOT_WORKDIR", working_dir(env));
#ifdef SPOT_LAUNCH_MUTANTS
  c.watchdog_minutes_text = knob(env, "WATCHDOG_MINUTES", mutant_is("wrong-watchdog-default") ? "60" : "240");
#else
  c.watchdog_minutes_text = knob(env, "WATCHDOG_MINUTES", "240");
#endif
  c.ssh_ready_attempts_text = knob(env, "SSH_READY_ATTEMPTS", "30");
  c.max_spot_attempts_text = knob(env, "MAX_SPOT_ATTEMPTS", "2");
  c.github_org = knob(env, "GITHUB_ORG", "quant-research");
  c.transport = knob(env, "SPOT_TRANSPORT", "ssh");
  if (c.transport != "ssh" && c.transport != "ssm")
    usage_error("SPOT_TRANSPORT must be ssh or ssm, got '" + c.transport + "'");
  c.ssm_poll_seconds_text = knob(env, "SPOT_SSM_POLL_SECONDS", "5");
  c.ssm_step_timeout_text = knob(env, "SPOT_SSM_STEP_TIMEOUT", "3600");
  for (const auto& k : module.env) c.module_env[k.name] = knob(env, k.name, k.default_value);

  require_uint("WATCHDOG_MINUTES", c.watchdog_minutes_text);
  c.ssh_ready_attempts = require_uint("SSH_READY_ATTEMPTS", c.ssh_ready_attempts_text);
  c.max_spot_attempts = require_uint("MAX_SPOT_ATTEMPTS", c.max_spot_attempts_text);
  static const std::regex bucket_re("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$");
  if (!std::regex_match(c.bucket, bucket_re)) usage_error("S3_BUCKET is not a bucket name: '" + c.bucket + "'");
  c.instance_types = flags.instance_type.empty() ? split_words(types) : std::vector<std::string>{flags.instance_type};
  if (c.instance_types.empty()) usage_error("SPOT_INSTANCE_TYPES is empty");
  for (const auto& stage : module.full_stages)
    if (std::find(flags.skip_stages.begin(), flags.skip_stages.end(), stage) == flags.skip_stages.end())
      c.run_stages.push_back(stage);
  for (const auto& k : module.env) {
    const std::string& v = c.module_env[k.name];
    if (!std::regex_search(v, std::regex(k.pattern, std::regex::extended))) usage_error(k.error + ": '" + v + "'");
  }
  if (auto t = env("SPOT_CLEANUP_TIMEOUT"); t && !t->empty())
    c.cleanup_timeout_seconds = require_seconds("SPOT_CLEANUP_TIMEOUT", *t);
  return c;
}

}  // namespace spot_launch

// Tests of launchers/native/src/flags.cpp and config.cpp: the family's flags and env knobs, with
// bash's error texts (spot_parse_flags, spot_finish_config).
#include <gtest/gtest.h>

#include <map>

#include "spot_launch/config.hpp"
#include "spot_launch/error.hpp"
#include "spot_launch/flags.hpp"
#include "spot_launch/module.hpp"

using namespace spot_launch;

namespace {

const std::vector<std::string> kStages = {"backtest", "parity", "evaluate"};

std::string usage_message(const std::vector<std::string>& args) {
  try {
    parse_flags(args, kStages);
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), 2);
    EXPECT_EQ(e.kind(), ErrorKind::Usage);
    return e.what();
  }
  return "(no error)";
}

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

std::string config_error(std::map<std::string, std::string> vars, const std::string& module = "backtester") {
  try {
    load_config(load_builtin_module(module), Flags{}, env_of(std::move(vars)));
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), 2);
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(NativeFlags, NoFlagsMeanAFullRunOnMain) {
  const Flags f = parse_flags({}, kStages);
  EXPECT_FALSE(f.preflight_only);
  EXPECT_EQ(f.run_mode, "full");
  EXPECT_EQ(f.branch, "main");
  EXPECT_FALSE(f.dry_run);
  EXPECT_TRUE(f.skip_stages.empty());
}

TEST(NativeFlags, ValuedFlagsTakeTheNextWordOrAnEqualsValue) {
  const Flags f = parse_flags({"--branch", "feat/x-1.2", "--instance-type=c6i.large", "--mode=smoke-only"}, kStages);
  EXPECT_EQ(f.branch, "feat/x-1.2");
  EXPECT_EQ(f.instance_type, "c6i.large");
  EXPECT_EQ(f.run_mode, "smoke-only");
}

TEST(NativeFlags, PreflightOnlyCombinesWithSmokeOnly) {
  const Flags f = parse_flags({"--preflight-only", "--smoke-only"}, kStages);
  EXPECT_TRUE(f.preflight_only);
  EXPECT_EQ(f.run_mode, "smoke-only");
}

TEST(NativeFlags, SkipStagesAccumulateAndIgnoreEmptyItems) {
  const Flags f = parse_flags({"--skip-stages", ",parity,,", "--skip-stages=evaluate"}, kStages);
  EXPECT_EQ(f.skip_stages, (std::vector<std::string>{"parity", "evaluate"}));
}

TEST(NativeFlags, HelpStopsParsingWhereItStands) {
  EXPECT_TRUE(parse_flags({"--dry-run", "-h", "--bogus"}, kStages).help);
  EXPECT_EQ(usage_message({"--bogus", "--help"}), "unknown flag '--bogus'");
}

TEST(NativeFlags, AValueMayNotStartWithTwoDashes) {
  EXPECT_EQ(usage_message({"--branch", "--dry-run"}), "--branch needs a value");
  EXPECT_EQ(usage_message({"--mode"}), "--mode needs a value");
}

TEST(NativeFlags, AnEmptyValueIsRejected) {
  EXPECT_EQ(usage_message({"--mode="}), "--mode needs a non-empty value");
  EXPECT_EQ(usage_message({"--instance-type", ""}), "--instance-type needs a non-empty value");
}

TEST(NativeFlags, BadValuesGetBashsMessages) {
  EXPECT_EQ(usage_message({"--mode", "fast"}), "unknown --mode 'fast' (expected full or smoke-only)");
  EXPECT_EQ(usage_message({"--branch=a b"}), "invalid --branch 'a b'");
  EXPECT_EQ(usage_message({"--skip-stages", "parity,train"}),
            "unknown stage 'train' in --skip-stages (known: backtest parity evaluate)");
}

TEST(NativeFlags, SwitchesTakeNoValue) {
  EXPECT_EQ(usage_message({"--dry-run=1"}), "--dry-run takes no value");
  EXPECT_EQ(usage_message({"--preflight-only=yes"}), "--preflight-only takes no value");
}

TEST(NativeFlags, UnknownFlagsAndPositionalArgumentsAreUsageErrors) {
  EXPECT_EQ(usage_message({"--bogus"}), "unknown flag '--bogus'");
  EXPECT_EQ(usage_message({"-x"}), "unknown flag '-x'");
  EXPECT_EQ(usage_message({"extra"}), "unexpected argument 'extra' (this launcher takes flags only)");
}

TEST(NativeConfig, DefaultsAreBashs) {
  const Config c = load_config(load_builtin_module("backtester"), Flags{}, env_of({{"HOME", "/h"}}));
  EXPECT_EQ(c.region, "us-east-1");
  EXPECT_EQ(c.bucket, "quant-research-data");
  EXPECT_EQ(c.watchdog_minutes_text, "240");
  EXPECT_EQ(c.ssh_ready_attempts, 30u);
  EXPECT_EQ(c.max_spot_attempts, 2u);
  EXPECT_EQ(c.ssh_key, "/h/.ssh/spot-batch.pem");
  EXPECT_EQ(c.instance_types, (std::vector<std::string>{"c6i.4xlarge", "c6a.4xlarge", "m6i.4xlarge"}));
  EXPECT_EQ(c.run_stages, (std::vector<std::string>{"backtest", "parity", "evaluate"}));
  EXPECT_EQ(c.cleanup_timeout_seconds, 60.0);
}

TEST(NativeConfig, AnEmptyKnobCountsAsUnset) {
  EXPECT_EQ(load_config(load_builtin_module("data"), Flags{}, env_of({{"AWS_REGION", ""}})).region, "us-east-1");
}

TEST(NativeConfig, InstanceTypeOverrideAndSkippedStagesAreResolved) {
  Flags f;
  f.instance_type = "m6i.large";
  f.skip_stages = {"parity"};
  const Config c = load_config(load_builtin_module("backtester"), f, env_of({}));
  EXPECT_EQ(c.instance_types, (std::vector<std::string>{"m6i.large"}));
  EXPECT_EQ(c.run_stages, (std::vector<std::string>{"backtest", "evaluate"}));
}

TEST(NativeConfig, KnobsAreValidatedWithBashsMessages) {
  EXPECT_EQ(config_error({{"WATCHDOG_MINUTES", "0"}}), "WATCHDOG_MINUTES must be a positive integer, got '0'");
  EXPECT_EQ(config_error({{"SSH_READY_ATTEMPTS", "3x"}}), "SSH_READY_ATTEMPTS must be a positive integer, got '3x'");
  EXPECT_EQ(config_error({{"S3_BUCKET", "Bad_Bucket"}}), "S3_BUCKET is not a bucket name: 'Bad_Bucket'");
  EXPECT_EQ(config_error({{"SPOT_INSTANCE_TYPES", " \t "}}), "SPOT_INSTANCE_TYPES is empty");
}

TEST(NativeConfig, ThePredictorChecksItsReportAddresses) {
  EXPECT_EQ(config_error({{"REPORT_TO", "team"}}, "predictor"), "not an email address: 'team'");
  EXPECT_EQ(config_error({{"REPORT_FROM", "a@b.c"}}, "predictor"), "(no error)");
}

TEST(NativeConfig, AnIntegerKnobTooLargeIsRejectedNotClamped) {
  EXPECT_EQ(config_error({{"MAX_SPOT_ATTEMPTS", "99999999999"}}),
            "MAX_SPOT_ATTEMPTS must be a positive integer of at most 4294967295, got '99999999999'");
  EXPECT_EQ(config_error({{"SSH_READY_ATTEMPTS", "4294967296"}}),
            "SSH_READY_ATTEMPTS must be a positive integer of at most 4294967295, got '4294967296'");
  const Config c = load_config(load_builtin_module("data"), Flags{}, env_of({{"SSH_READY_ATTEMPTS", "4294967295"}}));
  EXPECT_EQ(c.ssh_ready_attempts, 4294967295u);
}

namespace {
std::string cleanup_timeout_error(const std::string& value) {
  return config_error({{"SPOT_CLEANUP_TIMEOUT", value}});
}
}  // namespace

TEST(NativeConfig, TheCleanupTimeoutMustBeAFiniteNumberOfSecondsUpToADay) {
  for (const std::string bad : {"-1", "0", "inf", "nan", "5s", "1e300", "1e400", " 5", "86400.5", "0x10", "+5"})
    EXPECT_EQ(cleanup_timeout_error(bad),
              "SPOT_CLEANUP_TIMEOUT must be a number of seconds greater than 0 and at most 86400, got '" + bad + "'")
        << bad;
}

TEST(NativeConfig, AFractionalCleanupTimeoutIsKept) {
  const auto timeout = [](const std::string& value) {
    return load_config(load_builtin_module("data"), Flags{}, env_of({{"SPOT_CLEANUP_TIMEOUT", value}}))
        .cleanup_timeout_seconds;
  };
  EXPECT_EQ(timeout("2.5"), 2.5);
  EXPECT_EQ(timeout("86400"), 86400.0);
  EXPECT_EQ(timeout(""), 60.0);  // empty counts as unset
}

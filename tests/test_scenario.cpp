// Unit tests for scenario loading: located errors, launcher resolution, file discovery, bound and matcher wording.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "spotcheck/check.hpp"
#include "spotcheck/error.hpp"
#include "spotcheck/scenario.hpp"
#include "test_support.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;
using spotcheck::testing::TempDir;
using spotcheck::testing::write_file;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// A project tree without a project file: ROOT/launchers/spot_backtest.sh, ROOT/l and
// ROOT/scenarios/backtester/case.json holding `json`.
class ScenarioFile : public ::testing::Test {
 protected:
  fs::path write(const std::string& json) {
    write_file(dir_.path() / "launchers" / "spot_backtest.sh", "#!/bin/bash\n");
    write_file(dir_.path() / "l", "#!/bin/bash\n");
    const fs::path file = dir_.path() / "scenarios" / "backtester" / "case.json";
    write_file(file, json);
    return file;
  }
  // Loads `json` and returns the error text; fails the test when loading succeeds.
  std::string error_of(const std::string& json) {
    const fs::path file = write(json);
    try {
      load_scenario(file);
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::BadInput);
      EXPECT_THAT(std::string(e.what()), StartsWith(file.string() + ": "));
      return e.what();
    }
    ADD_FAILURE() << "load_scenario accepted: " << json;
    return "";
  }
  // A minimal valid scenario with `expect` spliced in.
  static std::string with_expect(const std::string& expect) {
    return R"({"name": "n", "launcher": "launchers/spot_backtest.sh", "expect": )" + expect + "}";
  }
  TempDir dir_;
};

TEST_F(ScenarioFile, AValidScenarioLoadsEveryField) {
  const fs::path file = write(R"({
    "$schema": "../../schema/scenario.schema.json", "v": 1,
    "name": "backtester/preflight-only makes no writes", "module": "backtester",
    "description": "d", "launcher": "launchers/spot_backtest.sh", "args": ["--preflight-only", "--branch", "main"],
    "env": {"AWS_REGION": "us-east-1"}, "files": {"config.yaml": "a: 1"},
    "world": {"region": "us-east-1"}, "fakes": [{"match": {"tool": "aws"}}], "strict": true, "timeout": 30,
    "xfail": "known issue",
    "expect": {
      "exit": 0,
      "effects": {"s3.write": 0, "ec2.launch": {"at_least": 1, "at_most": 3}},
      "calls": [{"tool": "python", "host": "spot", "argv_contains": ["--mode=smoke"], "count": 1},
                {"effect": "ec2.terminate"}],
      "no_calls": [{"tool": "aws", "argv_prefix": ["s3", "cp"]}],
      "order": ["ec2.launch", {"label": "deps", "effect": "deps.install"}, {"effect": "ec2.terminate"}],
      "cleanup_last": true, "all_instances_terminated": true,
      "stdout_contains": ["preflight ok"], "stderr_contains": ["warn"]
    }})");
  const Scenario s = load_scenario(file);
  EXPECT_EQ(s.name, "backtester/preflight-only makes no writes");
  EXPECT_EQ(s.module, "backtester");
  EXPECT_EQ(s.args, (std::vector<std::string>{"--preflight-only", "--branch", "main"}));
  EXPECT_EQ(s.env.at("AWS_REGION"), "us-east-1");
  ASSERT_EQ(s.world_layers.size(), 2u);
  EXPECT_EQ(s.world_layers[0].value["region"], "us-east-1");
  EXPECT_EQ(s.world_layers[0].pointer, "/world");
  EXPECT_EQ(s.world_layers[1].value["files"]["config.yaml"], "a: 1");
  EXPECT_EQ(s.world_layers[1].file, file.string());
  EXPECT_EQ(s.fakes.size(), 1u);
  EXPECT_TRUE(s.strict);
  EXPECT_DOUBLE_EQ(s.timeout_seconds, 30);
  EXPECT_EQ(s.xfail, "known issue");
  const Expectations& e = s.expect;
  EXPECT_EQ(e.exit, 0);
  EXPECT_FALSE(e.exit_nonzero);
  EXPECT_EQ(e.effects.at("s3.write").exactly, 0);
  EXPECT_EQ(e.effects.at("ec2.launch").at_least, 1);
  EXPECT_EQ(e.effects.at("ec2.launch").at_most, 3);
  ASSERT_EQ(e.calls.size(), 2u);
  EXPECT_EQ(e.calls[0].match.tool, "python");
  EXPECT_EQ(e.calls[0].match.host, "spot");
  EXPECT_EQ(e.calls[0].count.exactly, 1);
  EXPECT_EQ(e.calls[1].count.at_least, 1);  // default: must happen
  EXPECT_EQ(e.calls[1].match.effect, "ec2.terminate");
  ASSERT_EQ(e.no_calls.size(), 1u);
  EXPECT_EQ(e.no_calls[0].argv_prefix, (std::vector<std::string>{"s3", "cp"}));
  ASSERT_EQ(e.order.size(), 1u);
  ASSERT_EQ(e.order[0].size(), 3u);
  EXPECT_EQ(e.order[0][0].label, "ec2.launch");
  EXPECT_EQ(e.order[0][0].match.effect, "ec2.launch");
  EXPECT_EQ(e.order[0][1].label, "deps");
  EXPECT_EQ(e.order[0][2].label, e.order[0][2].match.describe());  // unlabelled: the matcher's description
  EXPECT_TRUE(e.cleanup_last);
  EXPECT_TRUE(e.all_instances_terminated);
  EXPECT_EQ(e.stdout_contains, (std::vector<std::string>{"preflight ok"}));
  EXPECT_EQ(e.stderr_contains, (std::vector<std::string>{"warn"}));
}

TEST_F(ScenarioFile, ARelativeLauncherResolvesAgainstTheProjectRoot) {
  const Scenario s = load_scenario(write(with_expect("{}")));
  EXPECT_EQ(s.project.root, fs::absolute(dir_.path()));
  EXPECT_EQ(s.launcher, fs::absolute(dir_.path()) / "launchers" / "spot_backtest.sh");
}

TEST_F(ScenarioFile, AnAbsoluteLauncherIsKeptAsWritten) {
  const fs::path absolute = fs::absolute(dir_.path()) / "l";
  const Scenario s = load_scenario(write(R"({"name": "n", "launcher": ")" + absolute.string() + R"(", "expect": {}})"));
  EXPECT_EQ(s.launcher, absolute);
}

TEST_F(ScenarioFile, AMissingLauncherIsNamedWithWhatItWasRelativeTo) {
  const std::string e = error_of(R"({"name": "n", "launcher": "infra/run.sh", "expect": {}})");
  EXPECT_THAT(e, HasSubstr(": /launcher: no such file: " + (fs::absolute(dir_.path()) / "infra/run.sh").string()));
  EXPECT_THAT(e, HasSubstr("relative to " + fs::absolute(dir_.path()).string()));
}

TEST_F(ScenarioFile, NestedOrderListsBecomeSeveralConstraints) {
  const Scenario s =
      load_scenario(write(with_expect(R"({"order": [["ec2.launch", "ec2.terminate"], ["s3.read", "s3.write"]]})")));
  ASSERT_EQ(s.expect.order.size(), 2u);
  EXPECT_EQ(s.expect.order[1][1].match.effect, "s3.write");
}

TEST_F(ScenarioFile, ExitNonzeroIsAccepted) {
  const Scenario s = load_scenario(write(with_expect(R"({"exit": "nonzero"})")));
  EXPECT_TRUE(s.expect.exit_nonzero);
  EXPECT_FALSE(s.expect.exit.has_value());
}

TEST_F(ScenarioFile, AnUnknownTopLevelKeyIsNamedWithTheValidKeys) {
  const std::string e = error_of(R"({"name": "n", "launcher": "l", "expect": {}, "bogus": 1})");
  EXPECT_THAT(e, HasSubstr(": /bogus: unknown key; expected one of $schema, args, description, env, expect, fakes, "
                           "files, invariants, launcher, module, name, native, strict, timeout, v, world, xfail"));
  EXPECT_THAT(e, Not(HasSubstr("did you mean"))) << "nothing is close to \"bogus\"";
}

TEST_F(ScenarioFile, AnUnknownKeyInExpectIsNamed) {
  EXPECT_THAT(error_of(with_expect(R"({"exits": 0})")), HasSubstr(": /expect/exits: unknown key; expected one of "));
  EXPECT_THAT(error_of(with_expect(R"({"exits": 0})")), HasSubstr("world_unchanged (did you mean \"exit\"?)"));
}

TEST_F(ScenarioFile, ArgsOfTheWrongTypeAreNamed) {
  EXPECT_THAT(error_of(R"({"name": "n", "launcher": "l", "args": "--smoke", "expect": {}})"),
              HasSubstr(": /args: expected an array of strings, got the string \"--smoke\""));
  EXPECT_THAT(error_of(R"({"name": "n", "launcher": "l", "args": ["a", 2], "expect": {}})"),
              HasSubstr(": /args/1: expected a string, got the number 2"));
}

TEST_F(ScenarioFile, AMissingRequiredKeyIsNamed) {
  EXPECT_THAT(error_of(R"({"launcher": "l", "expect": {}})"), HasSubstr(": /name: required key is missing"));
  EXPECT_THAT(error_of(R"({"name": "n", "launcher": "l"})"), HasSubstr(": /expect: required key is missing"));
}

TEST_F(ScenarioFile, AnotherSchemaVersionIsRejected) {
  EXPECT_THAT(error_of(R"({"v": 2, "name": "n", "launcher": "l", "expect": {}})"),
              HasSubstr(": /v: expected schema version 1"));
}

TEST_F(ScenarioFile, ABadEffectNameInExpectEffectsListsTheValidNames) {
  const std::string e = error_of(with_expect(R"({"effects": {"s3.writes": 0}})"));
  EXPECT_THAT(e, HasSubstr(": /expect/effects/s3.writes: unknown key; expected one of "));
  EXPECT_THAT(e, HasSubstr("s3.write,"));
  EXPECT_THAT(e, HasSubstr("ec2.launch"));
  EXPECT_THAT(e, HasSubstr(" (did you mean \"s3.write\"?)"));
}

TEST_F(ScenarioFile, ABadEffectNameInACallListsTheValidNames) {
  const std::string e = error_of(with_expect(R"({"calls": [{"effect": "s3.wrte"}]})"));
  EXPECT_THAT(e, HasSubstr(": /expect/calls/0/effect: expected one of ec2.launch, "));
  EXPECT_THAT(e, HasSubstr(", got the string \"s3.wrte\" (did you mean \"s3.write\"?)"));
}

TEST_F(ScenarioFile, ABadCountObjectIsNamed) {
  EXPECT_THAT(error_of(with_expect(R"({"calls": [{"tool": "aws", "count": {"most": 2}}]})")),
              HasSubstr(": /expect/calls/0/count/most: unknown key"));
  EXPECT_THAT(error_of(with_expect(R"({"effects": {"s3.write": {}}})")),
              HasSubstr(": /expect/effects/s3.write: expected an integer or one of exactly / at_least / at_most"));
  EXPECT_THAT(error_of(with_expect(R"({"effects": {"s3.write": -1}})")),
              HasSubstr(": /expect/effects/s3.write: expected an integer >= 0, got the number -1"));
  EXPECT_THAT(error_of(with_expect(R"({"effects": {"s3.write": {"at_least": "one"}}})")),
              HasSubstr(": /expect/effects/s3.write/at_least: expected an integer >= 0, got the string \"one\""));
}

TEST_F(ScenarioFile, ABadRegexIsNamed) {
  EXPECT_THAT(error_of(with_expect(R"({"no_calls": [{"argv_regex": "(unclosed"}]})")),
              HasSubstr(": /expect/no_calls/0/argv_regex: expected a valid ECMAScript regular expression, got the "
                        "string \"(unclosed\" ("));
}

TEST_F(ScenarioFile, AnExitThatIsNeitherAnIntegerNorNonzeroIsNamed) {
  EXPECT_THAT(error_of(with_expect(R"({"exit": "sometimes"})")),
              HasSubstr(": /expect/exit: expected an integer exit status or \"nonzero\""));
  EXPECT_THAT(error_of(with_expect(R"({"exit": true})")),
              HasSubstr(": /expect/exit: expected an integer in 0..255, got true"));
}

TEST_F(ScenarioFile, AnOrderWithFewerThanTwoGroupsIsNamed) {
  EXPECT_THAT(error_of(with_expect(R"({"order": ["ec2.launch"]})")),
              HasSubstr(": /expect/order: expected an array of at least two groups"));
  EXPECT_THAT(error_of(with_expect(R"({"order": [["ec2.launch", "sleep"], ["sleep"]]})")),
              HasSubstr(": /expect/order/1: expected an array of at least two groups"));
}

TEST_F(ScenarioFile, AnUnknownKeyInAnOrderGroupIsNamed) {
  EXPECT_THAT(error_of(with_expect(R"({"order": ["ec2.launch", {"lable": "x", "effect": "sleep"}]})")),
              HasSubstr(": /expect/order/1/lable: unknown key"));
}

TEST_F(ScenarioFile, AWrongTypeForABooleanOrNumberIsNamed) {
  EXPECT_THAT(error_of(R"({"name": "n", "launcher": "l", "strict": "yes", "expect": {}})"),
              HasSubstr(": /strict: expected true or false, got the string \"yes\""));
  EXPECT_THAT(error_of(R"({"name": "n", "launcher": "l", "timeout": 0, "expect": {}})"),
              HasSubstr(": /timeout: expected a number >= 1, got the number 0"));
  EXPECT_THAT(error_of(R"({"name": "n", "launcher": "l", "world": {"regoin": "x"}, "expect": {}})"),
              HasSubstr(": /world/regoin: unknown key; expected one of amis, boot_seconds, capacity, config_prefixes, "
                        "credentials, files, internet, region, repos, s3, ssh_ready_after, ssm, ssm_agent, "
                        "ssm_agent_online_after, ssm_invocation_visible_after (did you mean \"region\"?)"));
}

TEST_F(ScenarioFile, InvalidJsonNamesTheByte) {
  // The second comma is byte 14.
  EXPECT_THAT(error_of(R"({"name": "x",,})"), HasSubstr(": invalid JSON at byte 14"));
}

// ---------------------------------------------------------------- the world, validated when the scenario loads

TEST_F(ScenarioFile, ABadValueInTheInlineWorldNamesTheScenarioFileAndItsPointerUnderWorld) {
  const std::string json = R"({"name": "n", "launcher": "l", "expect": {},
    "world": {"capacity": {"c6i.4xlarge": -1}}})";
  EXPECT_EQ(error_of(json),
            write(json).string() + ": /world/capacity/c6i.4xlarge: expected an integer >= 0, got the number -1");
}

TEST_F(ScenarioFile, AWorldKeyHoldingSlashAndTildeIsEscapedInThePointer) {
  const std::string json = R"({"name": "n", "launcher": "l", "expect": {},
    "world": {"s3": {"objects": {"s3://b/a~b": 3}}}})";
  EXPECT_EQ(error_of(json),
            write(json).string() + ": /world/s3/objects/s3:~1~1b~1a~0b: expected a string, got the number 3");
}

TEST_F(ScenarioFile, ABadFixtureInTheTopLevelFilesIsNamedUnderFiles) {
  const std::string json = R"({"name": "n", "launcher": "l", "expect": {}, "files": {"/etc/x": "t"}})";
  EXPECT_EQ(error_of(json),
            write(json).string() + ": /files/~1etc~1x: expected a path under ~ or relative to the working directory");
}

TEST_F(ScenarioFile, AWorldThatRemovesARequiredValueIsBlamedNotTheDefaultWorld) {
  // The default world's /quant/github-token has a value; null removes it (RFC 7386), leaving a bad parameter.
  const std::string json = R"({"name": "n", "launcher": "l", "expect": {},
    "world": {"ssm": {"/quant/github-token": {"value": null}}}})";
  EXPECT_EQ(error_of(json), write(json).string() + ": /world/ssm/~1quant~1github-token/value: required key is missing");
}

TEST_F(ScenarioFile, NullInTheInlineWorldRemovesADefaultValue) {
  const auto file = write(R"({"name": "n", "launcher": "l", "expect": {},
    "world": {"s3": {"objects": {"s3://quant-research-data/parity/trades.db": null}}, "files": {"config.yaml": null}}})");
  EXPECT_NO_THROW(load_scenario(file));
}

TEST_F(ScenarioFile, ABadValueInTheProjectsDefaultWorldNamesThatFile) {
  const fs::path world = dir_.path() / "scenarios" / "worlds" / "default.json";
  write_file(world, R"({"region": "us-east-1", "ssh_ready_after": "soon"})");
  try {
    load_scenario(write(R"({"name": "n", "launcher": "l", "expect": {}, "world": {"region": "eu-west-1"}})"));
    FAIL() << "a bad default world was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              world.string() + ": /ssh_ready_after: expected a number >= 0, got the string \"soon\"");
  }
}

TEST_F(ScenarioFile, BadBehaviourRulesAreLeftToTheRunWhichNamesThemUnderFakes) {
  // The fakes' rules are validated before the run starts (run_dir.cpp); the loader checks the array only.
  EXPECT_THAT(error_of(R"({"name": "n", "launcher": "l", "expect": {}, "fakes": {}})"),
              HasSubstr(": /fakes: expected an array, got an object"));
}

TEST(LoadScenario, AMissingFileIsABadInputNamingTheFile) {
  try {
    load_scenario("/nonexistent/spotcheck/x.json");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.where(), "/nonexistent/spotcheck/x.json");
    EXPECT_THAT(e.reason(), HasSubstr("can't read the file"));
  }
}

TEST(FindScenarioFiles, RecursesSortsAndSkipsWorkloadsWorldsAndExpectedFiles) {
  TempDir dir;
  const fs::path s = dir.path() / "scenarios";
  for (const char* f : {"b/z.json", "a.json", "b/c/y.json", "workloads/w.json", "worlds/default.json",
                        "b/golden.expected.json", "notes.md"})
    write_file(s / f, "{}");
  EXPECT_EQ(find_scenario_files({s}), (std::vector<fs::path>{s / "a.json", s / "b/c/y.json", s / "b/z.json"}));
}

TEST(FindScenarioFiles, KeepsAFileNamedExplicitly) {
  TempDir dir;
  write_file(dir.path() / "one.json", "{}");
  write_file(dir.path() / "d" / "two.json", "{}");
  EXPECT_EQ(find_scenario_files({dir.path() / "one.json", dir.path() / "d"}),
            (std::vector<fs::path>{dir.path() / "d" / "two.json", dir.path() / "one.json"}));
}

// Only directories below the searched path are special; where the checkout lives must not matter.
TEST(FindScenarioFiles, AWorldsDirectoryAboveTheSearchedPathDoesNotHideScenarios) {
  TempDir dir;
  const fs::path s = dir.path() / "worlds" / "project" / "scenarios";
  write_file(s / "a.json", "{}");
  EXPECT_EQ(find_scenario_files({s}), (std::vector<fs::path>{s / "a.json"}));
}

TEST(CountBound, HoldsChecksEveryGivenLimit) {
  EXPECT_TRUE((CountBound{0, {}, {}}).holds(0));
  EXPECT_FALSE((CountBound{0, {}, {}}).holds(1));
  EXPECT_FALSE((CountBound{{}, 1, {}}).holds(0));
  EXPECT_TRUE((CountBound{{}, 1, {}}).holds(5));
  EXPECT_TRUE((CountBound{{}, {}, 2}).holds(2));
  EXPECT_FALSE((CountBound{{}, {}, 2}).holds(3));
  EXPECT_TRUE((CountBound{{}, 1, 3}).holds(3));
  EXPECT_FALSE((CountBound{{}, 1, 3}).holds(4));
  EXPECT_TRUE(CountBound{}.holds(7));
}

TEST(CountBound, DescribeReadsAsEnglish) {
  EXPECT_EQ((CountBound{0, {}, {}}).describe(), "exactly 0");
  EXPECT_EQ((CountBound{{}, 1, {}}).describe(), "at least 1");
  EXPECT_EQ((CountBound{{}, {}, 2}).describe(), "at most 2");
  EXPECT_EQ((CountBound{{}, 1, 3}).describe(), "between 1 and 3");
  EXPECT_EQ(CountBound{}.describe(), "any number");
}

TEST(CallMatcherDescribe, NamesToolHostAndArgvTests) {
  CallMatcher m;
  m.tool = "python";
  m.host = "spot";
  m.argv_contains = {"backtest.py", "--mode=smoke"};
  EXPECT_EQ(m.describe(), "a python call on a spot whose argv contains [backtest.py, --mode=smoke]");
  CallMatcher n;
  n.tool = "aws";
  n.host = "dispatcher";
  n.argv_prefix = {"s3", "cp"};
  n.argv_regex = "s3://[^ ]+/out";
  EXPECT_EQ(n.describe(), "a aws call on dispatcher whose argv starts [s3, cp] whose argv matches /s3://[^ ]+/out/");
}

TEST(CallMatcherDescribe, AMatcherWithoutAToolHasNoDoubleSpace) {
  CallMatcher m;
  m.effect = "s3.write";
  EXPECT_EQ(m.describe(), "a call with effect s3.write");
}

TEST(ParseCallMatcher, ErrorsUseTheGivenFileAndPointer) {
  try {
    parse_call_matcher(nlohmann::json{{"tol", "aws"}}, "f.json", "/expect/calls/3");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_THAT(std::string(e.what()),
                StartsWith("f.json: /expect/calls/3/tol: unknown key; expected one of argv_contains, argv_prefix, "
                           "argv_regex, effect, host, tool (did you mean \"tool\"?)"));
  }
}

}  // namespace
}  // namespace spotcheck::harness

namespace spotcheck::harness {
namespace {

TEST_F(ScenarioFile, ANativeDifferenceLoadsItsReasonExpectationsAndFlags) {
  const auto file = write(R"({"name": "n", "module": "backtester", "launcher": "launchers/spot_backtest.sh",
    "expect": {"exit": 0},
    "native": {"why": "retries", "expect": {"exit": 1}, "equivalent": false, "only": true}})");
  const Scenario s = load_scenario(file);
  ASSERT_TRUE(s.native);
  EXPECT_EQ(s.native->why, "retries");
  ASSERT_TRUE(s.native->expect);
  EXPECT_EQ(s.native->expect->exit, 1);
  EXPECT_FALSE(s.native->equivalent);
  EXPECT_TRUE(s.native->only);
  EXPECT_FALSE(runs_with(s, Impl::Bash));
  EXPECT_TRUE(runs_with(s, Impl::Native));
  EXPECT_EQ(s.golden_file().filename(), "case.expected.jsonl");
}

TEST_F(ScenarioFile, ANativeDifferenceNeedsAReasonAndAModule) {
  EXPECT_THAT(
      error_of(R"({"name": "n", "module": "backtester", "launcher": "l", "expect": {}, "native": {"only": true}})"),
      HasSubstr(": /native/why: required key is missing"));
  EXPECT_THAT(
      error_of(R"({"name": "n", "module": "backtester", "launcher": "l", "expect": {}, "native": {"why": ""}})"),
      HasSubstr(": /native/why: expected a non-empty reason"));
  EXPECT_THAT(error_of(R"({"name": "n", "launcher": "l", "expect": {}, "native": {"why": "w"}})"),
              HasSubstr("expected a \"module\""));
  EXPECT_THAT(
      error_of(R"({"name": "n", "module": "m", "launcher": "l", "expect": {}, "native": {"why": "w", "waive": 1}})"),
      HasSubstr(": /native/waive: unknown key"));
}

}  // namespace
}  // namespace spotcheck::harness

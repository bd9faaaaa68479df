// Unit tests for behaviour rules: strict parsing with FILE: /pointer errors, matching, nth/times counting.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "spotcheck/error.hpp"
#include "spotcheck/fakes/rules.hpp"
#include "test_support.hpp"

namespace spotcheck::fakes {
namespace {

using nlohmann::json;
using spotcheck::testing::TempDir;
using spotcheck::testing::write_file;
using ::testing::HasSubstr;

std::string parse_error(const json& doc) {
  try {
    parse_rules(doc, "rules.json");
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error for " << doc.dump();
  return "";
}

RuleMatch match_of(const json& match) {
  return parse_rules(json::array({{{"match", match}}}), "rules.json").at(0).match;
}

bool matches(const json& match, const std::string& host, const std::string& tool, const std::vector<std::string>& argv,
             const std::string* stdin_text = nullptr) {
  return rule_matches(match_of(match), CallView{host, tool, argv, stdin_text});
}

// ---------------------------------------------------------------- parsing

TEST(ParseRules, AFullRuleParsesEveryField) {
  const auto rules = parse_rules(json::parse(R"([{
      "id": "boom", "match": {"host": "spot", "tool": "aws", "argv_prefix": ["s3", "cp"],
                              "argv_contains": ["--quiet"], "argv_regex": "s3://.*", "stdin_contains": "EOF"},
      "nth": 2, "stdout": "out", "stderr": "err", "exit": 3, "delay": 1.5, "hang": false, "passthrough": true}])"),
                                 "rules.json");
  ASSERT_EQ(rules.size(), 1u);
  const Rule& r = rules[0];
  EXPECT_EQ(r.id, "boom");
  EXPECT_EQ(r.match.host, "spot");
  EXPECT_EQ(r.match.tool, "aws");
  EXPECT_EQ(r.match.argv_prefix, (std::vector<std::string>{"s3", "cp"}));
  EXPECT_EQ(r.match.argv_contains, (std::vector<std::string>{"--quiet"}));
  EXPECT_EQ(r.match.argv_regex, "s3://.*");
  EXPECT_EQ(r.match.stdin_contains, "EOF");
  EXPECT_EQ(r.nth, 2);
  EXPECT_FALSE(r.times);
  EXPECT_EQ(r.answer.stdout_text, "out");
  EXPECT_EQ(r.answer.stderr_text, "err");
  EXPECT_EQ(r.answer.exit, 3);
  EXPECT_DOUBLE_EQ(r.answer.delay, 1.5);
  EXPECT_FALSE(r.answer.hang);
  EXPECT_TRUE(r.answer.passthrough);
}

TEST(ParseRules, TheRulesObjectFormIsAcceptedToo) {
  const auto rules =
      parse_rules(json::parse(R"({"rules": [{"match": {"tool": "ssh"}}, {"match": {}}]})"), "rules.json");
  EXPECT_EQ(rules.size(), 2u);
}

TEST(ParseRules, RulesWithoutAnIdGetDistinctIds) {
  const auto rules = parse_rules(json::parse(R"([{"match": {}}, {"match": {}}])"), "rules.json");
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_FALSE(rules[0].id.empty());
  EXPECT_NE(rules[0].id, rules[1].id);
}

TEST(ParseRules, AMistypedMatchToolNamesFileAndPointer) {
  EXPECT_THAT(parse_error(json::parse(R"([{"match": {"tool": 5}}])")),
              HasSubstr("rules.json: /0/match/tool: expected a string, got the number 5"));
}

TEST(ParseRules, AnUnknownRuleKeyNamesItsPointer) {
  EXPECT_THAT(
      parse_error(json::parse(R"([{"match": {}}, {"match": {}, "exitt": 1}])")),
      ::testing::EndsWith("rules.json: /1/exitt: unknown key; expected one of delay, exit, hang, id, match, nth, "
                          "passthrough, reclaim, signal, stderr, stdout, times (did you mean \"exit\"?)"));
}

TEST(ParseRules, AnUnknownMatchKeyNamesItsPointer) {
  EXPECT_THAT(
      parse_error(json::parse(R"([{"match": {"argv": ["x"]}}])")),
      HasSubstr("rules.json: /0/match/argv: unknown key; expected one of argv_contains, argv_prefix, argv_regex, "
                "host, stdin_contains, tool"));
}

TEST(ParseRules, AnUnknownTopLevelKeyNamesItsPointer) {
  EXPECT_THAT(parse_error(json::parse(R"({"rules": [], "extra": 1})")),
              HasSubstr("rules.json: /extra: unknown key; expected one of rules"));
}

TEST(ParseRules, AMissingMatchIsAnError) {
  EXPECT_THAT(parse_error(json::parse(R"([{"exit": 1}])")), HasSubstr("rules.json: /0/match: required key is missing"));
}

TEST(ParseRules, AMatchThatIsNotAnObjectIsAnError) {
  EXPECT_THAT(parse_error(json::parse(R"([{"match": "aws"}])")),
              HasSubstr("rules.json: /0/match: expected an object, got the string \"aws\""));
}

TEST(ParseRules, ANonStringInAnArgvArrayNamesItsIndex) {
  EXPECT_THAT(parse_error(json::parse(R"([{"match": {"argv_prefix": ["s3", 3]}}])")),
              HasSubstr("rules.json: /0/match/argv_prefix/1: expected a string"));
}

TEST(ParseRules, AnArgvPrefixThatIsNotAnArrayIsAnError) {
  EXPECT_THAT(parse_error(json::parse(R"([{"match": {"argv_contains": "s3"}}])")),
              HasSubstr("rules.json: /0/match/argv_contains: expected an array of strings"));
}

TEST(ParseRules, ABadRegexIsAnErrorNamingArgvRegex) {
  EXPECT_THAT(parse_error(json::parse(R"([{"match": {"argv_regex": "(unclosed"}}])")),
              HasSubstr("rules.json: /0/match/argv_regex: expected a valid ECMAScript regular expression"));
}

TEST(ParseRules, AStringExitIsAnError) {
  EXPECT_THAT(parse_error(json::parse(R"([{"match": {}, "exit": "1"}])")),
              HasSubstr("rules.json: /0/exit: expected an integer in 0..255, got the string \"1\""));
}

TEST(ParseRules, ANegativeExitIsAnError) {
  EXPECT_THAT(parse_error(json::parse(R"([{"match": {}, "exit": -1}])")),
              HasSubstr("rules.json: /0/exit: expected an integer in 0..255, got the number -1"));
}

TEST(ParseRules, AZeroNthIsAnError) {
  EXPECT_THAT(parse_error(json::parse(R"([{"match": {}, "nth": 0}])")),
              HasSubstr("rules.json: /0/nth: expected an integer >= 1, got the number 0"));
}

TEST(ParseRules, AFractionalTimesIsAnError) {
  EXPECT_THAT(parse_error(json::parse(R"([{"match": {}, "times": 1.5}])")),
              HasSubstr("rules.json: /0/times: expected an integer >= 1, got the number 1.5"));
}

TEST(ParseRules, ANegativeDelayIsAnError) {
  EXPECT_THAT(parse_error(json::parse(R"([{"match": {}, "delay": -2}])")),
              HasSubstr("rules.json: /0/delay: expected a number >= 0, got the number -2"));
}

TEST(ParseRules, AStringHangIsAnError) {
  EXPECT_THAT(parse_error(json::parse(R"([{"match": {}, "hang": "yes"}])")),
              HasSubstr("rules.json: /0/hang: expected true or false, got the string \"yes\""));
}

TEST(ParseRules, ErrorsInTheObjectFormIncludeTheRulesPrefix) {
  EXPECT_THAT(parse_error(json::parse(R"({"rules": [{"match": {"tool": []}}]})")),
              HasSubstr("rules.json: /rules/0/match/tool: expected a string"));
}

TEST(ParseRules, ADocumentThatIsNeitherArrayNorObjectIsAnError) {
  EXPECT_EQ(parse_error(json("rules")), "rules.json: (root): expected an array of rules, got the string \"rules\"");
}

TEST(ParseRules, RulesInsideAnotherFileAreNamedByThatFileAndTheirPointer) {
  try {
    parse_rules(json::parse(R"([{"match": {}, "signal": "TREM"}])"), "scenarios/x.json", "/fakes");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "scenarios/x.json: /fakes/0/signal: expected one of TERM, INT, HUP, KILL, got the string \"TREM\" "
              "(did you mean \"TERM\"?)");
  }
}

TEST(LoadRules, AnAbsentFileMeansNoRules) {
  TempDir dir;
  EXPECT_TRUE(load_rules(dir.path() / "rules.json").empty());
}

TEST(LoadRules, InvalidJsonNamesTheFile) {
  TempDir dir;
  const auto file = dir.path() / "rules.json";
  write_file(file, "[{");
  try {
    load_rules(file);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr(file.string()));
    EXPECT_THAT(e.what(), HasSubstr("invalid JSON"));
  }
}

// ---------------------------------------------------------------- matching

TEST(RuleMatches, AnEmptyMatchMatchesEveryCall) {
  EXPECT_TRUE(matches(json::object(), "dispatcher", "aws", {"aws"}));
}

TEST(RuleMatches, HostSpotMatchesAnyInstanceButNotTheDispatcher) {
  EXPECT_TRUE(matches({{"host", "spot"}}, "i-0123", "aws", {"aws"}));
  EXPECT_TRUE(matches({{"host", "spot"}}, "i-0fedcba", "aws", {"aws"}));
  EXPECT_FALSE(matches({{"host", "spot"}}, "dispatcher", "aws", {"aws"}));
}

TEST(RuleMatches, HostDispatcherMatchesOnlyTheDispatcher) {
  EXPECT_TRUE(matches({{"host", "dispatcher"}}, "dispatcher", "aws", {"aws"}));
  EXPECT_FALSE(matches({{"host", "dispatcher"}}, "i-0123", "aws", {"aws"}));
}

TEST(RuleMatches, HostByInstanceIdMatchesOnlyThatInstance) {
  EXPECT_TRUE(matches({{"host", "i-0123"}}, "i-0123", "aws", {"aws"}));
  EXPECT_FALSE(matches({{"host", "i-0123"}}, "i-0456", "aws", {"aws"}));
}

TEST(RuleMatches, ToolPythonMatchesEveryInterpreterSpelling) {
  for (const char* tool : {"python", "python3", "python3.12"}) {
    EXPECT_TRUE(matches({{"tool", "python"}}, "dispatcher", tool, {tool})) << tool;
  }
  EXPECT_FALSE(matches({{"tool", "python"}}, "dispatcher", "pip", {"pip"}));
}

TEST(RuleMatches, ToolPipMatchesPip3) {
  EXPECT_TRUE(matches({{"tool", "pip"}}, "dispatcher", "pip3", {"pip3"}));
}

TEST(RuleMatches, ASpecificToolDoesNotMatchItsPrefixes) {
  EXPECT_TRUE(matches({{"tool", "ssh"}}, "dispatcher", "ssh", {"ssh"}));
  EXPECT_FALSE(matches({{"tool", "ssh"}}, "dispatcher", "ssh-keyscan", {"ssh-keyscan"}));
  EXPECT_FALSE(matches({{"tool", "python3.12"}}, "dispatcher", "python3", {"python3"}));
}

TEST(RuleMatches, ArgvPrefixComparesFromArgvOne) {
  const json m = {{"argv_prefix", {"s3", "cp"}}};
  EXPECT_TRUE(matches(m, "dispatcher", "aws", {"aws", "s3", "cp", "a", "b"}));
  EXPECT_FALSE(matches(m, "dispatcher", "aws", {"aws", "s3", "ls"}));
  EXPECT_FALSE(matches(m, "dispatcher", "aws", {"aws", "s3"}));
  EXPECT_FALSE(matches(m, "dispatcher", "aws", {"s3", "cp"}));
}

TEST(RuleMatches, ArgvContainsNeedsEveryTokenAnywhereAfterArgvZero) {
  const json m = {{"argv_contains", {"--dry-run", "get-parameter"}}};
  EXPECT_TRUE(matches(m, "dispatcher", "aws", {"aws", "ssm", "get-parameter", "--name", "x", "--dry-run"}));
  EXPECT_FALSE(matches(m, "dispatcher", "aws", {"aws", "ssm", "get-parameter"}));
  EXPECT_FALSE(matches({{"argv_contains", {"aws"}}}, "dispatcher", "aws", {"aws", "s3"}));
}

TEST(RuleMatches, ArgvContainsComparesWholeTokens) {
  EXPECT_FALSE(matches({{"argv_contains", {"get"}}}, "dispatcher", "aws", {"aws", "ssm", "get-parameter"}));
}

TEST(RuleMatches, ArgvRegexSearchesTheArgumentsJoinedBySpaces) {
  const json m = {{"argv_regex", "s3 cp .* s3://bucket/"}};
  EXPECT_TRUE(matches(m, "dispatcher", "aws", {"aws", "s3", "cp", "local.txt", "s3://bucket/key"}));
  EXPECT_FALSE(matches(m, "dispatcher", "aws", {"aws", "s3", "cp", "s3://bucket/key", "local.txt"}));
  EXPECT_FALSE(matches({{"argv_regex", "^aws"}}, "dispatcher", "aws", {"aws", "s3"}));
}

TEST(RuleMatches, StdinContainsLooksAtTheStdinText) {
  const json m = {{"stdin_contains", "backtest.py"}};
  const std::string heredoc = "cd ~/backtester\npython3 backtest.py --mode=smoke\n";
  const std::string other = "echo ready\n";
  EXPECT_TRUE(matches(m, "dispatcher", "ssh", {"ssh", "host", "bash", "-s"}, &heredoc));
  EXPECT_FALSE(matches(m, "dispatcher", "ssh", {"ssh", "host", "bash", "-s"}, &other));
  EXPECT_FALSE(matches(m, "dispatcher", "ssh", {"ssh", "host", "bash", "-s"}, nullptr));
}

TEST(RuleMatches, AllConditionsMustHold) {
  const json m = {{"host", "spot"}, {"tool", "aws"}, {"argv_prefix", {"s3"}}};
  EXPECT_TRUE(matches(m, "i-1", "aws", {"aws", "s3", "ls"}));
  EXPECT_FALSE(matches(m, "dispatcher", "aws", {"aws", "s3", "ls"}));
  EXPECT_FALSE(matches(m, "i-1", "git", {"git", "s3"}));
  EXPECT_FALSE(matches(m, "i-1", "aws", {"aws", "ec2"}));
}

// ---------------------------------------------------------------- selection and counting

class SelectRule : public ::testing::Test {
 protected:
  void SetUp() override { std::filesystem::create_directories(paths.state()); }
  void write_rules(const std::string& text) { write_file(paths.rules(), text); }
  std::optional<std::string> answer(const std::vector<std::string>& argv, const std::string& host = "dispatcher") {
    const std::string tool = argv.at(0);
    const auto rule = select_rule(paths, CallView{host, tool, argv, nullptr});
    if (!rule) return std::nullopt;
    return rule->id;
  }
  TempDir dir;
  RunPaths paths{dir.path()};
};

TEST_F(SelectRule, NoRulesFileMeansNoRule) {
  EXPECT_FALSE(answer({"aws", "s3", "ls"}));
}

TEST_F(SelectRule, TheFirstMatchingRuleWins) {
  write_rules(R"([{"id": "a", "match": {"tool": "git"}}, {"id": "b", "match": {"tool": "aws"}},
                  {"id": "c", "match": {"tool": "aws"}}])");
  EXPECT_EQ(answer({"aws", "s3", "ls"}), "b");
  EXPECT_EQ(answer({"git", "clone"}), "a");
  EXPECT_FALSE(answer({"ssh", "host"}));
}

TEST_F(SelectRule, NthAnswersOnlyTheNthMatchingCall) {
  write_rules(R"([{"id": "second", "match": {"tool": "aws"}, "nth": 2}])");
  EXPECT_FALSE(answer({"aws", "a"}));
  EXPECT_EQ(answer({"aws", "b"}), "second");
  EXPECT_FALSE(answer({"aws", "c"}));
  EXPECT_FALSE(answer({"aws", "d"}));
}

TEST_F(SelectRule, NonMatchingCallsDoNotAdvanceTheCount) {
  write_rules(R"([{"id": "second-ssh", "match": {"tool": "ssh"}, "nth": 2}])");
  EXPECT_FALSE(answer({"ssh", "h"}));
  EXPECT_FALSE(answer({"aws", "x"}));
  EXPECT_FALSE(answer({"git", "x"}));
  EXPECT_EQ(answer({"ssh", "h"}), "second-ssh");
}

TEST_F(SelectRule, TimesAnswersTheFirstNMatchingCallsThenFallsThrough) {
  write_rules(R"([{"id": "flaky", "match": {"tool": "ssh"}, "times": 2, "exit": 255},
                  {"id": "ok", "match": {"tool": "ssh"}}])");
  EXPECT_EQ(answer({"ssh", "h"}), "flaky");
  EXPECT_EQ(answer({"ssh", "h"}), "flaky");
  EXPECT_EQ(answer({"ssh", "h"}), "ok");
  EXPECT_EQ(answer({"ssh", "h"}), "ok");
}

TEST_F(SelectRule, CountsArePersistedInTheRunStateNotInTheProcess) {
  write_rules(R"([{"id": "once", "match": {"tool": "aws"}, "times": 1}])");
  EXPECT_EQ(answer({"aws", "x"}), "once");
  EXPECT_TRUE(std::filesystem::exists(paths.state() / "rule-counts.json"));
  EXPECT_FALSE(answer({"aws", "x"}));
  // A fresh run directory starts counting again.
  TempDir other;
  std::filesystem::create_directories(other.path() / "state");
  write_file(other.path() / "rules.json", R"([{"id": "once", "match": {"tool": "aws"}, "times": 1}])");
  const std::vector<std::string> argv = {"aws", "x"};
  const std::string host = "dispatcher", tool = "aws";
  EXPECT_TRUE(select_rule(RunPaths{other.path()}, CallView{host, tool, argv, nullptr}));
}

TEST_F(SelectRule, HostSpotRulesIgnoreDispatcherCalls) {
  write_rules(R"([{"id": "spot-aws", "match": {"host": "spot", "tool": "aws"}, "nth": 1}])");
  EXPECT_FALSE(answer({"aws", "x"}, "dispatcher"));
  EXPECT_EQ(answer({"aws", "x"}, "i-0123"), "spot-aws");
}

TEST_F(SelectRule, ABadRulesFileIsAnErrorNamingIt) {
  write_rules(R"([{"match": {"tool": 1}}])");
  try {
    answer({"aws"});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr(paths.rules().string() + ": /0/match/tool: expected a string, got the number 1"));
  }
}

}  // namespace
}  // namespace spotcheck::fakes

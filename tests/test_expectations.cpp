// Unit tests for expectations over hand-built recordings: each check's failure text, notes and nearest misses.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "spotcheck/expectations.hpp"

namespace spotcheck::harness {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::StartsWith;

Record make(std::int64_t seq, std::string host, std::string tool, std::vector<std::string> argv,
            std::vector<std::string> effects = {}, int exit = 0, std::string out = "") {
  Record r;
  r.seq = seq;
  r.host = std::move(host);
  r.tool = std::move(tool);
  r.argv = std::move(argv);
  r.effects = std::move(effects);
  r.exit = exit;
  r.stdout_text = std::move(out);
  return r;
}

// launch (1), a full-mode python run on the spot (2), an ssh transport (3).
std::vector<Record> small_run() {
  return {make(1, "dispatcher", "aws", {"aws", "ec2", "run-instances"}, {"ec2.launch"}, 0, "i-0a1b2c3d4e5f60718"),
          make(2, "i-0a1b2c3d4e5f60718", "python3.12", {"python3.12", "backtest.py", "--mode=full"}),
          make(3, "dispatcher", "ssh", {"ssh", "ec2-user@203.0.113.5", "bash", "-s"}, {"remote.exec"})};
}

std::vector<Failure> run(const Expectations& e, const std::vector<Record>& records, int exit = 0) {
  Observed o;
  o.exit = exit;
  o.records = &records;
  return evaluate(e, o);
}

CallMatcher smoke_on_spot() {
  CallMatcher m;
  m.tool = "python";
  m.host = "spot";
  m.argv_contains = {"--mode=smoke"};
  return m;
}

TEST(Evaluate, NoExpectationsMeansNoFailures) {
  EXPECT_THAT(run({}, small_run()), IsEmpty());
}

TEST(Evaluate, AnExitMismatchShowsBothStatusesAndTheStderrTail) {
  Expectations e;
  e.exit = 0;
  const auto records = small_run();
  Observed o;
  o.exit = 3;
  o.records = &records;
  o.launcher_stderr = std::string(500, 'x') + "boom: ssh failed";
  const auto f = evaluate(e, o);
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].check, "exit");
  EXPECT_EQ(f[0].expected, "exit status 0");
  EXPECT_EQ(f[0].actual, "exit status 3");
  ASSERT_THAT(f[0].notes, SizeIs(1));
  EXPECT_THAT(f[0].notes[0], StartsWith("last lines of stderr: "));
  EXPECT_THAT(f[0].notes[0], HasSubstr("boom: ssh failed"));
  EXPECT_LE(f[0].notes[0].size(), std::string("last lines of stderr: ").size() + 400);
}

// Reports are JSON: a note cut through a multi-byte character makes the JSON reporter throw.
TEST(Evaluate, TheStderrTailNeverSplitsAUtf8Character) {
  Expectations e;
  e.exit = 0;
  const auto records = small_run();
  Observed o;
  o.exit = 1;
  o.records = &records;
  for (int i = 0; i < 300; ++i) o.launcher_stderr += "é";
  o.launcher_stderr += "x";  // 601 bytes: the last 400 start on a continuation byte
  const auto f = evaluate(e, o);
  ASSERT_THAT(f, SizeIs(1));
  ASSERT_THAT(f[0].notes, SizeIs(1));
  EXPECT_NO_THROW(nlohmann::json(f[0].notes[0]).dump());
}

TEST(Evaluate, NonzeroWithExitZeroSaysTheFailureWasSwallowed) {
  Expectations e;
  e.exit_nonzero = true;
  const auto f = run(e, small_run(), 0);
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].check, "exit");
  EXPECT_THAT(f[0].actual, HasSubstr("the failure was swallowed"));
  EXPECT_THAT(run(e, small_run(), 1), IsEmpty());
}

TEST(Evaluate, ATimeoutIsAnExitFailure) {
  Expectations e;
  const auto records = small_run();
  Observed o;
  o.timed_out = true;
  o.records = &records;
  const auto f = evaluate(e, o);
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_THAT(f[0].actual, HasSubstr("timed out"));
}

TEST(Evaluate, AnEffectCountOverTheBoundPointsAtTheOffendingRecords) {
  auto records = small_run();
  records.push_back(make(4, "i-0a1b2c3d4e5f60718", "aws", {"aws", "s3", "cp", "out.csv", "s3://b/k"}, {"s3.write"}));
  records.push_back(make(5, "dispatcher", "aws", {"aws", "s3", "rm", "s3://b/old"}, {"s3.write"}));
  Expectations e;
  e.effects["s3.write"] = CountBound{0, {}, {}};
  const auto f = run(e, records);
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].check, "effects.s3.write");
  EXPECT_EQ(f[0].expected, "exactly 0 s3.write");
  EXPECT_EQ(f[0].actual, "2 s3.write");
  EXPECT_THAT(f[0].notes, ElementsAre("here: #4 aws on i-0a1b2c3d4e5f60718 `s3 cp out.csv s3://b/k` exit 0",
                                      "here: #5 aws on dispatcher `s3 rm s3://b/old` exit 0"));
}

TEST(Evaluate, AnEffectCountUnderTheBoundFailsWithoutNotes) {
  Expectations e;
  e.effects["ec2.terminate"] = CountBound{{}, 1, {}};
  const auto f = run(e, small_run());
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].expected, "at least 1 ec2.terminate");
  EXPECT_EQ(f[0].actual, "0 ec2.terminate");
  EXPECT_THAT(f[0].notes, IsEmpty());
  e.effects["ec2.terminate"] = CountBound{};
  e.effects["ec2.launch"] = CountBound{1, {}, {}};
  EXPECT_THAT(run(e, small_run()), IsEmpty());
}

TEST(Evaluate, AMissingCallReportsTheSearchAndTheNearestMiss) {
  Expectations e;
  e.calls.push_back({smoke_on_spot(), CountBound{{}, 1, {}}});
  const auto f = run(e, small_run());
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].check, "calls[0]");
  EXPECT_EQ(f[0].expected, "at least 1 × a python call on a spot whose argv contains [--mode=smoke]");
  EXPECT_EQ(f[0].actual, "0 such calls");
  EXPECT_THAT(f[0].notes, ElementsAre("searched all 3 records from #1",
                                      "nearest: #2 python3.12 on i-0a1b2c3d4e5f60718 `backtest.py --mode=full` exit 0 "
                                      "— argv lacks `--mode=smoke`"));
}

TEST(Evaluate, ANearMissOnArgvPrefixNamesTheFirstDifferingPosition) {
  CallMatcher m;
  m.tool = "python";
  m.argv_prefix = {"backtest.py", "--mode=smoke"};
  Expectations e;
  e.calls.push_back({m, CountBound{{}, 1, {}}});
  const auto f = run(e, small_run());
  ASSERT_THAT(f, SizeIs(1));
  ASSERT_THAT(f[0].notes, SizeIs(2));
  EXPECT_THAT(f[0].notes[1], HasSubstr("argv differs at [2]: `--mode=full` vs `--mode=smoke`"));
}

TEST(Evaluate, ANearMissOnHostSaysWhichHost) {
  auto records = small_run();
  records[1].host = "dispatcher";
  CallMatcher m = smoke_on_spot();
  m.argv_contains = {"--mode=full"};
  Expectations e;
  e.calls.push_back({m, CountBound{{}, 1, {}}});
  const auto f = run(e, records);
  ASSERT_THAT(f, SizeIs(1));
  ASSERT_THAT(f[0].notes, SizeIs(2));
  EXPECT_THAT(f[0].notes[1], HasSubstr("#2 python3.12 on dispatcher"));
  EXPECT_THAT(f[0].notes[1], HasSubstr("host is dispatcher"));
}

// The nearest miss must say how it differs even when only the tool is wrong.
TEST(Evaluate, ANearMissOnToolSaysWhichTool) {
  std::vector<Record> records = {make(1, "i-1", "bash", {"bash", "run.sh", "--mode=smoke"})};
  Expectations e;
  e.calls.push_back({smoke_on_spot(), CountBound{{}, 1, {}}});
  const auto f = run(e, records);
  ASSERT_THAT(f, SizeIs(1));
  ASSERT_THAT(f[0].notes, SizeIs(2));
  EXPECT_THAT(f[0].notes[1], HasSubstr("tool is bash"));
}

TEST(Evaluate, AMissingCallInAnEmptyRecordingSaysSo) {
  Expectations e;
  e.calls.push_back({smoke_on_spot(), CountBound{{}, 1, {}}});
  const std::vector<Record> none;
  const auto f = run(e, none);
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_THAT(f[0].notes, ElementsAre("the recording is empty"));
}

TEST(Evaluate, TooManyCallsIsACountFailure) {
  CallMatcher m;
  m.tool = "aws";
  Expectations e;
  e.calls.push_back({m, CountBound{1, {}, {}}});
  auto records = small_run();
  records.push_back(make(4, "dispatcher", "aws", {"aws", "ec2", "describe-instances"}, {"ec2.describe"}));
  const auto f = run(e, records);
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].expected, "exactly 1 × a aws call");
  EXPECT_EQ(f[0].actual, "2 such calls");
}

TEST(Evaluate, NoCallsListsEveryOffendingRecord) {
  CallMatcher m;
  m.tool = "aws";
  m.argv_prefix = {"s3"};
  Expectations e;
  e.no_calls.push_back(m);
  EXPECT_THAT(run(e, small_run()), IsEmpty());
  auto records = small_run();
  records.push_back(make(4, "dispatcher", "aws", {"aws", "s3", "cp", "a", "s3://b/a"}, {"s3.write"}));
  records.push_back(make(5, "dispatcher", "aws", {"aws", "ec2", "terminate-instances"}, {"ec2.terminate"}));
  records.push_back(make(6, "i-1", "aws", {"aws", "s3", "ls", "s3://b/"}, {"s3.read"}));
  const auto f = run(e, records);
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].check, "no_calls[0]");
  EXPECT_EQ(f[0].expected, "no a aws call whose argv starts [s3]");
  EXPECT_EQ(f[0].actual, "2 such calls");
  EXPECT_THAT(f[0].notes, ElementsAre("here: #4 aws on dispatcher `s3 cp a s3://b/a` exit 0",
                                      "here: #6 aws on i-1 `s3 ls s3://b/` exit 0"));
}

std::vector<OrderGroup> boot_deps() {
  OrderGroup boot{"boot", {}};
  boot.match.effect = "ec2.launch";
  OrderGroup deps{"deps", {}};
  deps.match.effect = "deps.install";
  return {boot, deps};
}

TEST(Evaluate, AnOrderViolationNamesTheFirstAndLastRecordsOfTheGroups) {
  std::vector<Record> records = {
      make(1, "dispatcher", "aws", {"aws", "ec2", "run-instances"}, {"ec2.launch"}),
      make(2, "i-1", "pip", {"pip", "install", "-r", "req.txt"}, {"deps.install"}),
      make(3, "dispatcher", "aws", {"aws", "ec2", "run-instances", "--retry"}, {"ec2.launch"})};
  Expectations e;
  e.order.push_back(boot_deps());
  const auto f = run(e, records);
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].check, "order[0]");
  EXPECT_EQ(f[0].expected, "every `boot` call before every `deps` call");
  EXPECT_EQ(f[0].actual, "`deps` started before `boot` was done");
  EXPECT_THAT(f[0].notes, ElementsAre("first deps: #2 pip on i-1 `install -r req.txt` exit 0",
                                      "last boot: #3 aws on dispatcher `ec2 run-instances --retry` exit 0"));
  records.pop_back();
  EXPECT_THAT(run(e, records), IsEmpty());
}

TEST(Evaluate, AnOrderGroupWithNoCallsIsNamed) {
  Expectations e;
  e.order.push_back(boot_deps());
  const auto f = run(e, small_run());
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].expected, "boot < deps");
  EXPECT_EQ(f[0].actual, "no call of group `deps`");
  ASSERT_THAT(f[0].notes, ::testing::Not(IsEmpty()));
  EXPECT_EQ(f[0].notes[0], "searched all 3 records from #1");
}

TEST(Evaluate, CleanupLastFailsWhenAWorldCallFollowsTheTerminate) {
  auto records = small_run();
  records.push_back(make(4, "dispatcher", "aws", {"aws", "ec2", "terminate-instances"}, {"ec2.terminate"}));
  records.push_back(make(5, "dispatcher", "aws", {"aws", "s3", "cp", "log", "s3://b/log"}, {"s3.write"}));
  Expectations e;
  e.cleanup_last = true;
  const auto f = run(e, records);
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].check, "cleanup_last");
  EXPECT_EQ(f[0].actual, "the last world call was #5 aws on dispatcher `s3 cp log s3://b/log` exit 0");
}

TEST(Evaluate, CleanupLastIgnoresSleepsAndTransportsAfterTheTerminate) {
  auto records = small_run();
  records.push_back(make(4, "dispatcher", "aws", {"aws", "ec2", "terminate-instances"}, {"ec2.terminate"}));
  records.push_back(make(5, "dispatcher", "sleep", {"sleep", "5"}, {"sleep"}));
  records.push_back(make(6, "dispatcher", "ssh", {"ssh", "host", "true"}, {"remote.exec"}));
  Expectations e;
  e.cleanup_last = true;
  EXPECT_THAT(run(e, records), IsEmpty());
  EXPECT_FALSE(is_world_call(records[4]));
  EXPECT_FALSE(is_world_call(records[5]));
  EXPECT_TRUE(is_world_call(records[3]));
}

TEST(Evaluate, CleanupLastWithNoWorldCallsSaysSo) {
  Expectations e;
  e.cleanup_last = true;
  const std::vector<Record> records = {make(1, "dispatcher", "sleep", {"sleep", "1"}, {"sleep"})};
  const auto f = run(e, records);
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].actual, "no world calls");
}

TEST(Evaluate, AnUnterminatedInstanceIsNamed) {
  std::vector<Record> records = {
      make(1, "dispatcher", "aws", {"aws", "ec2", "run-instances"}, {"ec2.launch"}, 0,
           "i-0aaaaaaaaaaaaaaa1\ni-0bbbbbbbbbbbbbbb2\n"),
      make(2, "dispatcher", "aws", {"aws", "ec2", "terminate-instances", "--instance-ids", "i-0aaaaaaaaaaaaaaa1"},
           {"ec2.terminate"}),
      make(3, "dispatcher", "aws", {"aws", "ec2", "terminate-instances", "--instance-ids", "i-0bbbbbbbbbbbbbbb2"},
           {"ec2.terminate"}, 255)};
  Expectations e;
  e.all_instances_terminated = true;
  const auto f = run(e, records);
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].check, "all_instances_terminated");
  EXPECT_EQ(f[0].actual, "i-0bbbbbbbbbbbbbbb2 was launched and never terminated");
  records[2].exit = 0;
  EXPECT_THAT(run(e, records), IsEmpty());
}

TEST(LaunchedInstances, ComeFromSuccessfulLaunchOutputOnly) {
  const std::vector<Record> records = {
      make(1, "dispatcher", "aws", {"aws", "ec2", "run-instances"}, {"ec2.launch"}, 1, "i-0ccccccccccccccc3"),
      make(2, "dispatcher", "aws", {"aws", "ec2", "run-instances"}, {"ec2.launch"}, 0,
           R"({"Instances": [{"InstanceId": "i-0ddddddddddddddd4"}]})")};
  EXPECT_THAT(launched_instances(records), ElementsAre("i-0ddddddddddddddd4"));
}

// run-instances output always carries an ImageId ("ami-...") and network interfaces ("eni-...").
TEST(LaunchedInstances, AmiAndEniIdsAreNotInstanceIds) {
  const std::vector<Record> records = {
      make(1, "dispatcher", "aws", {"aws", "ec2", "run-instances"}, {"ec2.launch"}, 0,
           R"({"Instances": [{"InstanceId": "i-0a1b2c3d4e5f60718", "ImageId": "ami-0abcdef1234567890",)"
           R"( "NetworkInterfaces": [{"NetworkInterfaceId": "eni-0123456789abcdef0"}]}]})")};
  EXPECT_THAT(launched_instances(records), ElementsAre("i-0a1b2c3d4e5f60718"));
}

TEST(TerminatedInstances, ComeFromSuccessfulTerminateArgv) {
  const std::vector<Record> records = {
      make(1, "dispatcher", "aws", {"aws", "ec2", "terminate-instances", "--instance-ids", "i-0eeeeeeeeeeeeeee5"},
           {"ec2.terminate"}),
      make(2, "dispatcher", "aws", {"aws", "ec2", "describe-instances", "--instance-ids", "i-0fffffffffffffff6"},
           {"ec2.describe"})};
  EXPECT_THAT(terminated_instances(records), ElementsAre("i-0eeeeeeeeeeeeeee5"));
}

TEST(Evaluate, StdoutAndStderrContainsReportWhatWasSearched) {
  Expectations e;
  e.stdout_contains = {"preflight ok", "hello"};
  e.stderr_contains = {"warning"};
  const auto records = small_run();
  Observed o;
  o.records = &records;
  o.launcher_stdout = "hello world";
  o.launcher_stderr = "";
  const auto f = evaluate(e, o);
  ASSERT_THAT(f, SizeIs(2));
  EXPECT_EQ(f[0].check, "stdout_contains");
  EXPECT_EQ(f[0].expected, "stdout containing `preflight ok`");
  EXPECT_EQ(f[0].actual, "not found in 11 bytes of stdout");
  EXPECT_EQ(f[1].check, "stderr_contains");
  EXPECT_EQ(f[1].actual, "not found in 0 bytes of stderr");
}

TEST(Matches, SpotMeansAnyHostButTheDispatcher) {
  CallMatcher m;
  m.host = "spot";
  EXPECT_TRUE(matches(m, make(1, "i-1", "aws", {"aws"})));
  EXPECT_FALSE(matches(m, make(1, "dispatcher", "aws", {"aws"})));
  m.host = "i-1";
  EXPECT_TRUE(matches(m, make(1, "i-1", "aws", {"aws"})));
  EXPECT_FALSE(matches(m, make(1, "i-2", "aws", {"aws"})));
}

TEST(Matches, PythonAndPipMatchVersionedTools) {
  CallMatcher m;
  m.tool = "python";
  EXPECT_TRUE(matches(m, make(1, "i-1", "python3.12", {"python3.12"})));
  EXPECT_TRUE(matches(m, make(1, "i-1", "python", {"python"})));
  EXPECT_FALSE(matches(m, make(1, "i-1", "pip", {"pip"})));
  m.tool = "pip";
  EXPECT_TRUE(matches(m, make(1, "i-1", "pip3", {"pip3"})));
  m.tool = "aws";
  EXPECT_FALSE(matches(m, make(1, "i-1", "aws2", {"aws2"})));
}

TEST(Matches, ArgvPrefixStartsAfterArgvZero) {
  CallMatcher m;
  m.argv_prefix = {"s3", "cp"};
  EXPECT_TRUE(matches(m, make(1, "d", "aws", {"aws", "s3", "cp", "a", "b"})));
  EXPECT_FALSE(matches(m, make(1, "d", "aws", {"aws", "s3", "mv", "a", "b"})));
  EXPECT_FALSE(matches(m, make(1, "d", "aws", {"aws", "s3"})));
}

TEST(Matches, ArgvContainsLooksAtArgumentsNotTheTool) {
  CallMatcher m;
  m.argv_contains = {"aws"};
  EXPECT_FALSE(matches(m, make(1, "d", "aws", {"aws", "s3"})));
  m.argv_contains = {"s3", "ls"};
  EXPECT_TRUE(matches(m, make(1, "d", "aws", {"aws", "ls", "s3"})));
}

TEST(Matches, ArgvRegexSearchesTheArgumentLine) {
  CallMatcher m;
  m.argv_regex = "--mode=(smoke|full)";
  EXPECT_TRUE(matches(m, make(1, "d", "python3", {"python3", "backtest.py", "--mode=smoke"})));
  EXPECT_FALSE(matches(m, make(1, "d", "python3", {"python3", "backtest.py", "--mode=dry"})));
  m.argv_regex = "^python3";
  EXPECT_FALSE(matches(m, make(1, "d", "python3", {"python3", "x"})));
}

TEST(Matches, EffectRequiresTheRecordToCarryIt) {
  CallMatcher m;
  m.effect = "s3.write";
  EXPECT_TRUE(matches(m, make(1, "d", "aws", {"aws"}, {"s3.write", "config.write"})));
  EXPECT_FALSE(matches(m, make(1, "d", "aws", {"aws"}, {"s3.read"})));
}

TEST(DescribeRecord, NamesSeqToolHostArgvAndExit) {
  EXPECT_EQ(describe_record(make(12, "i-0a1b", "python3.12", {"python3.12", "backtest.py", "--mode=smoke"}, {}, 2)),
            "#12 python3.12 on i-0a1b `backtest.py --mode=smoke` exit 2");
}

}  // namespace
}  // namespace spotcheck::harness

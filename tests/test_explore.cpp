// spotcheck explore: fault points and the faults each admits, the rule that injects one, the invariants;
// and a whole exploration of another team's launcher, whose terminate it shows unprotected.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "spotcheck/check.hpp"
#include "spotcheck/explore.hpp"
#include "spotcheck/json_cursor.hpp"
#include "spotcheck/project.hpp"
#include "test_support.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using spotcheck::testing::sandbox_available;
using spotcheck::testing::source_dir;
using spotcheck::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Record call(std::int64_t seq, std::string host, std::vector<std::string> argv, int exit = 0,
            std::vector<std::string> effects = {}) {
  Record r;
  r.seq = seq;
  r.host = std::move(host);
  r.tool = argv.at(0);
  r.argv = std::move(argv);
  r.exit = exit;
  r.effects = std::move(effects);
  return r;
}

std::vector<std::string> described(const std::vector<FaultPoint>& points) {
  std::vector<std::string> out;
  for (const auto& p : points) out.push_back(p.describe());
  return out;
}

TEST(FaultPoints, AreNamedByHostToolShapeAndOccurrenceNotBySeq) {
  const auto points = fault_points({
      call(1, "dispatcher", {"aws", "--region", "us-east-1", "ec2", "run-instances", "--image-id", "ami-1"}),
      call(2, "dispatcher", {"date", "-u"}),
      call(3, "dispatcher", {"ssh", "-i", "k", "ec2-user@1.2.3.4", "true"}),
      call(4, "i-1", {"python3.12", "backtest.py", "--mode=smoke"}),
      call(5, "i-1", {"pip3", "install", "-r", "requirements.txt"}),
      call(6, "i-1", {"sudo", "dnf", "install", "-y", "git"}),
      call(7, "i-1", {"dnf", "install", "-y", "git"}),
      call(8, "dispatcher", {"ssh", "-i", "k", "ec2-user@1.2.3.4", "bash", "-s"}),
      call(9, "dispatcher", {"aws", "ec2", "terminate-instances", "--instance-ids", "i-1"}),
  });
  EXPECT_THAT(described(points),
              ElementsAre("dispatcher aws ec2 run-instances #1", "dispatcher ssh #1", "spot python3.12 backtest.py #1",
                          "spot pip3 install #1", "spot dnf install #1", "dispatcher ssh #2",
                          "dispatcher aws ec2 terminate-instances #1"));
  EXPECT_EQ(points[5].seq, 8);
}

TEST(FaultPoints, EachToolGetsItsFaultsAndTheDispatcherASignal) {
  const auto points = fault_points({call(1, "dispatcher", {"aws", "ec2", "terminate-instances"}),
                                    call(2, "dispatcher", {"scp", "a", "h:b"}), call(3, "i-1", {"git", "clone", "u"})});
  const auto kinds = [](const std::vector<Fault>& faults) {
    std::vector<std::string> out;
    for (const auto& f : faults) out.push_back(f.kind);
    return out;
  };
  EXPECT_THAT(kinds(faults_for(points[0], {})), ElementsAre("throttle", "internal-error", "hang", "outage", "sigterm"));
  EXPECT_THAT(kinds(faults_for(points[1], {})), ElementsAre("drop", "hang", "outage", "sigterm"));
  EXPECT_THAT(kinds(faults_for(points[2], {})), ElementsAre("fail", "reclaim", "hang", "outage"));
  EXPECT_THAT(kinds(faults_for(points[0], {"throttle", "drop"})), ElementsAre("throttle"));
}

TEST(FaultRule, InjectsTheFaultAtThatOccurrenceWithTheRealCliText) {
  const FaultPoint p{"dispatcher", "aws", {"ec2", "terminate-instances"}, 2, 40};
  const json rule = fault_rule(p, faults_for(p, {"throttle"}).at(0));
  EXPECT_EQ(rule["match"]["host"], "dispatcher");
  EXPECT_EQ(rule["match"]["argv_contains"], json::array({"ec2", "terminate-instances"}));
  EXPECT_EQ(rule["nth"], 2);
  EXPECT_EQ(rule["exit"], 254);
  EXPECT_THAT(rule["stderr"].get<std::string>(),
              HasSubstr("An error occurred (RequestLimitExceeded) when calling the TerminateInstances operation"));
}

TEST(Invariants, AnInstanceLeftRunningAndAHeartbeatFromAFailedRunAreViolations) {
  const std::vector<Record> records = {
      call(1, "dispatcher", {"aws", "ec2", "run-instances"}, 0, {"ec2.launch"}),
      call(2, "dispatcher", {"aws", "cloudwatch", "put-metric-data"}, 0, {"metric.write"}),
  };
  std::vector<Record> with_ids = records;
  with_ids[0].stdout_text = "i-0123456789abcdef0\n";
  const std::vector<WorldChange> left = {{"ec2.left_running", "i-0123456789abcdef0", "running"}};
  const Observed run{1, false, &with_ids, "", "", &left};
  std::vector<std::string> names;
  for (const auto& v : check_invariants(run, true)) names.push_back(v.invariant);
  EXPECT_THAT(names, ::testing::IsSupersetOf({"instances-terminated", "cleanup-last", "preflight-writes-nothing",
                                              "no-heartbeat-on-failure"}));
  const Observed hung{124, true, &with_ids, "", "", &left};
  names.clear();
  for (const auto& v : check_invariants(hung, false)) names.push_back(v.invariant);
  EXPECT_THAT(names, ::testing::Contains("ends-in-time"));
}

TEST(FaultRule, AnOutageAnswersEveryLikeCallFromTheFirstOn) {
  const FaultPoint p{"dispatcher", "aws", {"ec2", "describe-instances"}, 1, 3};
  const auto faults = faults_for(p, {"outage"});
  ASSERT_EQ(faults.size(), 1u);
  const json rule = fault_rule(p, faults[0]);
  EXPECT_FALSE(rule.contains("nth"));
  EXPECT_EQ(rule["exit"], 254);
  EXPECT_TRUE(faults_for(FaultPoint{"dispatcher", "aws", {"ec2", "describe-instances"}, 2, 9}, {"outage"}).empty());
}

TEST(Invariants, AnInstanceLeftByALauncherThatEndedByItselfIsAViolationEvenWithAWatchdog) {
  std::vector<Record> records = {call(1, "dispatcher", {"aws", "ec2", "run-instances"}, 0, {"ec2.launch"}),
                                 call(2, "i-0123456789abcdef0", {"systemd-run", "--on-active=120m", "/sbin/shutdown"})};
  records[0].stdout_text = "i-0123456789abcdef0\n";
  const std::vector<WorldChange> left = {{"ec2.left_running", "i-0123456789abcdef0", "running"}};
  const auto ended = check_invariants(Observed{1, false, &records, "", "", &left}, false);
  ASSERT_FALSE(ended.empty());
  EXPECT_EQ(ended[0].invariant, "instances-terminated");
  EXPECT_FALSE(ended[0].watchdog_only);
  const auto killed = check_invariants(Observed{124, true, &records, "", "", &left}, false);
  ASSERT_FALSE(killed.empty());
  EXPECT_EQ(killed[0].invariant, "instances-terminated");
  EXPECT_TRUE(killed[0].watchdog_only);  // it lost control; the watchdog ends the spot
}

TEST(Invariants, AFailedLaunchLeavesNothingToCleanUp) {
  const std::vector<Record> records = {call(1, "dispatcher", {"aws", "ec2", "run-instances"}, 254, {"ec2.launch"})};
  const std::vector<WorldChange> none;
  EXPECT_TRUE(check_invariants(Observed{254, false, &records, "", "", &none}, true).empty());
}

TEST(Explore, FindsTheUnprotectedTerminateOfAnotherTeamsLauncherAndEmitsAScenarioThatReproducesIt) {
  if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  TempDir dir;
  const fs::path fixture = source_dir() / "tests" / "fixtures" / "external_repo";
  ExploreOptions o;
  o.launcher = fixture / "infrastructure" / "spot_job.sh";
  o.args = {"--smoke"};
  o.world_layers = {{json{{"s3", {{"buckets", {"team-results"}}}},
                          {"files", {{"~/.ssh/team-batch.pem", "key\n"}, {"job.py", "# job\n"}}}},
                     "the test", ""}};
  o.kinds = {"throttle"};
  o.preflight = true;
  o.json_report = dir.path() / "report.json";
  o.emit_scenarios = dir.path() / "found";
  std::ostringstream out, progress;
  EXPECT_EQ(run_explore(o, out, progress), 1) << out.str();
  EXPECT_THAT(out.str(), HasSubstr("VIOLATION: throttle at dispatcher aws ec2 terminate-instances #1"));
  EXPECT_THAT(out.str(), HasSubstr("instances-terminated"));
  EXPECT_THAT(progress.str(), HasSubstr("4/4 runs"));
  const auto report = read_json_file((dir.path() / "report.json").string());
  ASSERT_EQ(report["runs"].size(), 4u);  // run-instances, wait, describe-instances, terminate-instances
  // The emitted scenario loads, and fails on the violated invariant (the launcher swallows the error).
  const auto files = check_scenario_files({dir.path() / "found"});
  ASSERT_EQ(files.size(), 1u);
  CheckOptions check;
  check.goldens = false;
  check.impls = std::vector<Impl>{Impl::Bash};
  const auto results = run_check(files, check, {});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, Status::Fail) << render_failure_block(results[0]);
  EXPECT_THAT(render_failure_block(results[0]), HasSubstr("never terminated"));
  if (!results[0].kept_dir.empty()) fs::remove_all(results[0].kept_dir);
}

TEST(Explore, AnOutageCatchesARetryLoopThatNeverGivesUp) {
  if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  TempDir dir;
  const fs::path launcher = dir.path() / "spin.sh";
  spotcheck::testing::write_file(
      launcher,
      "#!/usr/bin/env bash\n"
      "# waits for its instance with no bound on the attempts\n"
      "id=$(aws ec2 run-instances --image-id ami-0abcdef1234567890 --instance-type m5.large "
      "--query 'Instances[0].InstanceId' --output text)\n"
      "trap 'aws ec2 terminate-instances --instance-ids \"$id\" >/dev/null' EXIT\n"
      "until aws ec2 describe-instances --instance-ids \"$id\" >/dev/null 2>&1; do sleep 5; done\n");
  fs::permissions(launcher, fs::perms::owner_all);
  ExploreOptions o;
  o.launcher = launcher;
  o.kinds = {"outage"};
  o.points = "*describe-instances*";
  o.outage_seconds = 3;
  std::ostringstream out, progress;
  EXPECT_EQ(run_explore(o, out, progress), 1) << out.str();
  EXPECT_THAT(out.str(), HasSubstr("VIOLATION: outage at dispatcher aws ec2 describe-instances #1"));
  EXPECT_THAT(out.str(), HasSubstr("ends-in-time"));
}

}  // namespace
}  // namespace spotcheck::harness

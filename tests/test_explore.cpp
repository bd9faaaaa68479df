// spotcheck explore: fault points and the faults each admits, the rule that injects one, the invariants;
// and a whole exploration of another team's launcher, whose terminate it shows unprotected.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <span>
#include <sstream>

#include "spotcheck/aws_grammar.hpp"
#include "spotcheck/check.hpp"
#include "spotcheck/explore.hpp"
#include "spotcheck/explore_report.hpp"
#include "spotcheck/file_io.hpp"
#include "spotcheck/json_cursor.hpp"
#include "spotcheck/project.hpp"
#include "spotcheck/runner.hpp"
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
  EXPECT_THAT(kinds(faults_for(points[0], {})), ElementsAre("throttle", "internal-error", "service-error", "hang",
                                                            "outage", "sigterm", "sigint", "sighup"));
  EXPECT_THAT(kinds(faults_for(points[1], {})),
              ElementsAre("drop", "reclaim", "hang", "outage", "sigterm", "sigint", "sighup"));
  EXPECT_EQ(faults_for(points[1], {"sighup"}).at(0).answer["signal"], "HUP");
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

// The answer of the `service-error` fault at an aws call of `argv` (the baseline's words).
json service_error_at(std::vector<std::string> argv) {
  const AwsArgs a = split_aws_args(std::span<const std::string>(argv).subspan(1));
  const FaultPoint p{"dispatcher", "aws", {a.service, a.operation}, 1, 1, std::move(argv)};
  return faults_for(p, {"service-error"}).at(0).answer;
}

TEST(FaultKinds, AServiceErrorIsTheOperationsOwnWithTheRealCliTextAndExit) {
  const json capacity = service_error_at({"aws", "ec2", "run-instances", "--instance-type", "c6i.4xlarge"});
  EXPECT_EQ(capacity["exit"], 254);
  EXPECT_THAT(capacity["stderr"].get<std::string>(),
              ::testing::StartsWith("\nAn error occurred (InsufficientInstanceCapacity) when calling the RunInstances "
                                    "operation: We currently do not have sufficient capacity"));
  const json invocation = service_error_at({"aws", "ssm", "get-command-invocation", "--command-id", "c-1"});
  EXPECT_EQ(invocation["exit"], 254);
  EXPECT_EQ(invocation["stderr"],
            "\nAn error occurred (InvocationDoesNotExist) when calling the GetCommandInvocation operation: \n");
  const json describe = service_error_at({"aws", "ec2", "describe-instances", "--instance-ids", "i-0abc"});
  EXPECT_THAT(describe["stderr"].get<std::string>(), HasSubstr("(InvalidInstanceID.NotFound)"));
  EXPECT_THAT(describe["stderr"].get<std::string>(), HasSubstr("The instance ID 'i-0abc' does not exist"));
  const json upload = service_error_at(
      {"aws", "s3", "cp", "--only-show-errors", "--content-type", "text/csv", "out.csv", "s3://bucket/k.csv"});
  EXPECT_EQ(upload["exit"], 1);  // a transfer that failed, as `aws s3` reports it
  EXPECT_EQ(upload["stderr"],
            "upload failed: out.csv to s3://bucket/k.csv An error occurred (AccessDenied) when calling the PutObject "
            "operation: Access Denied\n");
  EXPECT_THAT(service_error_at({"aws", "s3", "cp", "s3://bucket/in.csv", "in.csv"})["stderr"].get<std::string>(),
              ::testing::StartsWith("download failed: s3://bucket/in.csv to in.csv An error occurred (403)"));
  const json waiter = service_error_at({"aws", "ec2", "wait", "instance-running", "--instance-ids", "i-1"});
  EXPECT_EQ(waiter["exit"], 255);
  EXPECT_EQ(waiter["stderr"], "\nWaiter InstanceRunning failed: Max attempts exceeded\n");
  EXPECT_THAT(service_error_at({"aws", "cloudwatch", "put-metric-data"})["stderr"].get<std::string>(),
              HasSubstr("(AccessDenied) when calling the PutMetricData operation: User: "
                        "arn:aws:iam::123456789012:user/ci is not authorized to perform: cloudwatch:PutMetricData"));
}

TEST(FaultKinds, AThrottleIsTheServicesOwn) {
  const auto throttle = [](std::vector<std::string> argv) {
    const AwsArgs a = split_aws_args(std::span<const std::string>(argv).subspan(1));
    const FaultPoint p{"dispatcher", "aws", {a.service, a.operation}, 1, 1, std::move(argv)};
    return faults_for(p, {"throttle"}).at(0).answer["stderr"].get<std::string>();
  };
  EXPECT_THAT(throttle({"aws", "ec2", "run-instances"}),
              HasSubstr("(RequestLimitExceeded) when calling the RunInstances"));
  EXPECT_THAT(throttle({"aws", "s3", "rm", "--recursive", "s3://b/p/"}),
              ::testing::StartsWith("fatal error: An error occurred (SlowDown) when calling the DeleteObject operation "
                                    "(reached max retries: 2)"));
  EXPECT_THAT(throttle({"aws", "ssm", "send-command"}),
              HasSubstr("(ThrottlingException) when calling the SendCommand"));
  EXPECT_THAT(throttle({"aws", "cloudwatch", "put-metric-data"}),
              HasSubstr("(Throttling) when calling the PutMetricData"));
}

TEST(Invariants, AFailedRunWhoseLogNamesNoFailedStepIsAViolation) {
  const FaultPoint p{"dispatcher", "aws", {"ec2", "terminate-instances"}, 1, 2};
  const FaultStep throttle{p, faults_for(p, {"throttle"}).at(0)};
  std::vector<Record> records = {call(2, "dispatcher", {"aws", "ec2", "terminate-instances"}, 254)};
  records[0].rule = throttle.rule_id();
  const auto names_step = [&](const std::string& err, int exit = 1, std::vector<FaultStep> faults = {}) {
    if (faults.empty()) faults = {throttle};
    for (const auto& v :
         check_invariants(Observed{exit, false, &records, "", err, nullptr}, false, nullptr, {}, faults))
      if (v.invariant == "failure-names-step") return false;
    return true;
  };
  EXPECT_FALSE(names_step("launcher: cleanup failed\n"));
  EXPECT_TRUE(names_step("launcher: terminate-instances failed\n"));               // the step's name
  EXPECT_TRUE(names_step("error: RequestLimitExceeded, giving up\n"));             // the error's code
  EXPECT_TRUE(names_step("when calling the TerminateInstances operation ...\n"));  // the aws error passed on
  EXPECT_TRUE(names_step("", 0));                                                  // a success names nothing
  const FaultStep hang{p, faults_for(p, {"hang"}).at(0)};
  records[0].rule = hang.rule_id();
  EXPECT_TRUE(names_step("", 124, {hang}));  // a hang prints nothing to pass on
  records[0].rule.reset();
  EXPECT_TRUE(names_step("", 1));  // the fault never fired: the failure is not its step's
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
  std::string where;
  for (const auto& v : check_invariants(hung, false)) {
    names.push_back(v.invariant);
    if (v.invariant == "ends-in-time") where = v.evidence.at(0).actual;
  }
  EXPECT_THAT(names, ::testing::Contains("ends-in-time"));
  EXPECT_THAT(where, HasSubstr("its last call #2 aws on dispatcher `cloudwatch put-metric-data`"));
  with_ids[0].exit = -1;  // a call that never returned
  for (const auto& v : check_invariants(hung, false))
    if (v.invariant == "ends-in-time") where = v.evidence.at(0).actual;
  EXPECT_THAT(where, HasSubstr("hung in #1 aws on dispatcher `ec2 run-instances`"));
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

TEST(Invariants, ALauncherWhoseTerminatesAllFailedAndThatSaidSoLeftItToTheWatchdog) {
  std::vector<Record> records = {
      call(1, "dispatcher", {"aws", "ec2", "run-instances"}, 0, {"ec2.launch"}),
      call(2, "i-0123456789abcdef0", {"systemd-run", "--on-active=120m", "/sbin/shutdown"}),
      call(3, "dispatcher", {"aws", "ec2", "terminate-instances", "--instance-ids", "i-0123456789abcdef0"}, 254,
           {"ec2.terminate"}),
      call(4, "dispatcher", {"aws", "ec2", "terminate-instances", "--instance-ids", "i-0123456789abcdef0"}, 254,
           {"ec2.terminate"})};
  records[0].stdout_text = "i-0123456789abcdef0\n";
  const std::vector<WorldChange> left = {{"ec2.left_running", "i-0123456789abcdef0", "running"}};
  const auto instances = [&](int exit) {
    for (const auto& v : check_invariants(Observed{exit, false, &records, "", "", &left}, false))
      if (v.invariant == "instances-terminated") return v.watchdog_only ? "watchdog" : "violation";
    return "pass";
  };
  EXPECT_STREQ(instances(1), "watchdog");   // it tried, retried, failed, and said so
  EXPECT_STREQ(instances(0), "violation");  // it hid it
  records.resize(3);                        // it gave up after one call
  EXPECT_STREQ(instances(1), "violation");
  records.resize(2);  // it never tried
  EXPECT_STREQ(instances(1), "violation");
}

TEST(Invariants, ACleanupThatRunsTwiceIsAViolationButARetriedFailureIsNot) {
  std::vector<Record> records = {
      call(1, "dispatcher", {"aws", "ec2", "run-instances"}, 0, {"ec2.launch"}),
      call(2, "dispatcher", {"aws", "ec2", "terminate-instances", "--instance-ids", "i-0123456789abcdef0"}, 254,
           {"ec2.terminate"}),
      call(3, "dispatcher", {"aws", "ec2", "terminate-instances", "--instance-ids", "i-0123456789abcdef0"}, 0,
           {"ec2.terminate"})};
  records[0].stdout_text = "i-0123456789abcdef0\n";
  const std::vector<WorldChange> none;
  const auto names = [&] {
    std::vector<std::string> out;
    for (const auto& v : check_invariants(Observed{143, false, &records, "", "", &none}, false))
      out.push_back(v.invariant);
    return out;
  };
  EXPECT_THAT(names(), ::testing::Not(::testing::Contains("cleanup-once")));
  records[1].exit = 0;  // the trap ran on the signal, and again on EXIT
  EXPECT_THAT(names(), ::testing::Contains("cleanup-once"));
}

TEST(Invariants, APreflightMayStageThroughS3ButLeaveNothingThere) {
  // Run Command transports stage copies in S3 and remove them: calls that write, no lasting change.
  const std::vector<Record> records = {
      call(1, "dispatcher", {"aws", "s3", "cp", "step.sh", "s3://staging/run/step.sh"}, 0, {"s3.write"}),
      call(2, "dispatcher", {"aws", "s3", "rm", "--recursive", "s3://staging/run/"}, 0, {"s3.write"})};
  const auto writes = [&](const std::vector<WorldChange>& changes) {
    for (const auto& v : check_invariants(Observed{0, false, &records, "", "", &changes}, true))
      if (v.invariant == "preflight-writes-nothing") return true;
    return false;
  };
  EXPECT_FALSE(writes({}));
  EXPECT_TRUE(writes({{"s3.created", "s3://staging/run/step.sh", ""}}));  // the unstage failed: it lasts
}

TEST(Invariants, AFailedLaunchLeavesNothingToCleanUp) {
  const std::vector<Record> records = {call(1, "dispatcher", {"aws", "ec2", "run-instances"}, 254, {"ec2.launch"})};
  const std::vector<WorldChange> none;
  EXPECT_TRUE(check_invariants(Observed{254, false, &records, "", "", &none}, true).empty());
}

// A first-fault run as explore keeps it: its fault, and the records it made (the faulted one answered by the rule).
FaultRun first_run(const FaultPoint& p, const std::string& kind, std::vector<Record> records,
                   std::int64_t faulted_seq) {
  FaultRun r;
  r.first = FaultStep{p, faults_for(p, {kind}).at(0)};
  for (auto& rec : records)
    if (rec.seq == faulted_seq) rec.rule = r.first.rule_id();
  r.records = std::move(records);
  return r;
}

TEST(SecondFaults, FollowThePathTheFirstFaultLedToAndSkipFaultsTheRunAbsorbed) {
  const std::vector<Record> baseline = {call(1, "dispatcher", {"aws", "ec2", "run-instances"}),
                                        call(2, "dispatcher", {"ssh", "h", "true"}),
                                        call(3, "dispatcher", {"aws", "ec2", "terminate-instances"})};
  const auto points = fault_points(baseline);
  // A drop at the ssh call the launcher answered by retrying it: a call the baseline never made.
  FaultRun retried = first_run(
      points[1], "drop",
      {call(1, "dispatcher", {"aws", "ec2", "run-instances"}), call(2, "dispatcher", {"ssh", "h", "true"}, 255),
       call(3, "dispatcher", {"ssh", "h", "true"}), call(4, "dispatcher", {"aws", "ec2", "terminate-instances"})},
      2);
  // A fault the launcher absorbed (the run took the baseline's path): depth 1 already covers its calls.
  FaultRun absorbed = first_run(points[0], "hang", baseline, 1);
  const auto planned = plan_second_faults(baseline, {absorbed, retried}, {"drop", "throttle"}, 10);
  std::vector<std::string> names;
  for (const auto& r : planned) names.push_back(r.describe());
  EXPECT_THAT(names,
              ElementsAre("drop at dispatcher ssh #1, then drop at dispatcher ssh #2",
                          "drop at dispatcher ssh #1, then throttle at dispatcher aws ec2 terminate-instances #1"));
  // The budget bounds them, round-robin over the first faults.
  EXPECT_EQ(plan_second_faults(baseline, {absorbed, retried}, {"drop", "throttle"}, 1).size(), 1u);
  // A fault that never fired (its rule answered nothing) leads nowhere.
  FaultRun unfired = retried;
  for (auto& rec : unfired.records) rec.rule.reset();
  EXPECT_TRUE(plan_second_faults(baseline, {unfired}, {}, 10).empty());
}

TEST(Invariants, AProjectsOwnInvariantIsCheckedWhenItApplies) {
  const json doc = json::parse(R"([{"name": "no-upload-after-failure", "when": "failure",
                                   "expect": {"effects": {"s3.write": 0}}}])");
  const auto extra = parse_invariants(doc, "spotcheck.json", "/invariants");
  ASSERT_EQ(extra.size(), 1u);
  EXPECT_EQ(extra[0].source, "spotcheck.json: /invariants/0");
  const std::vector<Record> records = {call(1, "dispatcher", {"aws", "s3", "cp", "a", "s3://b/k"}, 0, {"s3.write"})};
  const std::vector<WorldChange> none;
  const auto failed = check_invariants(Observed{1, false, &records, "", "", &none}, false, &none, extra);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].invariant, "no-upload-after-failure");
  EXPECT_TRUE(check_invariants(Observed{0, false, &records, "", "", &none}, false, &none, extra).empty());
}

TEST(Invariants, ABadInvariantIsNamedByFileAndPointer) {
  const auto error_of = [](const char* text) {
    try {
      parse_invariants(json::parse(text), "spotcheck.json", "/invariants");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_THAT(error_of(R"([{"name": "a", "when": "sometimes", "expect": {}}])"),
              HasSubstr("spotcheck.json: /invariants/0/when: expected one of"));
  EXPECT_THAT(error_of(R"([{"name": "a", "expect": {}}, {"name": "a", "expect": {}}])"),
              HasSubstr("spotcheck.json: /invariants/1/name: expected a name no other invariant has"));
  EXPECT_THAT(error_of(R"([{"name": "a"}])"), HasSubstr("spotcheck.json: /invariants/0"));
}

TEST(ExploreReport, AReproducingScenarioCarriesBothFaultsAndFailsASilentSuccess) {
  ExploreOptions o;
  o.launcher = "/l.sh";
  FaultRun r;
  const FaultPoint p{"dispatcher", "aws", {"ec2", "terminate-instances"}, 1, 9};
  r.first = FaultStep{p, faults_for(p, {"throttle"}).at(0)};
  r.then =
      FaultStep{FaultPoint{"dispatcher", "aws", {"ec2", "terminate-instances"}, 2, 11}, faults_for(p, {"hang"}).at(0)};
  r.violations.push_back({"no-silent-failure", {}, false});
  const json s = reproducing_scenario(o, r);
  ASSERT_EQ(s["fakes"].size(), 2u);
  EXPECT_EQ(s["fakes"][1]["hang"], true);
  EXPECT_EQ(s["expect"]["exit"], "nonzero");
  EXPECT_EQ(s["timeout"], o.hang_seconds);  // a hang anywhere: the hang's limit
  const std::vector<FaultRun> runs = {r};
  const std::vector<Violation> clean;
  const std::string junit = explore_junit(ExploreSummary{&o, 0, 12, 4, &clean, &runs, 1.5});
  EXPECT_THAT(junit, HasSubstr("tests=\"2\" failures=\"1\""));  // the baseline is a test case too
  EXPECT_THAT(junit, HasSubstr("<testcase classname=\"baseline\" name=\"no fault\"/>"));
  EXPECT_THAT(junit, HasSubstr("<failure message=\"broke no-silent-failure\">"));
  EXPECT_THAT(junit, HasSubstr("then hang at dispatcher aws ec2 terminate-instances #2"));
  // A baseline that already breaks an invariant is reported first, in every report.
  const std::vector<Violation> leaky = {
      {"instances-terminated", {Failure{"all_instances_terminated", "", "i-1 was launched and never terminated", {}}}}};
  const ExploreSummary broken{&o, 0, 12, 4, &leaky, &runs, 1.5};
  EXPECT_THAT(explore_junit(broken), HasSubstr("tests=\"2\" failures=\"2\""));
  EXPECT_THAT(render_explore_console(broken),
              ::testing::StartsWith("BASELINE VIOLATION: with no fault injected: exit 0\n  instances-terminated: i-1"));
  EXPECT_EQ(explore_json(broken)["baseline_violations"][0]["invariant"], "instances-terminated");
  EXPECT_THAT(explore_html(broken), HasSubstr("already breaks an invariant"));
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

TEST(FaultRule, AReclaimAtADispatcherSshTerminatesTheSpotItReachesAndCutsTheSession) {
  if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  RunOptions options = spotcheck::testing::bundled_run_options();
  options.launcher = source_dir() / "launchers" / "spot_backtest.sh";
  options.args = {"--preflight-only"};
  options.stdout_fd = options.stderr_fd = -1;
  const FaultPoint p{"dispatcher", "ssh", {}, 3, 0};
  options.rules = json::array({fault_rule(p, faults_for(p, {"reclaim"}).at(0))});
  const RunResult run = run_launcher(options);
  EXPECT_EQ(run.exit, 0) << run.launcher_stderr;  // the launcher relaunches, as after a real reclaim
  const auto cut =
      std::find_if(run.records.begin(), run.records.end(), [](const Record& r) { return r.rule.has_value(); });
  ASSERT_NE(cut, run.records.end());
  EXPECT_EQ(cut->exit, 255);
  EXPECT_THAT(cut->stderr_text, HasSubstr("reclaimed]\nConnection to 203.0.113."));
  EXPECT_THAT(launched_instances(run.records), ::testing::SizeIs(2));
  EXPECT_THAT(run.launcher_stderr, HasSubstr("was reclaimed (state terminated); relaunching"));
}

TEST(Explore, ABackgroundLoopTheLauncherNeverStopsOutlivesTheRun) {
  if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  TempDir dir;
  const fs::path launcher = dir.path() / "heartbeat.sh";
  const auto write = [&](const std::string& stop) {
    spotcheck::testing::write_file(launcher,
                                   "#!/usr/bin/env bash\n"
                                   "# a heartbeat in the background, stopped at exit or not\n"
                                   "( while true; do sleep 60; done ) &\n"
                                   "beat=$!\n" +
                                       stop + "aws ec2 describe-instances >/dev/null\n");
    fs::permissions(launcher, fs::perms::owner_all);
  };
  write("");
  ExploreOptions o;
  o.launcher = launcher;
  o.kinds = {"throttle"};
  std::ostringstream out, progress;
  EXPECT_EQ(run_explore(o, out, progress), 1) << out.str();
  EXPECT_THAT(out.str(), HasSubstr("BASELINE VIOLATION"));
  EXPECT_THAT(out.str(), HasSubstr("no-process-outlives-run: still running when it exited: "));
  EXPECT_THAT(out.str(), HasSubstr("heartbeat.sh"));  // the subshell, named by its command line
  write("trap 'kill $beat; wait $beat' EXIT\n");
  std::ostringstream fixed, progress2;
  EXPECT_EQ(run_explore(o, fixed, progress2), 0) << fixed.str();
}

TEST(Explore, DepthTwoFindsTheSecondFailureOfACleanupThatRetriesOnce) {
  if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  TempDir dir;
  const fs::path launcher = dir.path() / "retry_once.sh";
  spotcheck::testing::write_file(
      launcher,
      "#!/usr/bin/env bash\n"
      "# its cleanup retries a failed terminate once, then gives up quietly\n"
      "id=$(aws ec2 run-instances --image-id ami-0abcdef1234567890 --instance-type m5.large "
      "--query 'Instances[0].InstanceId' --output text)\n"
      "cleanup() { aws ec2 terminate-instances --instance-ids \"$id\" >/dev/null 2>&1 || "
      "{ sleep 5; aws ec2 terminate-instances --instance-ids \"$id\" >/dev/null 2>&1 || true; }; }\n"
      "trap cleanup EXIT\n"
      "aws ec2 describe-instances --instance-ids \"$id\" >/dev/null\n");
  fs::permissions(launcher, fs::perms::owner_all);
  ExploreOptions o;
  o.launcher = launcher;
  o.kinds = {"throttle"};
  o.points = "*terminate-instances*";
  o.depth = 2;
  o.junit_report = dir.path() / "explore.xml";
  o.html_report = dir.path() / "explore.html";
  std::ostringstream out, progress;
  EXPECT_EQ(run_explore(o, out, progress), 1) << out.str();
  // One throttle is absorbed by the retry; the second, in the path the first led to, is not.
  EXPECT_THAT(out.str(),
              ::testing::Not(HasSubstr("VIOLATION: throttle at dispatcher aws ec2 terminate-instances #1 ")));
  EXPECT_THAT(out.str(), HasSubstr("VIOLATION: throttle at dispatcher aws ec2 terminate-instances #1, then throttle at "
                                   "dispatcher aws ec2 terminate-instances #2"));
  EXPECT_THAT(out.str(), HasSubstr("instances-terminated"));
  const std::string junit = read_file_bytes(dir.path() / "explore.xml").value_or("");
  EXPECT_THAT(junit, HasSubstr("tests=\"3\" failures=\"1\""));  // the baseline and two fault runs
  const std::string html = read_file_bytes(dir.path() / "explore.html").value_or("");
  EXPECT_THAT(html, HasSubstr("then throttle at dispatcher aws ec2 terminate-instances #2"));
}

}  // namespace
}  // namespace spotcheck::harness

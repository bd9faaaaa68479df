// Unit tests for the result model and reporters: console lines and blocks, JUnit XML, the JSON report.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "spotcheck/result.hpp"
#include "test_support.hpp"

namespace spotcheck::harness {
namespace {

using spotcheck::testing::read_file;
using spotcheck::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

ScenarioResult result(std::string name, Status status) {
  ScenarioResult r;
  r.name = std::move(name);
  r.file = "scenarios/" + r.name + ".json";
  r.status = status;
  r.seconds = 0.4;
  return r;
}

ScenarioResult failed_result() {
  ScenarioResult r = result("backtester/preflight", Status::Fail);
  r.failures.push_back(
      {"effects.s3.write", "exactly 0 s3.write", "1 s3.write", {"here: #7 aws on i-1 `s3 cp a s3://b/a` exit 0"}});
  r.kept_dir = "/tmp/kept/run-1";
  return r;
}

// One of every status.
std::vector<ScenarioResult> every_status() {
  std::vector<ScenarioResult> all = {result("a/pass", Status::Pass),
                                     failed_result(),
                                     result("a/xfail", Status::XFail),
                                     result("a/xpass", Status::XPass),
                                     result("a/unresolved", Status::Unresolved),
                                     result("a/timeout", Status::Timeout)};
  all[4].error = "scenarios/a/unresolved.json: /expect/exit: expected an integer";
  return all;
}

TEST(Status, NamesAndFailureClasses) {
  EXPECT_EQ(to_string(Status::Pass), "PASS");
  EXPECT_EQ(to_string(Status::XFail), "XFAIL");
  EXPECT_EQ(to_string(Status::Unresolved), "UNRESOLVED");
  EXPECT_EQ(to_string(Status::Timeout), "TIMEOUT");
  EXPECT_FALSE(is_failure(Status::Pass));
  EXPECT_FALSE(is_failure(Status::XFail));
  EXPECT_TRUE(is_failure(Status::Fail));
  EXPECT_TRUE(is_failure(Status::XPass));
  EXPECT_TRUE(is_failure(Status::Unresolved));
  EXPECT_TRUE(is_failure(Status::Timeout));
}

TEST(ConsoleReporter, APassIsOneStatusLine) {
  std::ostringstream out;
  console_reporter(out)->on_result(result("backtester/x", Status::Pass), 3, 64);
  EXPECT_EQ(out.str(), "PASS: backtester/x (3 of 64, 0.4s)\n");
}

TEST(ConsoleReporter, AnXFailPrintsNoBlock) {
  std::ostringstream out;
  console_reporter(out)->on_result(result("backtester/x", Status::XFail), 1, 2);
  EXPECT_EQ(out.str(), "XFAIL: backtester/x (1 of 2, 0.4s)\n");
}

TEST(ConsoleReporter, AFailureIsFollowedByItsFramedBlock) {
  std::ostringstream out;
  console_reporter(out)->on_result(failed_result(), 2, 18);
  const std::string rule(72, '=');
  EXPECT_EQ(out.str(), "FAIL: backtester/preflight (2 of 18, 0.4s)\n" + render_failure_block(failed_result()));
  const std::string block = render_failure_block(failed_result());
  EXPECT_THAT(block, StartsWith(rule + "\nFAIL: backtester/preflight\n  file: scenarios/backtester/preflight.json\n"));
  EXPECT_THAT(block, HasSubstr("  effects.s3.write:\n    expected: exactly 0 s3.write\n    actual:   1 s3.write\n"
                               "    note: here: #7 aws on i-1 `s3 cp a s3://b/a` exit 0\n"));
  EXPECT_THAT(block, HasSubstr("evidence kept in /tmp/kept/run-1 (recording: /tmp/kept/run-1/recording.jsonl"));
  EXPECT_THAT(block, ::testing::EndsWith("\n" + rule + "\n"));
}

TEST(ConsoleReporter, AnUnresolvedBlockShowsTheError) {
  const auto all = every_status();
  const std::string block = render_failure_block(all[4]);
  EXPECT_THAT(block, HasSubstr("UNRESOLVED: a/unresolved\n"));
  EXPECT_THAT(block, HasSubstr("  error: scenarios/a/unresolved.json: /expect/exit: expected an integer\n"));
  EXPECT_THAT(block, Not(HasSubstr("evidence kept")));
}

TEST(ConsoleReporter, TheSummaryCountsEachStatusAndListsTheFailed) {
  std::ostringstream out;
  console_reporter(out)->on_finish(every_status(), 1.5);
  const std::string s = out.str();
  EXPECT_THAT(s, HasSubstr("Testing time: 1.50s\n"));
  EXPECT_THAT(s, HasSubstr("  PASS:       1\n"));
  EXPECT_THAT(s, HasSubstr("  XFAIL:      1\n"));
  EXPECT_THAT(s, HasSubstr("  UNRESOLVED: 1\n"));
  EXPECT_THAT(s, HasSubstr("Failed scenarios:\n  FAIL: backtester/preflight (scenarios/backtester/preflight.json)\n"));
  EXPECT_THAT(s, HasSubstr("  XPASS: a/xpass (scenarios/a/xpass.json)\n"));
  EXPECT_THAT(s, HasSubstr("  TIMEOUT: a/timeout (scenarios/a/timeout.json)\n"));
  EXPECT_THAT(s, Not(HasSubstr("  PASS: a/pass (")));
  EXPECT_THAT(s, Not(HasSubstr("XFAIL: a/xfail (")));
}

TEST(ConsoleReporter, AnAllPassSummaryHasNoFailedListAndNoZeroCounts) {
  std::ostringstream out;
  console_reporter(out)->on_finish({result("a", Status::Pass), result("b", Status::Pass)}, 0.25);
  EXPECT_EQ(out.str(), "\nTesting time: 0.25s\n  PASS:       2\n");
}

TEST(JunitReporter, CountsAndElementsFollowTheStatus) {
  TempDir dir;
  const auto file = dir.path() / "junit.xml";
  junit_reporter(file)->on_finish(every_status(), 2.0);
  const std::string xml = read_file(file);
  EXPECT_THAT(xml, StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
  EXPECT_THAT(xml, HasSubstr("<testsuites name=\"spotcheck\" tests=\"6\" failures=\"2\" errors=\"2\" time=\"2.000\">"));
  EXPECT_THAT(xml, HasSubstr("<testsuite name=\"spotcheck\" tests=\"6\" failures=\"2\" errors=\"2\" skipped=\"1\""));
  EXPECT_THAT(xml, HasSubstr("name=\"a/pass\" file=\"scenarios/a/pass.json\" time=\"0.400\"/>"));
  EXPECT_THAT(xml, HasSubstr("<failure message=\"FAIL\">"));
  EXPECT_THAT(xml, HasSubstr("<failure message=\"XPASS\">"));
  EXPECT_THAT(xml, HasSubstr("<error message=\"UNRESOLVED\">"));
  EXPECT_THAT(xml, HasSubstr("<error message=\"TIMEOUT\">"));
  EXPECT_THAT(xml, HasSubstr("<skipped message=\"expected failure\"/>"));
  EXPECT_THAT(xml, HasSubstr("    expected: exactly 0 s3.write\n"));
  EXPECT_THAT(xml, ::testing::EndsWith("  </testsuite>\n</testsuites>\n"));
}

TEST(JunitReporter, EscapesMarkupInNamesAndBodies) {
  TempDir dir;
  const auto file = dir.path() / "junit.xml";
  ScenarioResult r = result("a & b <c> \"d\"", Status::Fail);
  r.failures.push_back({"calls[0]", "x < y && z > w", "\"quoted\"\x01", {}});
  junit_reporter(file)->on_finish({r}, 0);
  const std::string xml = read_file(file);
  EXPECT_THAT(xml, HasSubstr("name=\"a &amp; b &lt;c&gt; &quot;d&quot;\""));
  EXPECT_THAT(xml, HasSubstr("expected: x &lt; y &amp;&amp; z &gt; w"));
  EXPECT_THAT(xml, HasSubstr("actual:   &quot;quoted&quot; \n"));
  EXPECT_THAT(xml, Not(HasSubstr("<c>")));
  EXPECT_THAT(xml, Not(HasSubstr("\x01")));
}

TEST(JsonReporter, WritesValidJsonWithOneResultPerScenario) {
  TempDir dir;
  const auto file = dir.path() / "report.json";
  json_reporter(file)->on_finish(every_status(), 3.5);
  const auto doc = nlohmann::json::parse(read_file(file));
  EXPECT_DOUBLE_EQ(doc["wall_seconds"].get<double>(), 3.5);
  ASSERT_EQ(doc["results"].size(), 6u);
  const auto& f = doc["results"][1];
  EXPECT_EQ(f["name"], "backtester/preflight");
  EXPECT_EQ(f["status"], "FAIL");
  EXPECT_EQ(f["file"], "scenarios/backtester/preflight.json");
  EXPECT_EQ(f["kept_dir"], "/tmp/kept/run-1");
  ASSERT_EQ(f["failures"].size(), 1u);
  EXPECT_EQ(f["failures"][0]["check"], "effects.s3.write");
  EXPECT_EQ(f["failures"][0]["notes"][0], "here: #7 aws on i-1 `s3 cp a s3://b/a` exit 0");
  EXPECT_EQ(doc["results"][4]["error"], "scenarios/a/unresolved.json: /expect/exit: expected an integer");
  std::vector<std::string> statuses;
  for (const auto& r : doc["results"]) statuses.push_back(r["status"]);
  EXPECT_EQ(statuses, (std::vector<std::string>{"PASS", "FAIL", "XFAIL", "XPASS", "UNRESOLVED", "TIMEOUT"}));
}

// A failure note quotes launcher stderr, which may hold any bytes; the report must still be written.
TEST(JsonReporter, SurvivesInvalidUtf8InAFailureNote) {
  TempDir dir;
  const auto file = dir.path() / "report.json";
  ScenarioResult r = result("a/binary-stderr", Status::Fail);
  r.failures.push_back({"exit", "exit status 0", "exit status 1", {"last lines of stderr: \xA9\xFF tail"}});
  EXPECT_NO_THROW(json_reporter(file)->on_finish({r}, 0));
  EXPECT_NO_THROW(nlohmann::json::parse(read_file(file)));
}

TEST(Reporters, AnUnwritableReportIsAHarnessError) {
  EXPECT_THROW(json_reporter("/nonexistent/dir/report.json")->on_finish({}, 0), std::runtime_error);
  EXPECT_THROW(junit_reporter("/nonexistent/dir/junit.xml")->on_finish({}, 0), std::runtime_error);
}

}  // namespace
}  // namespace spotcheck::harness

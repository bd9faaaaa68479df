// A launcher this project did not write, of the SSM Run Command shape (tests/fixtures/foreign_ssm), run
// unmodified under the runner with only a world file: its steps execute on the instance host, nested
// under their send-command, its staging is created and removed, and its modes differ in what they leave.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "spotcheck/runner.hpp"
#include "test_support.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;
using spotcheck::testing::sandbox_available;
using spotcheck::testing::source_dir;
using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

RunResult run_foreign(const std::vector<std::string>& args) {
  const fs::path fixture = source_dir() / "tests" / "fixtures" / "foreign_ssm";
  RunOptions o;
  o.launcher = fixture / "run_job.sh";
  o.args = args;
  o.world_files = {fixture / "world.json"};
  o.stdout_fd = -1;
  o.stderr_fd = -1;
  o.timeout_seconds = 120;
  return run_launcher(o);
}

bool has_arg(const Record& r, const std::string& arg) {
  return std::find(r.argv.begin(), r.argv.end(), arg) != r.argv.end();
}

const Record* find(const std::vector<Record>& records, const std::string& tool, const std::string& arg) {
  for (const auto& r : records)
    if (r.tool == tool && has_arg(r, arg)) return &r;
  return nullptr;
}

class ForeignSsmLauncher : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  }
};

TEST_F(ForeignSsmLauncher, SmokeModeRunsItsStepsOnTheInstanceAndLeavesTheWorldUnchanged) {
  const RunResult r = run_foreign({"smoke"});
  ASSERT_EQ(r.exit, 0) << r.launcher_stderr;
  // The staging copy and its removal are write calls, yet nothing is left behind.
  EXPECT_NE(find(r.records, "aws", "rm"), nullptr);
  EXPECT_THAT(r.world_changes, IsEmpty());
  // The step that wrote under /opt (as root does) and the smoke run happened on the instance, each with
  // the send-command that carried it as parent.
  const Record* smoke = find(r.records, "python3.11", "--smoke");
  ASSERT_NE(smoke, nullptr);
  EXPECT_NE(smoke->host, "dispatcher");
  ASSERT_TRUE(smoke->parent.has_value());
  const auto parent =
      std::find_if(r.records.begin(), r.records.end(), [&](const Record& p) { return p.seq == *smoke->parent; });
  ASSERT_NE(parent, r.records.end());
  EXPECT_EQ(parent->host, "dispatcher");
  EXPECT_TRUE(has_arg(*parent, "send-command"));
  const Record* download = find(r.records, "aws", "/opt/job/job.py");
  ASSERT_NE(download, nullptr);
  EXPECT_EQ(download->exit, 0);
  EXPECT_EQ(download->host, smoke->host);
  EXPECT_EQ(find(r.records, "aws", "put-metric-data"), nullptr);
}

TEST_F(ForeignSsmLauncher, FullModeLeavesItsResultAndHeartbeatAndNoStaging) {
  const RunResult r = run_foreign({});
  ASSERT_EQ(r.exit, 0) << r.launcher_stderr;
  EXPECT_THAT(r.world_changes, Contains(Field(&WorldChange::name, "s3://acme-batch/results/job.py")));
  EXPECT_THAT(r.world_changes, Contains(Field(&WorldChange::name, "metric:Acme/Batch/Heartbeat")));
  for (const auto& change : r.world_changes) EXPECT_THAT(change.name, ::testing::Not(HasSubstr("/tmp/run-")));
  EXPECT_EQ(r.world_changes.size(), 2u);
}

}  // namespace
}  // namespace spotcheck::harness

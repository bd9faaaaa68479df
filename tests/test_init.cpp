// `spotcheck init` on another team's repository holding only its launcher and workload: what it writes, that
// the scenarios it writes pass and carry the detectors (a preflight that writes fails them), idempotence.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "spotcheck/check.hpp"
#include "spotcheck/init.hpp"
#include "spotcheck/json_cursor.hpp"
#include "spotcheck/project.hpp"
#include "test_support.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;
using spotcheck::testing::read_file;
using spotcheck::testing::sandbox_available;
using spotcheck::testing::source_dir;
using spotcheck::testing::TempDir;
using spotcheck::testing::write_file;
using ::testing::HasSubstr;

class Init : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
    const fs::path fixture = source_dir() / "tests" / "fixtures" / "external_repo";
    fs::create_directories(root() / "infrastructure");
    fs::copy_file(fixture / "infrastructure" / "spot_job.sh", root() / "infrastructure" / "spot_job.sh");
    fs::copy_file(fixture / "job.py", root() / "job.py");
  }
  fs::path root() const { return fs::absolute(dir_.path()); }
  int init(bool force = false) {
    InitOptions o;
    o.root = root();
    o.launcher = "infrastructure/spot_job.sh";
    o.mode_flag = "--smoke";
    o.force = force;
    std::ostringstream out;
    const int status = run_init(o, out);
    output_ = out.str();
    return status;
  }
  std::vector<ScenarioResult> check() {
    CheckOptions o;
    o.contract = true;
    return run_check({root() / "spotcheck" / "scenarios"}, o, {});
  }
  TempDir dir_;
  std::string output_;
};

TEST_F(Init, WritesAProjectWhoseScenariosAndContractPass) {
  ASSERT_EQ(init(), 0) << output_;
  for (const char* f : {"spotcheck.json", "spotcheck/world.json", "spotcheck/workloads/job.json",
                        "spotcheck/scenarios/preflight.json", "spotcheck/scenarios/preflight.expected.jsonl",
                        "spotcheck/scenarios/full.json", "spotcheck/scenarios/full.expected.jsonl"})
    EXPECT_TRUE(fs::exists(root() / f)) << f << "\n" << output_;
  const Project p = load_project(root() / "spotcheck.json");
  EXPECT_EQ(p.contract_launchers(), std::vector<fs::path>{root() / "infrastructure" / "spot_job.sh"});
  // The world holds what the runs asked for: the bucket, the ssh key, the file scp sends.
  const auto world = read_json_file((root() / "spotcheck" / "world.json").string());
  EXPECT_EQ(world["s3"]["buckets"], nlohmann::json::array({"team-results"}));
  EXPECT_TRUE(world["files"].contains("~/.ssh/team-batch.pem"));
  EXPECT_TRUE(world["files"].contains("job.py"));
  // Each python invocation is listed, marked todo; the full run's scenario claims its writes.
  const std::string catalog = read_file(root() / "spotcheck" / "workloads" / "job.json");
  EXPECT_THAT(catalog, HasSubstr("\"todo\""));
  EXPECT_THAT(catalog, HasSubstr("smoke"));
  EXPECT_THAT(read_file(root() / "spotcheck" / "scenarios" / "full.json"), HasSubstr("s3.write"));
  EXPECT_THAT(output_, HasSubstr("What to fill in:"));
  EXPECT_THAT(output_, HasSubstr("s3://team-results"));
  const auto results = check();
  ASSERT_EQ(results.size(), 8u);  // 2 scenarios + 6 contract claims
  for (const auto& r : results) EXPECT_EQ(r.status, Status::Pass) << render_failure_block(r);
}

TEST_F(Init, IsIdempotentAndKeepsTheUsersFiles) {
  ASSERT_EQ(init(), 0) << output_;
  write_file(root() / "spotcheck" / "scenarios" / "full.json",
             read_file(root() / "spotcheck" / "scenarios" / "full.json") + "\n");
  const std::string edited = read_file(root() / "spotcheck" / "scenarios" / "full.json");
  ASSERT_EQ(init(), 0) << output_;
  EXPECT_THAT(output_, HasSubstr("kept    spotcheck/scenarios/full.json (it exists; --force rewrites it)"));
  EXPECT_EQ(read_file(root() / "spotcheck" / "scenarios" / "full.json"), edited);
  ASSERT_EQ(init(true), 0) << output_;
  EXPECT_THAT(output_, HasSubstr("wrote   spotcheck/scenarios/full.json"));
}

TEST_F(Init, ThePreflightScenarioItWritesFailsALauncherThatWritesInSmokeMode) {
  ASSERT_EQ(init(), 0) << output_;
  // The team's next change uploads during --smoke: the scenario init wrote must catch it.
  std::string text = read_file(root() / "infrastructure" / "spot_job.sh");
  text.replace(text.find("if [[ \"$MODE\" == smoke ]]; then"), 0, "aws s3 cp job.py s3://team-results/oops/job.py\n");
  write_file(root() / "infrastructure" / "spot_job.sh", text);
  fs::permissions(root() / "infrastructure" / "spot_job.sh", fs::perms::owner_all);
  CheckOptions o;
  o.goldens = false;
  const auto results = run_check({root() / "spotcheck" / "scenarios" / "preflight.json"}, o, {});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, Status::Fail);
  bool counted = false, left = false;
  for (const auto& f : results[0].failures) {
    counted = counted || f.check == "effects.s3.write";
    left = left || f.check == "world_unchanged";
  }
  EXPECT_TRUE(counted && left) << render_failure_block(results[0]);
  if (!results[0].kept_dir.empty()) fs::remove_all(results[0].kept_dir);
}

TEST(InitInput, AMissingLauncherIsNamedWithWhatItWasRelativeTo) {
  TempDir dir;
  InitOptions o;
  o.root = dir.path();
  o.launcher = "infra/nope.sh";
  std::ostringstream out;
  try {
    run_init(o, out);
    FAIL() << "init accepted a launcher that does not exist";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("infra/nope.sh"));
    EXPECT_THAT(e.what(), HasSubstr("relative to " + fs::absolute(dir.path()).lexically_normal().string()));
  }
}

}  // namespace
}  // namespace spotcheck::harness

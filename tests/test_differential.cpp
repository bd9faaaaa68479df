// The differential check can fail: hand-made defects of the native launcher (spot-launch-mutant,
// SPOT_LAUNCH_MUTANT=...) each make scenarios fail against their expectations or their golden, and
// the report names the divergence. The same binary without a defect passes the same scenarios.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "spotcheck/check.hpp"
#include "test_support.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;
using spotcheck::testing::bin_dir;
using spotcheck::testing::sandbox_available;
using spotcheck::testing::source_dir;
using ::testing::HasSubstr;

fs::path scenario(const std::string& module, const std::string& name) {
  return source_dir() / "scenarios" / module / (name + ".json");
}

ScenarioResult run_mutant(const fs::path& file, const std::string& mutant) {
  CheckOptions o;
  o.native_launcher = bin_dir() / "spot-launch-mutant";
  if (!mutant.empty()) o.native_env["SPOT_LAUNCH_MUTANT"] = mutant;
  auto r = run_scenario_file(file, Impl::Native, o);
  if (!r.kept_dir.empty()) fs::remove_all(r.kept_dir);
  return r;
}

struct Defect {
  const char* mutant;
  const char* module;
  const char* scenario;
  const char* failed_check;  // which check catches it
  const char* evidence;      // what the report must say
};

const Defect kDefects[] = {
    {"skip-cleanup-on-failure", "backtester", "preflight-lib-pin-drift-fails-cleanly", "all_instances_terminated",
     "was launched and never terminated"},
    {"skip-cleanup-on-failure", "data", "preflight-lib-pin-drift-fails-cleanly", "golden",
     "- aws ec2 terminate-instances --region us-east-1 --instance-ids <instance-id:1> -> exit 0"},
    {"upload-in-preflight", "backtester", "preflight-only-makes-no-writes", "effects.s3.write", "s3.write"},
    {"upload-in-preflight", "predictor", "preflight-only-makes-no-writes", "golden", "+ aws s3 cp"},
    {"wrong-watchdog-default", "backtester", "preflight-only-makes-no-writes", "golden",
     "`--on-active=240m` vs `--on-active=60m`"},
    {"missing-region", "backtester", "preflight-only-makes-no-writes", "golden",
     "`--region us-east-1` is missing in native run"},
};

class DefectTest : public ::testing::TestWithParam<Defect> {};

TEST_P(DefectTest, MakesTheDifferentialSuiteFailAndTheReportNamesIt) {
  if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  const Defect& d = GetParam();
  const auto r = run_mutant(scenario(d.module, d.scenario), d.mutant);
  ASSERT_EQ(r.status, Status::Fail) << render_failure_block(r);
  const std::string block = render_failure_block(r);
  bool caught_by_check = false;
  for (const auto& f : r.failures) caught_by_check = caught_by_check || f.check == d.failed_check;
  EXPECT_TRUE(caught_by_check) << "expected the " << d.failed_check << " check to fail:\n" << block;
  EXPECT_THAT(block, HasSubstr(d.evidence));
}

INSTANTIATE_TEST_SUITE_P(NativeMutants, DefectTest, ::testing::ValuesIn(kDefects),
                         [](const ::testing::TestParamInfo<Defect>& i) {
                           std::string name = std::string(i.param.mutant) + "_" + i.param.module;
                           for (auto& c : name)
                             if (c == '-') c = '_';
                           return name;
                         });

// The control: the mutant build with no defect selected passes every scenario the defects fail.
TEST(NativeMutants, WithoutADefectTheMutantBuildPassesTheSameScenarios) {
  if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  for (const auto& d : kDefects) {
    const auto r = run_mutant(scenario(d.module, d.scenario), "");
    EXPECT_EQ(r.status, Status::Pass) << d.module << "/" << d.scenario << "\n" << render_failure_block(r);
  }
}

}  // namespace
}  // namespace spotcheck::harness

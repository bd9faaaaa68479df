// explore against mutants of the bundled backtester: each plants one defect that reaches production on a bad
// day (an EXIT trap dropped, a terminate whose failure is swallowed, a retry loop with no bound, a cleanup that
// terminates only the current instance after a relaunch), and explore must report a violation naming it.
// The mutation must apply (the text it replaces is asserted), so a launcher edit cannot turn a mutant back
// into the original and this test into one that passes by default.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "spotcheck/explore.hpp"
#include "spotcheck/file_io.hpp"
#include "spotcheck/project.hpp"
#include "test_support.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;
using spotcheck::testing::sandbox_available;
using spotcheck::testing::source_dir;
using spotcheck::testing::TempDir;
using ::testing::HasSubstr;

struct Mutation {
  std::string from;
  std::string to;
};

// The bundled launchers copied into `dir` with `mutations` applied to _spot_common.sh; the backtester's path.
fs::path mutant(const TempDir& dir, const std::vector<Mutation>& mutations) {
  const fs::path launchers = dir.path() / "launchers";
  fs::copy(source_dir() / "launchers", launchers, fs::copy_options::recursive);
  const fs::path common = launchers / "_spot_common.sh";
  std::string text = read_file_bytes(common).value();
  for (const auto& m : mutations) {
    const auto at = text.find(m.from);
    EXPECT_NE(at, std::string::npos) << "the mutation no longer applies: " << m.from;
    if (at != std::string::npos) text.replace(at, m.from.size(), m.to);
  }
  spotcheck::testing::write_file(common, text);
  return launchers / "spot_backtest.sh";
}

ExploreOptions preflight_of(const fs::path& launcher, std::vector<std::string> kinds, std::string points) {
  const Project project = load_project(source_dir() / "spotcheck.json");
  ExploreOptions o;
  o.launcher = launcher;
  o.args = {"--preflight-only"};
  o.preflight = true;
  o.world_files = project.worlds;
  o.catalog_dirs = project.catalogs;
  o.kinds = std::move(kinds);
  o.points = std::move(points);
  o.outage_seconds = 3;
  return o;
}

std::string explore(const ExploreOptions& o, int expected_exit) {
  std::ostringstream out, progress;
  EXPECT_EQ(run_explore(o, out, progress), expected_exit) << out.str();
  return out.str();
}

TEST(ExploreMutants, TheOriginalPassesTheFaultsTheMutantsFailOn) {
  if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  TempDir dir;
  const std::string out =
      explore(preflight_of(mutant(dir, {}), {"fail", "outage"}, "spot python3.12 backtest.py #1"), 0);
  EXPECT_THAT(out, HasSubstr("2 fault runs (0 with two faults)"));
}

TEST(ExploreMutants, ADroppedExitTrapLeavesTheSpotRunningAfterAFailedStep) {
  if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  TempDir dir;
  const std::string out = explore(
      preflight_of(mutant(dir, {{"  trap spot_cleanup EXIT\n", ""}}), {"fail"}, "spot python3.12 backtest.py #1"), 1);
  // The baseline itself never terminates; the failed step's run neither.
  EXPECT_THAT(out, HasSubstr("BASELINE VIOLATION"));
  EXPECT_THAT(out, HasSubstr("VIOLATION: fail at spot python3.12 backtest.py #1"));
  EXPECT_THAT(out, HasSubstr("instances-terminated"));
}

TEST(ExploreMutants, ASwallowedTerminateFailureIsASilentSuccess) {
  if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  TempDir dir;
  const fs::path launcher =
      mutant(dir, {{"if aws ec2 terminate-instances --region \"$AWS_REGION\" --instance-ids \"$@\" >/dev/null; then",
                    "if aws ec2 terminate-instances --region \"$AWS_REGION\" --instance-ids \"$@\" >/dev/null 2>&1 || "
                    "true; then"}});
  const std::string out = explore(preflight_of(launcher, {"service-error"}, "*terminate-instances*"), 1);
  EXPECT_THAT(out, HasSubstr("VIOLATION: service-error at dispatcher aws ec2 terminate-instances #1"));
  EXPECT_THAT(out, HasSubstr("no-silent-failure"));
}

TEST(ExploreMutants, ARetryLoopWithNoBoundNeverEndsInAnOutage) {
  if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  TempDir dir;
  const fs::path launcher = mutant(
      dir, {{"for ((attempt = 1; attempt <= attempts; attempt++)); do", "for ((attempt = 1; ; attempt++)); do"}});
  const std::string out = explore(preflight_of(launcher, {"outage"}, "dispatcher ssh #1"), 1);
  EXPECT_THAT(out, HasSubstr("VIOLATION: outage at dispatcher ssh #1"));
  EXPECT_THAT(out, HasSubstr("ends-in-time"));
  EXPECT_THAT(out, ::testing::Not(HasSubstr("preflight-writes-nothing")));  // it wrote nothing: no noise
}

TEST(ExploreMutants, ACleanupOfTheCurrentInstanceOnlyLeavesTheReclaimedOneUnterminated) {
  if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  TempDir dir;
  const fs::path launcher =
      mutant(dir, {{"  for id in \"${SPOT_LAUNCHED[@]}\"; do\n", "  for id in \"$INSTANCE_ID\"; do\n"},
                   {"relaunching (attempt $SPOT_ATTEMPT of $MAX_SPOT_ATTEMPTS)\"\n    spot_terminate \"$gone\"\n",
                    "relaunching (attempt $SPOT_ATTEMPT of $MAX_SPOT_ATTEMPTS)\"\n"}});
  const std::string out = explore(preflight_of(launcher, {"reclaim"}, "spot git clone #1"), 1);
  EXPECT_THAT(out, HasSubstr("VIOLATION: reclaim at spot git clone #1"));
  EXPECT_THAT(out, HasSubstr("instances-terminated"));
}

}  // namespace
}  // namespace spotcheck::harness

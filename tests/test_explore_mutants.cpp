// explore against planted defects that reach production on a bad day: an EXIT trap dropped, a terminate whose
// failure is only warned about, a retry loop with no bound, a cleanup that terminates only the current
// instance after a relaunch. Each is explored at the point that exposes it and must be reported there, and
// the launcher without the defect must pass that same point: so each case tells the mutant from the original.
// The bash mutations must apply (the text they replace is asserted), so a launcher edit cannot quietly turn a
// mutant back into the original.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "spotcheck/explore.hpp"
#include "spotcheck/file_io.hpp"
#include "spotcheck/project.hpp"
#include "test_support.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;
using spotcheck::testing::bin_dir;
using spotcheck::testing::sandbox_available;
using spotcheck::testing::source_dir;
using spotcheck::testing::TempDir;
using ::testing::HasSubstr;

struct Mutation {
  std::string from;
  std::string to;
};

struct Mutant {
  std::string name;
  std::vector<Mutation> bash;              // edits of the bundled _spot_common.sh; none: the native mutant below
  std::string native;                      // SPOT_LAUNCH_MUTANT of spot-launch-mutant (launchers/native/src/mutant.cpp)
  std::map<std::string, std::string> env;  // the launcher's environment in both runs
  std::vector<std::string> kinds;
  std::string points;
  std::string reported;  // the violation line's start and an invariant it names
  std::string invariant;
};

const std::vector<Mutant>& mutants() {
  static const std::vector<Mutant> all = {
      {"dropped-exit-trap",
       {{"  trap spot_cleanup EXIT\n", ""}},
       "",
       {},
       {"fail"},
       "spot python3.12 backtest.py #1",
       "VIOLATION: fail at spot python3.12 backtest.py #1",
       "instances-terminated"},
      // Three tries, not thirty: the original gives up in a tenth of the outage limit, so a loaded machine
      // cannot make it look unbounded (thirty ssh calls took 0.8 s of the 3 s here, more under load).
      {"unbounded-readiness-loop",
       {{"for ((attempt = 1; attempt <= attempts; attempt++)); do", "for ((attempt = 1; ; attempt++)); do"}},
       "",
       {{"SSH_READY_ATTEMPTS", "3"}},
       {"outage"},
       "dispatcher ssh #1",
       "VIOLATION: outage at dispatcher ssh #1",
       "ends-in-time"},
      {"cleanup-of-the-current-instance-only",
       {{"  for id in \"${SPOT_LAUNCHED[@]}\"; do\n", "  for id in \"$INSTANCE_ID\"; do\n"},
        {"relaunching (attempt $SPOT_ATTEMPT of $MAX_SPOT_ATTEMPTS)\"\n    spot_terminate \"$gone\"\n",
         "relaunching (attempt $SPOT_ATTEMPT of $MAX_SPOT_ATTEMPTS)\"\n"}},
       "",
       {},
       {"reclaim"},
       "spot git clone #1",
       "VIOLATION: reclaim at spot git clone #1",
       "instances-terminated"},
      // bash already only warns when its terminate fails (a finding of its own); the native launcher retries,
      // and its mutant does not.
      {"terminate-failure-only-warned",
       {},
       "no-terminate-retry",
       {},
       {"throttle", "service-error"},
       "*terminate-instances*",
       "VIOLATION: throttle at dispatcher aws ec2 terminate-instances #1",
       "instances-terminated"},  // it exits 1, saying so, but gave up after one call
  };
  return all;
}

// The bundled launchers copied into `dir`, with `mutations` applied to _spot_common.sh; the backtester.
fs::path bash_launcher(const TempDir& dir, const std::vector<Mutation>& mutations) {
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

// The backtester's preflight (bash, or native with `native_mutant` selected when not empty) explored at the
// mutant's point with its kinds.
std::string explore(const Mutant& m, bool mutated, int expected_exit) {
  TempDir dir;
  const Project project = load_project(source_dir() / "spotcheck.json");
  ExploreOptions o;
  if (m.native.empty()) {
    o.launcher = bash_launcher(dir, mutated ? m.bash : std::vector<Mutation>{});
    o.args = {"--preflight-only"};
  } else {
    o.launcher = bin_dir() / (mutated ? "spot-launch-mutant" : "spot-launch");
    o.args = {"backtester", "--preflight-only"};
    if (mutated) o.env["SPOT_LAUNCH_MUTANT"] = m.native;
  }
  for (const auto& [name, value] : m.env) o.env[name] = value;
  o.preflight = true;
  o.world_files = project.worlds;
  o.catalog_dirs = project.catalogs;
  o.kinds = m.kinds;
  o.points = m.points;
  o.outage_seconds = 3;
  std::ostringstream out, progress;
  EXPECT_EQ(run_explore(o, out, progress), expected_exit)
      << m.name << (mutated ? " (mutant)\n" : " (original)\n") << out.str();
  return out.str();
}

class ExploreMutants : public ::testing::TestWithParam<Mutant> {
 protected:
  void SetUp() override {
    if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  }
};

TEST_P(ExploreMutants, TheMutantIsReportedWhereTheOriginalPasses) {
  const Mutant& m = GetParam();
  const std::string original = explore(m, false, 0);
  EXPECT_THAT(original, ::testing::Not(HasSubstr("VIOLATION")));
  const std::string mutant = explore(m, true, 1);
  EXPECT_THAT(mutant, HasSubstr(m.reported));
  EXPECT_THAT(mutant, HasSubstr(m.invariant + ":"));
}

INSTANTIATE_TEST_SUITE_P(Planted, ExploreMutants, ::testing::ValuesIn(mutants()),
                         [](const ::testing::TestParamInfo<Mutant>& info) {
                           std::string name = info.param.name;
                           for (char& c : name)
                             if (c == '-') c = '_';
                           return name;
                         });

TEST(ExploreMutantsDetail, AnUnboundedLoopIsBlamedForNotEndingAndNothingElseItDidNotDo) {
  if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  const std::string out = explore(mutants()[1], true, 1);
  EXPECT_THAT(out, ::testing::Not(HasSubstr("preflight-writes-nothing")));  // it wrote nothing: no noise
  EXPECT_THAT(out, HasSubstr("its last call #"));                           // where it was when killed
}

TEST(ExploreMutantsDetail, ADroppedExitTrapIsAlreadyABaselineViolation) {
  if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  EXPECT_THAT(explore(mutants()[0], true, 1), HasSubstr("BASELINE VIOLATION"));
}

}  // namespace
}  // namespace spotcheck::harness

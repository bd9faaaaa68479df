// `check` and goldens: a launcher that drifts from its golden fails with a unified diff and kept
// evidence; --update rewrites the golden from the bash run; a missing golden says how to make one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "spotcheck/check.hpp"
#include "test_support.hpp"

namespace spotcheck {
namespace {

namespace fs = std::filesystem;
using spotcheck::testing::sandbox_available;
using spotcheck::testing::read_file;
using spotcheck::testing::source_dir;
using spotcheck::testing::TempDir;
using spotcheck::testing::write_file;
using ::testing::HasSubstr;

const char* kScenario = "preflight-only-makes-no-writes";

// A tree of its own: the launchers, the scenario data and one backtester scenario with its golden.
struct Tree {
  TempDir dir;
  fs::path scenario, golden;
  Tree() {
    for (const char* sub : {"launchers", "scenarios/workloads", "scenarios/worlds"}) {
      fs::create_directories(dir.path() / sub);
      fs::copy(source_dir() / sub, dir.path() / sub, fs::copy_options::recursive);
    }
    fs::create_directories(dir.path() / "scenarios" / "backtester");
    const auto src = source_dir() / "scenarios" / "backtester";
    scenario = dir.path() / "scenarios" / "backtester" / (std::string(kScenario) + ".json");
    golden = dir.path() / "scenarios" / "backtester" / (std::string(kScenario) + ".expected.jsonl");
    fs::copy_file(src / (std::string(kScenario) + ".json"), scenario);
    fs::copy_file(src / (std::string(kScenario) + ".expected.jsonl"), golden);
  }
  // A harmless-looking edit: the cache sync loses --only-show-errors. Expectations still hold.
  void drift_the_launcher() {
    const auto script = dir.path() / "launchers" / "spot_backtest.sh";
    const std::string text = read_file(script);
    const std::string edited = std::regex_replace(text, std::regex(" --only-show-errors"), "");
    ASSERT_NE(text, edited);
    write_file(script, edited);
  }
};

CheckOptions bash_only() {
  CheckOptions o;
  o.impls = {Impl::Bash};
  return o;
}

std::string failure_text(const ScenarioResult& r) { return render_failure_block(r); }

TEST(CheckGoldens, TheBundledGoldenMatchesTheBashRun) {
  if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  Tree t;
  const auto r = run_scenario_file(t.scenario, Impl::Bash, bash_only());
  EXPECT_EQ(r.status, Status::Pass) << failure_text(r);
}

TEST(CheckGoldens, ALauncherThatDriftsFromItsGoldenFailsWithAUnifiedDiffAndKeptEvidence) {
  if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  Tree t;
  t.drift_the_launcher();
  const auto r = run_scenario_file(t.scenario, Impl::Bash, bash_only());
  ASSERT_EQ(r.status, Status::Fail);
  const std::string text = failure_text(r);
  EXPECT_THAT(text, HasSubstr("golden"));
  EXPECT_THAT(text, HasSubstr("@@ -"));
  EXPECT_THAT(text, HasSubstr("- aws s3 sync s3://quant-research-data/cache/arcticdb/ /home/ec2-user/cache/arcticdb/ --only-show-errors"));
  EXPECT_THAT(text, HasSubstr("+ aws s3 sync s3://quant-research-data/cache/arcticdb/ /home/ec2-user/cache/arcticdb/ -> exit 0"));
  EXPECT_THAT(text, HasSubstr("preflight-only-makes-no-writes.expected.jsonl has more arguments, from argv[5]: `--only-show-errors`"));
  ASSERT_FALSE(r.kept_dir.empty());
  EXPECT_TRUE(fs::exists(r.kept_dir / "recording.jsonl"));
  fs::remove_all(r.kept_dir);
}

TEST(CheckGoldens, UpdateRewritesTheGoldenFromTheBashRunAndThenItPasses) {
  if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  Tree t;
  t.drift_the_launcher();
  CheckOptions update = bash_only();
  update.update_goldens = true;
  const auto u = run_scenario_file(t.scenario, Impl::Bash, update);
  EXPECT_EQ(u.status, Status::Pass) << failure_text(u);
  EXPECT_THAT(u.note, HasSubstr("golden updated"));
  EXPECT_EQ(read_file(t.golden).find("--only-show-errors"), std::string::npos);
  const auto r = run_scenario_file(t.scenario, Impl::Bash, bash_only());
  EXPECT_EQ(r.status, Status::Pass) << failure_text(r);
}

TEST(CheckGoldens, AMissingGoldenFailsAndSaysHowToMakeOne) {
  if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  Tree t;
  fs::remove(t.golden);
  const auto r = run_scenario_file(t.scenario, Impl::Bash, bash_only());
  ASSERT_EQ(r.status, Status::Fail);
  EXPECT_THAT(failure_text(r), HasSubstr("spotcheck check --update"));
  if (!r.kept_dir.empty()) fs::remove_all(r.kept_dir);
}

TEST(CheckGoldens, AScenarioWithoutAModuleCannotRunNative) {
  Tree t;
  std::string text = read_file(t.scenario);
  text = std::regex_replace(text, std::regex("\"module\": \"backtester\",\\s*"), "");
  write_file(t.scenario, text);
  const auto r = run_scenario_file(t.scenario, Impl::Native, CheckOptions{});
  EXPECT_EQ(r.status, Status::Unresolved);
  EXPECT_THAT(r.error, HasSubstr("names no \"module\""));
}

}  // namespace
}  // namespace spotcheck

namespace spotcheck {
namespace {

// Nothing is silently waived: every scenario that states a native difference is listed in the README.
TEST(NativeDifferences, EveryOneIsListedInTheReadme) {
  const std::string readme = read_file(source_dir() / "README.md");
  int differences = 0;
  for (const auto& file : find_scenario_files({source_dir() / "scenarios"})) {
    if (!load_scenario(file).native) continue;
    ++differences;
    const std::string rel = fs::relative(file, source_dir()).string();
    EXPECT_THAT(readme, HasSubstr(rel)) << rel << " states a native difference the README does not list";
  }
  EXPECT_GT(differences, 0);
}

}  // namespace
}  // namespace spotcheck

// `check` and goldens: a launcher that drifts from its golden fails with a unified diff and kept
// evidence; --update rewrites the golden from the bash run; a missing golden says how to make one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <regex>
#include <thread>

#include "spotcheck/check.hpp"
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
  o.impls = std::vector<Impl>{Impl::Bash};
  return o;
}

std::string failure_text(const ScenarioResult& r) {
  return render_failure_block(r);
}

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
  EXPECT_THAT(
      text,
      HasSubstr(
          "- aws s3 sync s3://quant-research-data/cache/arcticdb/ /home/ec2-user/cache/arcticdb/ --only-show-errors"));
  EXPECT_THAT(
      text,
      HasSubstr("+ aws s3 sync s3://quant-research-data/cache/arcticdb/ /home/ec2-user/cache/arcticdb/ -> exit 0"));
  EXPECT_THAT(
      text,
      HasSubstr(
          "preflight-only-makes-no-writes.expected.jsonl has more arguments, from argv[5]: `--only-show-errors`"));
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

// ---------------------------------------------------------------- the supervisor and phase limits

// Two dry-run scenarios (quick, with goldens) in a tree of their own, each limited to `seconds`.
struct DryRunTree {
  Tree tree;
  std::vector<fs::path> scenarios;
  explicit DryRunTree(int seconds) {
    const auto src = source_dir() / "scenarios" / "backtester";
    for (const char* name : {"dry-run-calls-neither-aws-nor-ssh", "unknown-flag-exits-2-before-any-aws-call"}) {
      const auto file = tree.dir.path() / "scenarios" / "backtester" / (std::string(name) + ".json");
      auto doc = nlohmann::json::parse(read_file(src / (std::string(name) + ".json")));
      doc["timeout"] = seconds;
      write_file(file, doc.dump(2));
      fs::copy_file(src / (std::string(name) + ".expected.jsonl"),
                    file.parent_path() / (std::string(name) + ".expected.jsonl"));
      scenarios.push_back(file);
    }
  }
};

// Blocks the first run that enters `phase` until released (or 60 s); the others pass straight through.
// Shared, because the thread it blocks outlives run_check; release() waits until that thread has ended.
struct PhaseStall : std::enable_shared_from_this<PhaseStall> {
  Phase phase;
  std::mutex mutex;
  std::condition_variable cv;
  bool taken = false, released = false, thread_ended = false;
  void operator()(Phase p);
  void release() {
    std::unique_lock<std::mutex> lock(mutex);
    released = true;
    cv.notify_all();
    cv.wait_for(lock, std::chrono::seconds(10), [this] { return thread_ended; });
  }
};

// Destroyed when the stalled worker thread exits (detached threads run thread_local destructors too).
struct ThreadEndNotice {
  std::shared_ptr<PhaseStall> stall;
  ~ThreadEndNotice() {
    if (!stall) return;
    std::lock_guard<std::mutex> lock(stall->mutex);
    stall->thread_ended = true;
    stall->cv.notify_all();
  }
};

void PhaseStall::operator()(Phase p) {
  std::unique_lock<std::mutex> lock(mutex);
  if (p != phase || taken) return;
  taken = true;
  thread_local ThreadEndNotice notice;
  notice.stall = shared_from_this();
  cv.wait_for(lock, std::chrono::seconds(60), [this] { return released; });
}

std::vector<ScenarioResult> check_with_stall(const DryRunTree& t, const std::shared_ptr<PhaseStall>& stall,
                                             double grace) {
  CheckOptions o = bash_only();
  o.stuck_grace_seconds = grace;
  o.on_phase = [stall](Phase p) { (*stall)(p); };
  return run_check(t.scenarios, o, {});
}

TEST(CheckSupervisor, ARunStuckInAHarnessPhaseIsUnresolvedNamingThePhaseAndTheSuiteGoesOn) {
  if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  for (Phase phase : {Phase::Preparation, Phase::GoldenCheck}) {
    DryRunTree t(2);
    auto stall = std::make_shared<PhaseStall>();
    stall->phase = phase;
    const auto start = std::chrono::steady_clock::now();
    const auto results = check_with_stall(t, stall, 1);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    stall->release();
    ASSERT_EQ(results.size(), 2u);
    const auto stuck = std::find_if(results.begin(), results.end(), [](const auto& r) { return r.abandoned; });
    ASSERT_NE(stuck, results.end()) << "no run was given up on (" << to_string(phase) << ")";
    EXPECT_EQ(stuck->status, Status::Unresolved);
    EXPECT_THAT(stuck->error, HasSubstr("still in its " + std::string(to_string(phase)) + " phase"));
    const auto& other = results[stuck == results.begin() ? 1 : 0];
    EXPECT_EQ(other.status, Status::Pass) << render_failure_block(other);
    EXPECT_LT(seconds, 30) << "check waited on the stuck run instead of giving up after its limit + grace";
  }
}

TEST(CheckSupervisor, AHarnessPhaseThatEndsPastTheLimitIsUnresolvedNamingIt) {
  if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  // A 3 s limit, slept past from the evaluation phase on: the run before it must not use the limit up itself
  // (1 s did, once, under a sanitizer on a loaded machine).
  DryRunTree t(3);
  CheckOptions o = bash_only();
  std::atomic<bool> slept{false};
  o.on_phase = [&slept](Phase p) {
    if (p == Phase::Evaluation && !slept.exchange(true)) std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  };
  const auto results = run_check(t.scenarios, o, {});
  ASSERT_EQ(results.size(), 2u);
  const auto overran = std::count_if(results.begin(), results.end(), [](const ScenarioResult& r) {
    return r.status == Status::Unresolved &&
           r.error.find("the evaluation phase overran the run's 3 s time limit") != std::string::npos;
  });
  EXPECT_EQ(overran, 1);
  for (const auto& r : results) {
    EXPECT_FALSE(r.abandoned);
    if (!r.kept_dir.empty()) fs::remove_all(r.kept_dir);
  }
}

TEST(CheckSupervisor, ALauncherThatHangsTimesOutInTheSandboxPhase) {
  if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  DryRunTree t(1);
  const fs::path script = t.tree.dir.path() / "launchers" / "spot_backtest.sh";
  write_file(script, "#!/bin/bash\nexec tail -f /dev/null\n");  // blocks for real (the fake sleep is virtual)
  fs::permissions(script, fs::perms::owner_all);
  const auto r = run_scenario_file(t.scenarios[0], Impl::Bash, bash_only());
  EXPECT_EQ(r.status, Status::Timeout);
  EXPECT_THAT(render_failure_block(r), HasSubstr("still running in the sandbox phase at the limit: killed"));
  EXPECT_LT(r.seconds, 10);
  if (!r.kept_dir.empty()) fs::remove_all(r.kept_dir);
}

}  // namespace
}  // namespace spotcheck::harness

namespace spotcheck::harness {
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
}  // namespace spotcheck::harness

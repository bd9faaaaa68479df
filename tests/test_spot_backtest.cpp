// The real backtester launcher under spotcheck: what --preflight-only and the full run did, call by call.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "spotcheck/runner.hpp"
#include "spotcheck/timeline.hpp"
#include "test_support.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;
using spotcheck::testing::sandbox_available;
using ::testing::Contains;
using ::testing::HasSubstr;

RunResult run_backtest(const fs::path& launcher, std::vector<std::string> args) {
  RunOptions options = spotcheck::testing::bundled_run_options();
  options.launcher = launcher;
  options.args = std::move(args);
  options.stdout_fd = options.stderr_fd = -1;
  options.timeout_seconds = 120;
  return run_launcher(options);
}

fs::path bundled_launcher() {
  return spotcheck::testing::source_dir() / "launchers" / "spot_backtest.sh";
}

bool has(const Record& r, const std::string& effect) {
  return std::find(r.effects.begin(), r.effects.end(), effect) != r.effects.end();
}

int count(const RunResult& r, const std::string& effect) {
  return effect_counts(r.records)[effect];
}

std::string timeline(const RunResult& r) {
  return render_timeline(r.records) + "\nlauncher stderr:\n" + r.launcher_stderr;
}

const Record* last_with_effects(const RunResult& r) {
  const Record* last = nullptr;
  for (const auto& rec : r.records) {
    if (!rec.effects.empty() && !(rec.effects.size() == 1 && rec.effects[0] == "sleep")) last = &rec;
  }
  return last;
}

bool argv_contains(const Record& r, const std::string& token) {
  return std::find(r.argv.begin(), r.argv.end(), token) != r.argv.end();
}

class SpotBacktest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  }
};

TEST_F(SpotBacktest, PreflightOnlyBootsInstallsRunsTheSmokeEntrypointAndCleansUp) {
  const auto r = run_backtest(bundled_launcher(), {"--preflight-only"});
  ASSERT_EQ(r.exit, 0) << timeline(r);
  EXPECT_EQ(count(r, "ec2.launch"), 1) << timeline(r);
  bool deps_on_spot = false, smoke_on_spot = false;
  for (const auto& rec : r.records) {
    deps_on_spot = deps_on_spot || (has(rec, "deps.install") && rec.host != "dispatcher");
    smoke_on_spot = smoke_on_spot || (rec.host != "dispatcher" && rec.tool.rfind("python", 0) == 0 &&
                                      argv_contains(rec, "backtest.py") && argv_contains(rec, "--mode=smoke"));
  }
  EXPECT_TRUE(deps_on_spot) << timeline(r);
  EXPECT_TRUE(smoke_on_spot) << timeline(r);
  const Record* last = last_with_effects(r);
  ASSERT_NE(last, nullptr);
  EXPECT_TRUE(has(*last, "ec2.terminate")) << "last world call was #" << last->seq << "\n" << timeline(r);
}

TEST_F(SpotBacktest, PreflightOnlyWritesNothing) {
  const auto r = run_backtest(bundled_launcher(), {"--preflight-only"});
  ASSERT_EQ(r.exit, 0) << timeline(r);
  for (const char* effect : {"s3.write", "metric.write", "external.api", "config.write", "notify"}) {
    EXPECT_EQ(count(r, effect), 0) << effect << "\n" << timeline(r);
  }
}

TEST_F(SpotBacktest, SmokeEntrypointRunsOnTheSpotUnderItsSshCall) {
  const auto r = run_backtest(bundled_launcher(), {"--preflight-only"});
  ASSERT_EQ(r.exit, 0) << timeline(r);
  std::map<std::int64_t, const Record*> by_seq;
  for (const auto& rec : r.records) by_seq[rec.seq] = &rec;
  const Record* smoke = nullptr;
  for (const auto& rec : r.records) {
    if (argv_contains(rec, "--mode=smoke")) smoke = &rec;
  }
  ASSERT_NE(smoke, nullptr) << timeline(r);
  ASSERT_TRUE(smoke->parent.has_value());
  const Record* transport = by_seq.at(*smoke->parent);
  EXPECT_EQ(transport->tool, "ssh");
  EXPECT_EQ(transport->host, "dispatcher");
  ASSERT_TRUE(transport->stdin_capture.has_value()) << "the heredoc must be readable in the recording";
  EXPECT_THAT(transport->stdin_capture->text, HasSubstr("backtest.py --mode=smoke"));
}

TEST_F(SpotBacktest, FullRunUploadsAndSendsExactlyOneHeartbeat) {
  const auto r = run_backtest(bundled_launcher(), {});
  ASSERT_EQ(r.exit, 0) << timeline(r);
  EXPECT_GT(count(r, "s3.write"), 0) << timeline(r);
  EXPECT_GT(count(r, "config.write"), 0) << timeline(r);
  EXPECT_EQ(count(r, "metric.write"), 1) << timeline(r);
  const Record* last = last_with_effects(r);
  ASSERT_NE(last, nullptr);
  EXPECT_TRUE(has(*last, "ec2.terminate")) << timeline(r);
}

// Proof the oracle can fail: without the preflight branch's `exit 0`, preflight falls through into the
// full run, and the recording shows the writes a grep-based test would have missed.
TEST_F(SpotBacktest, DeletingThePreflightExitMakesWritesAppear) {
  spotcheck::testing::TempDir copy;
  for (const auto& f : fs::directory_iterator(spotcheck::testing::source_dir() / "launchers")) {
    fs::copy(f.path(), copy.path() / f.path().filename());
  }
  const auto launcher = copy.path() / "spot_backtest.sh";
  std::string text = spotcheck::testing::read_file(launcher);
  const auto branch = text.find("if [ \"$PREFLIGHT_ONLY\" = \"1\" ]");
  ASSERT_NE(branch, std::string::npos) << "the launcher's preflight branch moved; update this test";
  const auto exit0 = text.find("exit 0", branch);
  ASSERT_NE(exit0, std::string::npos);
  text.replace(exit0, 6, ":");
  spotcheck::testing::write_file(launcher, text);
  fs::permissions(launcher, fs::perms::owner_all);

  const auto r = run_backtest(launcher, {"--preflight-only"});
  EXPECT_GT(count(r, "s3.write"), 0) << timeline(r);
  EXPECT_EQ(count(r, "metric.write"), 1) << timeline(r);
}

TEST_F(SpotBacktest, AnUnknownFlagFailsBeforeAnyCall) {
  const auto r = run_backtest(bundled_launcher(), {"--preflight"});
  EXPECT_EQ(r.exit, 2);
  EXPECT_TRUE(r.records.empty()) << timeline(r);
  EXPECT_THAT(r.launcher_stderr, HasSubstr("--preflight"));
}

}  // namespace
}  // namespace spotcheck::harness

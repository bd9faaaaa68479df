// The CLI's argument handling: what follows `run ... --` is the launcher's, whatever came before.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "spotcheck/cli.hpp"
#include "test_support.hpp"

namespace spotcheck::harness {
namespace {

using ::testing::HasSubstr;

int run_cli(std::vector<std::string> args, std::string& out) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  ::testing::internal::CaptureStdout();
  const int rc = spotcheck_main(static_cast<int>(argv.size()), argv.data());
  out = ::testing::internal::GetCapturedStdout();
  return rc;
}

TEST(Cli, ARepeatableOptionBeforeDashDashLeavesTheLauncherItsFlags) {
  const std::string launcher = (spotcheck::testing::source_dir() / "launchers" / "spot_backtest.sh").string();
  std::string out;
  ASSERT_EQ(
      run_cli({"spotcheck", "run", "--dry-run", "--env", "FOO=1", "--", launcher, "--preflight-only", "--dry-run"},
              out),
      0);
  EXPECT_THAT(out, HasSubstr("FOO=1"));
  EXPECT_THAT(out, HasSubstr("spot_backtest.sh --preflight-only --dry-run"));
}

TEST(Cli, DiffOfAMissingFileIsBadInputNamingIt) {
  std::string out;
  EXPECT_EQ(run_cli({"spotcheck", "diff", "/nonexistent/a.jsonl", "/nonexistent/b.jsonl"}, out), 2);
}

}  // namespace
}  // namespace spotcheck::harness

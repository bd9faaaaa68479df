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

TEST(Cli, VersionPrintsTheProjectVersion) {
  std::string out;
  EXPECT_EQ(run_cli({"spotcheck", "--version"}, out), 0);
  EXPECT_THAT(out, ::testing::StartsWith("spotcheck "));
}

// The words `--help` shows for an option, in `spotcheck SUB --help`'s lines ("  --record TEXT  Write ...").
std::vector<std::string> help_options(const std::string& help) {
  std::vector<std::string> names;
  std::size_t start = 0;
  for (std::size_t nl; (nl = help.find('\n', start)) != std::string::npos; start = nl + 1) {
    const std::string line = help.substr(start, nl - start);
    const auto first = line.find_first_not_of(' ');
    if (first == std::string::npos || line.compare(first, 2, "--") != 0 && line.compare(first, 1, "-") != 0) continue;
    names.push_back(line.substr(first, line.find_first_of(" ,", first) - first));
  }
  return names;
}

TEST(Cli, TheManPageDescribesEveryCommandAndEveryOptionHelpShows) {
  std::string man;
  ASSERT_EQ(run_cli({"spotcheck", "--man"}, man), 0);
  EXPECT_THAT(man, ::testing::StartsWith(".TH SPOTCHECK 1"));
  for (const char* sub : {"run", "check", "init", "show", "diff"}) {
    EXPECT_THAT(man, HasSubstr(".SH spotcheck " + std::string(sub))) << sub;
    std::string help;
    run_cli({"spotcheck", sub, "--help"}, help);
    const auto options = help_options(help);
    EXPECT_GE(options.size(), 2u) << help;
    for (const auto& o : options) {
      if (o == "-h") continue;
      std::string escaped;  // roff writes a dash as \-
      for (const char c : o) escaped += c == '-' ? std::string("\\-") : std::string(1, c);
      EXPECT_THAT(man, HasSubstr(escaped)) << sub << " " << o;
    }
  }
}

}  // namespace
}  // namespace spotcheck::harness

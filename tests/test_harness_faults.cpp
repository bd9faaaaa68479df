// Faults in the harness's own inputs and environment, through the built `spotcheck` binary: each is
// one clear error line and exit 2 (never a hang, a crash or a silent pass), and nothing half-made is
// left behind.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "spotcheck/record.hpp"
#include "test_support.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;
using spotcheck::testing::bin_dir;
using spotcheck::testing::CommandResult;
using spotcheck::testing::run_command;
using spotcheck::testing::sandbox_available;
using spotcheck::testing::source_dir;
using spotcheck::testing::TempDir;
using spotcheck::testing::write_file;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string spotcheck_bin() {
  return (bin_dir() / "spotcheck").string();
}
std::string backtester() {
  return (source_dir() / "launchers" / "spot_backtest.sh").string();
}

// Exit 2 and one error line from spotcheck, the last thing it printed (a sandbox that failed to start
// may have printed its own reason before, as the launcher's stderr).
void expect_one_error_line(const CommandResult& r, const std::string& reason) {
  EXPECT_EQ(r.exit, 2) << r.err;
  std::vector<std::string> lines;
  for (std::size_t start = 0, nl; (nl = r.err.find('\n', start)) != std::string::npos; start = nl + 1)
    lines.push_back(r.err.substr(start, nl - start));
  ASSERT_FALSE(lines.empty()) << "nothing on stderr";
  EXPECT_EQ(
      std::count_if(lines.begin(), lines.end(), [](const std::string& l) { return l.rfind("spotcheck", 0) == 0; }), 1)
      << r.err;
  EXPECT_THAT(lines.back(), StartsWith("spotcheck: error: "));
  EXPECT_THAT(lines.back(), HasSubstr(reason));
  EXPECT_TRUE(r.err.back() == '\n') << r.err;
}

// Runs `spotcheck ARGS` with TMPDIR on a fresh tmpfs of `bytes` (optionally read-only), mounted on a
// directory of the test's own (so the checkout and build stay visible wherever they are, /tmp too),
// then prints what it left there; the shell keeps spotcheck's exit status.
CommandResult spotcheck_with_tmpfs(std::size_t bytes, bool read_only, const std::vector<std::string>& args) {
  TempDir mount;
  const std::string tmp = mount.path().string();
  std::vector<std::string> argv = {"bwrap", "--dev-bind", "/", "/", "--size", std::to_string(bytes), "--tmpfs", tmp};
  if (read_only) argv.insert(argv.end(), {"--remount-ro", tmp});
  argv.insert(argv.end(), {"--setenv", "TMPDIR", tmp, "--", "/bin/sh", "-c",
                           "\"$@\"; rc=$?; echo \"left in TMPDIR: $(ls -A \"$TMPDIR\" | wc -l)\"; exit $rc", "sh",
                           spotcheck_bin()});
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv);
}

TEST(HarnessFaults, AFullRunDirectoryFilesystemIsOneErrorLineAndLeavesNothing) {
  if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  const auto r = spotcheck_with_tmpfs(8192, false, {"run", "--", backtester(), "--preflight-only"});
  expect_one_error_line(r, "No space left on device");
  EXPECT_THAT(r.out, HasSubstr("left in TMPDIR: 0"));
}

TEST(HarnessFaults, AReadOnlyTmpdirIsOneErrorLineNamingIt) {
  if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  const auto r = spotcheck_with_tmpfs(65536, true, {"run", "--", backtester(), "--preflight-only"});
  expect_one_error_line(r, ": can't create the run directory: Read-only file system");
}

TEST(HarnessFaults, ATmpdirThatDoesNotExistIsOneErrorLine) {
  const auto r =
      run_command({spotcheck_bin(), "run", "--", backtester(), "--preflight-only"}, {{"TMPDIR", "/nonexistent/tmp"}});
  expect_one_error_line(r, "can't create the run directory");
}

// With the bubblewrap `bwrap`: `run` is one error line with `reason`, `check` is UNSUPPORTED saying it.
void expect_sandbox_unsupported(const std::string& bwrap, const std::string& reason) {
  const std::map<std::string, std::string> env = {{"SPOTCHECK_BWRAP", bwrap}};
  expect_one_error_line(run_command({spotcheck_bin(), "run", "--", backtester(), "--preflight-only"}, env),
                        bwrap + ": can't start the sandbox: " + reason);
  const auto check =
      run_command({spotcheck_bin(), "check", "--impl", "bash",
                   (source_dir() / "scenarios/backtester/dry-run-calls-neither-aws-nor-ssh.json").string()},
                  env);
  EXPECT_EQ(check.exit, 2);
  EXPECT_THAT(check.out, HasSubstr("UNSUPPORTED: backtester/"));
  EXPECT_THAT(check.out, HasSubstr(reason));
}

TEST(HarnessFaults, MissingBubblewrapIsOneErrorLineForRunAndUnsupportedForCheck) {
  expect_sandbox_unsupported("/nonexistent/bwrap", "bubblewrap is not installed here");
}

TEST(HarnessFaults, ABubblewrapThatCannotSetUpIsUnsupportedWithItsReason) {
  TempDir dir;
  const fs::path bwrap = dir.path() / "bwrap";
  write_file(bwrap, "#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n");
  fs::permissions(bwrap, fs::perms::owner_all);
  expect_sandbox_unsupported(bwrap.string(), "bwrap: No permissions to create new namespace");
}

TEST(HarnessFaults, ALauncherThatIsNotExecutableIsOneErrorLine) {
  TempDir dir;
  const fs::path launcher = dir.path() / "spot.sh";
  write_file(launcher, "#!/bin/bash\nexit 0\n");
  fs::permissions(launcher, fs::perms::owner_read | fs::perms::owner_write);
  expect_one_error_line(run_command({spotcheck_bin(), "run", "--", launcher.string()}),
                        launcher.string() + ": can't run the launcher: not executable");
}

TEST(HarnessFaults, ARecordingCutMidLineIsOneErrorLineNamingTheLineForShowAndDiff) {
  TempDir dir;
  const fs::path file = dir.path() / "recording.jsonl";
  Record r;
  r.tool = "aws";
  r.argv = {"aws", "sts", "get-caller-identity"};
  r.cwd = "/";
  std::string text;
  for (std::int64_t seq = 1; seq <= 3; ++seq) {
    r.seq = seq;
    text += to_json(r).dump() + "\n";
  }
  write_file(file, text.substr(0, text.size() - 20));
  const std::string expected = file.string() + ":3: the recording ends in the middle of a record";
  expect_one_error_line(run_command({spotcheck_bin(), "show", file.string()}), expected);
  expect_one_error_line(run_command({spotcheck_bin(), "diff", file.string(), file.string()}), expected);
}

// A scenario file beside a copy of the launchers, so its "launcher" resolves.
fs::path scenario_with(const TempDir& dir, const std::string& extra) {
  const fs::path file = dir.path() / "scenarios" / "faults" / "bad.json";
  write_file(file, R"({"v": 1, "name": "bad input", "launcher": ")" + backtester() + R"(", "args": ["--dry-run"], )" +
                       extra + R"(, "expect": {"exit": 0}})");
  return file;
}

TEST(HarnessFaults, AScenarioWorldThatIsNotAnObjectIsUnresolvedNamingThePointer) {
  TempDir dir;
  const fs::path file = scenario_with(dir, R"("world": ["s3"])");
  const auto r = run_command({spotcheck_bin(), "check", "--impl", "bash", file.string()});
  EXPECT_EQ(r.exit, 2);
  EXPECT_THAT(r.out, HasSubstr("UNRESOLVED: "));
  EXPECT_THAT(r.out, HasSubstr(file.string() + ": /world: expected an object"));
}

TEST(HarnessFaults, ScenarioRulesThatAreNotAnArrayAreUnresolvedNamingThePointer) {
  TempDir dir;
  const fs::path file = scenario_with(dir, R"("fakes": {"match": {"tool": "aws"}})");
  const auto r = run_command({spotcheck_bin(), "check", "--impl", "bash", file.string()});
  EXPECT_EQ(r.exit, 2);
  EXPECT_THAT(r.out, HasSubstr("UNRESOLVED: "));
  EXPECT_THAT(r.out, HasSubstr(file.string() + ": /fakes: expected an array"));
}

TEST(HarnessFaults, ARulesFileThatIsNotAnArrayIsOneErrorLineForRun) {
  TempDir dir;
  const fs::path rules = dir.path() / "rules.json";
  write_file(rules, R"({"rules": {"match": {"tool": "aws"}, "exit": 1}})");
  expect_one_error_line(
      run_command({spotcheck_bin(), "run", "--rules", rules.string(), "--", backtester(), "--dry-run"}),
      rules.string() + ": /rules: expected an array of rules");
}

}  // namespace
}  // namespace spotcheck::harness

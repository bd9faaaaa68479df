// The launcher's supervisor (spotcheck-fake --supervise, fakes/src/supervisor.cpp): the launcher runs as it
// did directly under bwrap (its exit status, 128+N when signal N ends it, its own process group), and the
// dispatcher's processes it leaves behind are listed before the sandbox ends them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "spotcheck/runner.hpp"
#include "test_support.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;
using spotcheck::testing::sandbox_available;
using spotcheck::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

class Supervisor : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  }
  RunResult run(const std::string& body) {
    const fs::path script = dir_.path() / "launcher.sh";
    spotcheck::testing::write_file(script, "#!/usr/bin/env bash\n" + body);
    fs::permissions(script, fs::perms::owner_all);
    RunOptions options;
    options.launcher = script;
    options.stdout_fd = options.stderr_fd = -1;
    options.timeout_seconds = 30;
    return run_launcher(options);
  }
  TempDir dir_;
};

TEST_F(Supervisor, PassesTheLaunchersExitStatusOn) {
  EXPECT_EQ(run("exit 7\n").exit, 7);
  EXPECT_EQ(run("true\n").exit, 0);
}

TEST_F(Supervisor, ALauncherEndedBySignalNExits128PlusN) {
  EXPECT_EQ(run("trap - TERM\nkill -TERM $$\nsleep 1\n").exit, 143);
}

TEST_F(Supervisor, TheLauncherLeadsItsOwnProcessGroupAsUnderBwrap) {
  // A cleanup that kills its whole group (kill -- -$$) needs the launcher to be the group's leader.
  const auto r = run("test \"$(ps -o pgid= -p $$ | tr -d ' ')\" = \"$$\" && echo leader\n");
  EXPECT_EQ(r.exit, 0) << r.launcher_stderr;
  EXPECT_THAT(r.launcher_stdout, HasSubstr("leader"));
}

TEST_F(Supervisor, ListsTheProcessesTheLauncherLeftRunning) {
  const auto r = run("(exec -a left-behind-loop tail -f /dev/null) &\necho started\n");
  EXPECT_EQ(r.exit, 0);
  ASSERT_THAT(r.survivors, SizeIs(1));
  EXPECT_THAT(r.survivors[0], HasSubstr("left-behind-loop"));
}

TEST_F(Supervisor, ABackgroundJobStoppedAtExitIsNoSurvivor) {
  const auto r = run("tail -f /dev/null &\njob=$!\ntrap 'kill $job' EXIT\necho started\n");
  EXPECT_EQ(r.exit, 0);
  EXPECT_THAT(r.survivors, IsEmpty());
}

TEST_F(Supervisor, SpotHostsKeptForTheirSessionsAreNoSurvivors) {
  // A bundled launcher's run: the spot's keeper and its sessions are the World's (their own pid namespace),
  // not processes the dispatcher left behind.
  RunOptions options = spotcheck::testing::bundled_run_options();
  options.launcher = spotcheck::testing::source_dir() / "launchers" / "spot_backtest.sh";
  options.args = {"--preflight-only"};
  options.stdout_fd = options.stderr_fd = -1;
  const auto r = run_launcher(options);
  ASSERT_EQ(r.exit, 0) << r.launcher_stderr;
  EXPECT_THAT(r.survivors, IsEmpty());
}

}  // namespace
}  // namespace spotcheck::harness

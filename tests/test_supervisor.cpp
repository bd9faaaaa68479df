// The launcher's supervisor (spotcheck-fake --supervise, fakes/src/supervisor.cpp): the launcher runs as it
// did directly under bwrap (its exit status, 128+N when signal N ends it, its own process group), and the
// dispatcher's processes it leaves behind are listed before the sandbox ends them.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

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

// `--supervise --ready-fd N`: the launcher starts only after a byte on N (the harness has written the run
// directory); at end of file, with no byte, it never starts. The fake run directly, outside a sandbox.
struct Gated {
  int exit = -1;
  std::string out;
};

Gated supervise_gated(bool send_the_byte) {
  int pair[2];
  EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), 0);
  int out[2];
  EXPECT_EQ(::pipe2(out, O_CLOEXEC), 0);
  const std::string fake = (spotcheck::testing::bin_dir() / "spotcheck-fake").string();
  const std::string fd = std::to_string(pair[1]);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::fcntl(pair[1], F_SETFD, 0);
    ::unsetenv("SPOTCHECK_ROOT");
    ::execl(fake.c_str(), "spotcheck-fake", "--supervise", "--ready-fd", fd.c_str(), "/bin/echo", "started",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(pair[1]);
  ::close(out[1]);
  if (send_the_byte) EXPECT_EQ(::send(pair[0], "g", 1, MSG_NOSIGNAL), 1);
  ::close(pair[0]);
  Gated g;
  char buf[256];
  for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) > 0;) g.out.append(buf, static_cast<std::size_t>(n));
  ::close(out[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  g.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return g;
}

TEST(SupervisorReadyFd, TheLauncherStartsOnceTheHarnessSaysSo) {
  const Gated g = supervise_gated(true);
  EXPECT_EQ(g.exit, 0);
  EXPECT_EQ(g.out, "started\n");
}

TEST(SupervisorReadyFd, ADescriptorThatIsNoNumberIsAUsageErrorNamingIt) {
  const auto r = spotcheck::testing::run_command(
      {(spotcheck::testing::bin_dir() / "spotcheck-fake").string(), "--supervise", "--ready-fd", "x3", "/bin/true"});
  EXPECT_EQ(r.exit, 2);
  EXPECT_THAT(r.err, HasSubstr("--ready-fd: expected a descriptor number, got 'x3'"));
}

TEST(SupervisorReadyFd, AHarnessThatGaveTheRunUpStartsNothing) {
  const Gated g = supervise_gated(false);
  EXPECT_EQ(g.exit, 125);
  EXPECT_EQ(g.out, "");
}

}  // namespace
}  // namespace spotcheck::harness

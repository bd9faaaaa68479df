// Each hermeticity rule of DESIGN.md, proven by a canary launcher that tries to break it.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "spotcheck/runner.hpp"
#include "test_support.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;
using spotcheck::testing::sandbox_available;
using spotcheck::testing::TempDir;

class Hermeticity : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  }

  RunResult run_canary(const std::string& body) {
    return spotcheck::testing::run_script(dir_.path() / "canary.sh", "#!/usr/bin/env bash\n" + body);
  }

  TempDir dir_;
};

TEST_F(Hermeticity, NoNetworkEvenToTheHostsLoopback) {
  // A real listener on the host's loopback: the sandbox must not reach it.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);
  const auto r = run_canary("if (exec 3<>/dev/tcp/127.0.0.1/" + std::to_string(port) +
                            ") 2>/dev/null; then echo loopback-reached; else echo loopback-refused; fi\n"
                            "if (exec 3<>/dev/tcp/1.1.1.1/443) 2>/dev/null; then echo internet-reached; "
                            "else echo internet-refused; fi\n");
  ::close(fd);
  EXPECT_NE(r.launcher_stdout.find("loopback-refused"), std::string::npos) << r.launcher_stdout;
  EXPECT_NE(r.launcher_stdout.find("internet-refused"), std::string::npos) << r.launcher_stdout;
}

TEST_F(Hermeticity, RealCredentialsAndAgentDoNotReachTheLauncher) {
  ::setenv("AWS_SECRET_ACCESS_KEY", "REAL-SECRET-FROM-THE-HOST", 1);
  ::setenv("AWS_PROFILE", "production", 1);
  ::setenv("SSH_AUTH_SOCK", "/tmp/ssh-agent.sock", 1);
  const auto r = run_canary(
      "env\n"
      "echo \"agent=${SSH_AUTH_SOCK:-none}\"\n"
      "if [ -e ~/.aws ]; then echo aws-dir-present; else echo aws-dir-absent; fi\n"
      "ls -A /root /home | tr '\\n' ' '; echo\n");
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
  ::unsetenv("AWS_PROFILE");
  ::unsetenv("SSH_AUTH_SOCK");
  EXPECT_EQ(r.launcher_stdout.find("REAL-SECRET-FROM-THE-HOST"), std::string::npos);
  EXPECT_EQ(r.launcher_stdout.find("AWS_PROFILE"), std::string::npos);
  EXPECT_NE(r.launcher_stdout.find("agent=none"), std::string::npos);
  EXPECT_NE(r.launcher_stdout.find("aws-dir-absent"), std::string::npos);
  EXPECT_NE(r.launcher_stdout.find("HOME=/home/runner"), std::string::npos);
}

TEST_F(Hermeticity, RealToolsByAbsolutePathReachTheFake) {
  const auto r = run_canary(
      "for t in /usr/bin/aws /usr/bin/ssh /usr/bin/scp /usr/bin/python3 /usr/bin/curl; do\n"
      "  [ -e \"$t\" ] && echo \"present $t\"\n"
      "  \"$t\" --version >/dev/null 2>&1 || true\n"
      "done\n");
  int present = 0;
  for (const char* tool : {"/usr/bin/aws", "/usr/bin/ssh", "/usr/bin/scp", "/usr/bin/python3", "/usr/bin/curl"}) {
    if (r.launcher_stdout.find(std::string("present ") + tool) == std::string::npos) continue;
    ++present;
    bool recorded = false;
    for (const auto& rec : r.records) recorded = recorded || (!rec.argv.empty() && rec.argv[0] == tool);
    EXPECT_TRUE(recorded) << tool << " ran without being recorded: the real binary was reachable";
  }
  EXPECT_GE(present, 2) << "expected at least ssh and python3 on this machine";
}

TEST_F(Hermeticity, HostFilesystemIsReadOnlyAndHostTempIsInvisible) {
  TempDir elsewhere;  // not the canary's own directory, which is re-bound so the launcher can run
  const auto marker = elsewhere.path() / "host-marker";
  spotcheck::testing::write_file(marker, "x");
  const auto outside = fs::path(SPOTCHECK_SOURCE_DIR) / "spotcheck-canary-was-here";
  const auto r = run_canary(
      "touch /usr/spotcheck-canary 2>/dev/null && echo wrote-usr || echo usr-read-only\n"
      "touch " +
      outside.string() +
      " 2>/dev/null && echo wrote-source || echo source-read-only\n"
      "[ -e " +
      marker.string() + " ] && echo host-tmp-visible || echo host-tmp-hidden\n");
  EXPECT_NE(r.launcher_stdout.find("usr-read-only"), std::string::npos) << r.launcher_stdout;
  EXPECT_NE(r.launcher_stdout.find("source-read-only"), std::string::npos) << r.launcher_stdout;
  EXPECT_NE(r.launcher_stdout.find("host-tmp-hidden"), std::string::npos) << r.launcher_stdout;
  EXPECT_FALSE(fs::exists("/usr/spotcheck-canary"));
  EXPECT_FALSE(fs::exists(outside));
}

bool process_with_marker_exists(const std::string& marker) {
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::ifstream in(entry.path() / "cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (cmdline.find(marker) != std::string::npos) return true;
  }
  return false;
}

TEST_F(Hermeticity, NoBackgroundProcessOutlivesTheRun) {
  const std::string marker = "spotcheck-canary-" + std::to_string(::getpid());
  const auto r = run_canary("(exec -a " + marker +
                            " tail -f /dev/null) &\n"
                            "disown\n"
                            "sleep_pid=$!; echo started $sleep_pid\n");
  EXPECT_NE(r.launcher_stdout.find("started"), std::string::npos);
  EXPECT_FALSE(process_with_marker_exists(marker)) << "a canary process survived its sandbox";
}

TEST_F(Hermeticity, ARunThatHangsIsKilledAtItsTimeout) {
  const auto script = dir_.path() / "hang.sh";
  spotcheck::testing::write_file(script, "#!/usr/bin/env bash\ntail -f /dev/null\n");
  fs::permissions(script, fs::perms::owner_all);
  RunOptions options;
  options.launcher = script;
  options.stdout_fd = options.stderr_fd = -1;
  options.timeout_seconds = 1;
  const auto r = run_launcher(options);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.exit, 124);
}

}  // namespace
}  // namespace spotcheck::harness

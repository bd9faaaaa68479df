// Spot host sessions (fakes/src/shims/host_session.cpp): every ssh session of a host joins the namespaces
// its keeper holds, is confined exactly as a session in a bwrap of its own, and no keeper outlives the run.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "spotcheck/runner.hpp"
#include "test_support.hpp"

namespace spotcheck {
namespace {

namespace fs = std::filesystem;
using spotcheck::testing::sandbox_available;
using spotcheck::testing::TempDir;
using ::testing::HasSubstr;

// Boots one instance, then runs three ssh sessions and one fed on stdin, each printing one tagged line per probe.
constexpr const char* kTwoSessions = R"SH(#!/usr/bin/env bash
set -euo pipefail
export AWS_DEFAULT_REGION=us-east-1
id=$(aws ec2 run-instances --image-id ami-0abcdef1234567890 --instance-type c6i.4xlarge --key-name spot-batch \
  --query 'Instances[0].InstanceId' --output text)
aws ec2 wait instance-running --instance-ids "$id"
ip=$(aws ec2 describe-instances --instance-ids "$id" --query 'Reservations[0].Instances[0].PublicIpAddress' --output text)
echo "dispatcher mnt=$(readlink /proc/self/ns/mnt) user=$(readlink /proc/self/ns/user) pid=$(readlink /proc/self/ns/pid)"
probe='echo "session$N mnt=$(readlink /proc/self/ns/mnt) user=$(readlink /proc/self/ns/user) host=$(hostname)"
  echo "session$N pwd=$PWD home=$HOME login=$USER"
  grep -E "^(CapEff|CapPrm|CapInh|CapBnd|CapAmb|NoNewPrivs):" /proc/self/status | sed "s/^/session$N /"
  touch /tmp/left-by-$N; ls /tmp | tr "\n" " " | sed "s/^/session$N tmp=/"; echo'
for n in 1 2 3; do
  ssh -o StrictHostKeyChecking=no -i ~/.ssh/spot-batch.pem ec2-user@"$ip" "N=$n; $probe"
done
printf 'line one\nline two\n' | ssh -o StrictHostKeyChecking=no -i ~/.ssh/spot-batch.pem ec2-user@"$ip" 'cat; exit 7' \
  || echo "stdin session exit=$?"
keeper=$(cat /run/spotcheck/hosts/*/keeper.pid 2>/dev/null || echo none)
echo "keeper pid=$keeper mnt=$(readlink "/proc/$keeper/ns/mnt" 2>/dev/null || echo none)"
)SH";

class HostSession : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  }

  harness::RunResult run(const std::map<std::string, std::string>& env = {}, const std::string& text = kTwoSessions) {
    return spotcheck::testing::run_script(dir_.path() / "sessions.sh", text, env, 30);
  }

  // The value of `key=` on the line starting with `tag ` (e.g. "session1", "mnt").
  static std::string field(const std::string& out, const std::string& tag, const std::string& key) {
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind(tag + " ", 0) != 0) continue;
      const auto at = line.find(" " + key + "=");
      if (at == std::string::npos) continue;
      const auto start = at + key.size() + 2;
      return line.substr(start, line.find(' ', start) - start);
    }
    return "<no " + tag + " " + key + ">";
  }
  // The text after "TAG KEY:" (a /proc/self/status line), e.g. "0000000000000000".
  static std::string status(const std::string& out, const std::string& tag, const std::string& key) {
    const auto at = out.find(tag + " " + key + ":");
    if (at == std::string::npos) return "<no " + tag + " " + key + ">";
    const auto start = out.find_first_not_of(" \t", at + tag.size() + key.size() + 2);
    return out.substr(start, out.find('\n', start) - start);
  }

  TempDir dir_;
};

TEST_F(HostSession, EverySessionOfAHostJoinsTheSameNamespacesApartFromTheDispatcher) {
  const auto r = run();
  ASSERT_EQ(r.exit, 0) << r.launcher_stderr;
  const std::string& out = r.launcher_stdout;
  // The keeper is alive while the sessions run, so its namespace's inode number names it alone.
  ASSERT_THAT(field(out, "keeper", "mnt"), HasSubstr("mnt:[")) << out;
  EXPECT_EQ(field(out, "session1", "mnt"), field(out, "keeper", "mnt")) << out;
  EXPECT_EQ(field(out, "session2", "mnt"), field(out, "keeper", "mnt")) << out;
  EXPECT_EQ(field(out, "session3", "mnt"), field(out, "keeper", "mnt")) << out;
  EXPECT_EQ(field(out, "session1", "user"), field(out, "session3", "user")) << out;
  EXPECT_NE(field(out, "session1", "mnt"), field(out, "dispatcher", "mnt")) << out;
  EXPECT_NE(field(out, "session1", "user"), field(out, "dispatcher", "user")) << out;
}

TEST_F(HostSession, WithoutKeepersEachSessionGetsABwrapOfItsOwn) {
  // The switch the comparison below relies on: with keepers off, no keeper exists and sessions still run
  // apart from the dispatcher.
  const auto r = run({{"SPOTCHECK_HOST_KEEPERS", "0"}});
  ASSERT_EQ(r.exit, 0) << r.launcher_stderr;
  EXPECT_EQ(field(r.launcher_stdout, "keeper", "pid"), "none") << r.launcher_stdout;
  EXPECT_NE(field(r.launcher_stdout, "session1", "mnt"), field(r.launcher_stdout, "dispatcher", "mnt"));
}

TEST_F(HostSession, AJoinedSessionIsConfinedExactlyAsOneInItsOwnSandbox) {
  const auto joined = run();
  const auto own = run({{"SPOTCHECK_HOST_KEEPERS", "0"}});
  ASSERT_EQ(joined.exit, 0) << joined.launcher_stderr;
  ASSERT_EQ(own.exit, 0) << own.launcher_stderr;
  for (const char* session : {"session1", "session2"}) {
    for (const char* key : {"CapEff", "CapPrm", "CapInh", "CapBnd", "CapAmb", "NoNewPrivs"}) {
      EXPECT_EQ(status(joined.launcher_stdout, session, key), status(own.launcher_stdout, session, key))
          << session << " " << key << "\n"
          << joined.launcher_stdout << "\n---\n"
          << own.launcher_stdout;
    }
    for (const char* key : {"host", "pwd", "home", "login"}) {
      EXPECT_EQ(field(joined.launcher_stdout, session, key), field(own.launcher_stdout, session, key)) << key;
    }
  }
  EXPECT_EQ(field(joined.launcher_stdout, "session1", "pwd"), "/home/ec2-user");
}

TEST_F(HostSession, TheHostsTmpAndStdinAndExitStatusCarryAcrossSessions) {
  const auto r = run();
  ASSERT_EQ(r.exit, 0) << r.launcher_stderr;
  EXPECT_THAT(r.launcher_stdout, HasSubstr("session3 tmp=left-by-1 left-by-2 left-by-3"));
  EXPECT_THAT(r.launcher_stdout, HasSubstr("line one\nline two\nstdin session exit=7"));
}

TEST_F(HostSession, TheKeeperHoldsNoneOfTheCallersDescriptors) {
  // The first session starts the keeper with this pipe as the ssh call's fd 3 too: `cat` ends only when
  // every holder has let go, so a keeper that kept it would hang the run until its limit.
  std::string text = kTwoSessions;
  text = text.substr(0, text.find("echo \"dispatcher")) +
         "ssh -o StrictHostKeyChecking=no -i ~/.ssh/spot-batch.pem ec2-user@\"$ip\" 'echo piped' 3>&1 | cat\n"
         "echo after-the-pipe\n";
  const auto r = run({}, text);
  EXPECT_FALSE(r.timed_out);
  ASSERT_EQ(r.exit, 0) << r.launcher_stderr;
  EXPECT_THAT(r.launcher_stdout, HasSubstr("piped\nafter-the-pipe"));
}

// Launches one instance and, without any session, waits (real time, bounded) for its host's keeper.
constexpr const char* kBootOnly = R"SH(#!/usr/bin/env bash
set -euo pipefail
export AWS_DEFAULT_REGION=us-east-1
id=$(aws ec2 run-instances --image-id ami-0abcdef1234567890 --instance-type c6i.4xlarge --key-name spot-batch \
  --query 'Instances[0].InstanceId' --output text)
start=${EPOCHREALTIME/./}
until [ -s "/run/spotcheck/hosts/$id/keeper.pid" ] || (( ${EPOCHREALTIME/./} - start > 10000000 )); do :; done
keeper=$(cat "/run/spotcheck/hosts/$id/keeper.pid" 2>/dev/null || echo none)
echo "dispatcher mnt=$(readlink /proc/self/ns/mnt)"
echo "keeper pid=$keeper mnt=$(readlink "/proc/$keeper/ns/mnt" 2>/dev/null || echo none)"
)SH";

TEST_F(HostSession, ALaunchedInstancesHostBootsBeforeItsFirstSession) {
  // The keeper must not hold the pipe of `id=$(aws ec2 run-instances ...)`: that would hang the run to its limit.
  const auto r = run({}, kBootOnly);
  EXPECT_FALSE(r.timed_out);
  ASSERT_EQ(r.exit, 0) << r.launcher_stderr;
  const std::string& out = r.launcher_stdout;
  ASSERT_THAT(field(out, "keeper", "mnt"), HasSubstr("mnt:[")) << out;
  EXPECT_NE(field(out, "keeper", "mnt"), field(out, "dispatcher", "mnt")) << out;
  EXPECT_THAT(r.survivors, ::testing::IsEmpty());
}

TEST_F(HostSession, WithoutKeepersNoHostBootsAtLaunch) {
  std::string text = kBootOnly;
  text.replace(text.find("> 10000000"), 10, "> 200000");  // 0.2 s is plenty for a boot that would happen
  const auto r = run({{"SPOTCHECK_HOST_KEEPERS", "0"}}, text);
  ASSERT_EQ(r.exit, 0) << r.launcher_stderr;
  EXPECT_EQ(field(r.launcher_stdout, "keeper", "pid"), "none") << r.launcher_stdout;
}

// "/proc/PID: stat line" of every process in the pid namespace `ns` ("pid:[N]") that is not a zombie.
std::vector<std::string> live_processes_in(const std::string& ns) {
  std::vector<std::string> found;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::error_code ec;
    if (fs::read_symlink(entry.path() / "ns" / "pid", ec).string() != ns) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    std::getline(stat, line);
    const auto state = line.find(") ");  // "PID (comm) STATE ..."
    if (state != std::string::npos && line.compare(state + 2, 1, "Z") == 0) continue;
    found.push_back(entry.path().string() + ": " + line);
  }
  return found;
}

TEST_F(HostSession, NoKeeperOutlivesTheRun) {
  const auto r = run();
  ASSERT_EQ(r.exit, 0) << r.launcher_stderr;
  // Everything the run started, keepers included, lived in the sandbox's pid namespace: none may remain.
  const std::string run_pid_ns = field(r.launcher_stdout, "dispatcher", "pid");
  ASSERT_THAT(run_pid_ns, HasSubstr("pid:["));
  // Zombies have ended (they wait for the machine's init to reap them). The rest are being killed: bwrap's
  // monitor returns as the sandbox's init starts killing what is left in its namespace, so allow that
  // moment (bounded), then anything still alive there outlived the run.
  std::vector<std::string> left = live_processes_in(run_pid_ns);
  for (int attempt = 0; attempt < 200 && !left.empty(); ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    left = live_processes_in(run_pid_ns);
  }
  EXPECT_THAT(left, ::testing::IsEmpty());
}

}  // namespace
}  // namespace spotcheck

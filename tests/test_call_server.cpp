// The run's call server (fakes/src/call_server.cpp) and its client (spotcheck-call, fakes/client/): a call
// handed over ends as the fake running it would (output, exit status, record, a signal), and a call that could
// block runs in a process of its own. The client here has no fake to fall back on (a copy alone in its own
// directory, and none in the run directory), so a call that works went through the server.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <thread>

#include "call_server.hpp"
#include "spotcheck/fakes/call_protocol.h"
#include "spotcheck/fakes/world/seed.hpp"
#include "spotcheck/record.hpp"
#include "test_support.hpp"

extern char** environ;

namespace spotcheck::fakes {
namespace {

namespace fs = std::filesystem;
using spotcheck::testing::bin_dir;
using spotcheck::testing::read_file;
using spotcheck::testing::TempDir;
using spotcheck::testing::write_file;
using ::testing::HasSubstr;

TEST(RunsInline, CallsThatCannotWaitRunInTheServer) {
  EXPECT_TRUE(runs_inline({"date", "-u"}, false));
  EXPECT_TRUE(runs_inline({"/run/spotcheck/shims/sleep", "10"}, false));
  EXPECT_TRUE(runs_inline({"aws", "ec2", "describe-instances", "--output", "text"}, false));
  EXPECT_TRUE(runs_inline({"aws", "s3", "cp", "results.csv", "s3://bucket/key"}, false));
}

TEST(RunsInline, CallsThatMayWaitRunInAProcessOfTheirOwn) {
  EXPECT_FALSE(runs_inline({"ssh", "ec2-user@203.0.113.10", "true"}, false));
  EXPECT_FALSE(runs_inline({"python3", "-"}, false));
  EXPECT_FALSE(runs_inline({"timeout", "5", "date"}, false));
  EXPECT_FALSE(runs_inline({"aws", "s3", "cp", "-", "s3://bucket/key"}, false));                    // stdin
  EXPECT_FALSE(runs_inline({"aws", "s3", "cp", "/dev/fd/63", "s3://bucket/key"}, false));           // a pipe
  EXPECT_FALSE(runs_inline({"aws", "ec2", "run-instances", "--user-data", "file://u.sh"}, false));  // maybe a pipe
  EXPECT_FALSE(runs_inline({"aws", "ssm", "send-command", "--instance-ids", "i-1"}, false));        // a step on a host
  EXPECT_FALSE(runs_inline({"date"}, true));  // a rule may hang it or signal its caller
}

TEST(RunsInCallersProcess, ToolsThatStartProcessesRunTheFakeInTheCaller) {
  EXPECT_TRUE(runs_in_callers_process({"ssh", "ec2-user@203.0.113.10", "true"}));
  EXPECT_TRUE(runs_in_callers_process({"/run/spotcheck/shims/scp", "a", "host:b"}));
  EXPECT_TRUE(runs_in_callers_process({"sudo", "dnf", "install", "-y", "git"}));
  EXPECT_TRUE(runs_in_callers_process({"timeout", "5", "python3", "job.py"}));
  EXPECT_TRUE(runs_in_callers_process({"aws", "ssm", "send-command", "--instance-ids", "i-1"}));
  EXPECT_FALSE(runs_in_callers_process({"aws", "ec2", "describe-instances"}));
  EXPECT_FALSE(runs_in_callers_process({"python3", "-"}));
  EXPECT_FALSE(runs_in_callers_process({"date"}));
}

TEST(RunsInline, AnAwsCallNamingAPipeRunsInAProcessOfItsOwn) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir.path() / "feed").c_str(), 0600), 0);
  write_file(dir.path() / "results.csv", "a,b\n");
  const int cwd = ::open(dir.path().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  // its writer may be another call, waiting for the server
  EXPECT_FALSE(runs_inline({"aws", "s3", "cp", "feed", "s3://bucket/key"}, false, cwd));
  EXPECT_FALSE(runs_inline({"aws", "s3api", "put-object", "--bucket", "b", "--key", "k", "--body=feed"}, false, cwd));
  EXPECT_TRUE(runs_inline({"aws", "s3", "cp", "results.csv", "s3://bucket/key"}, false, cwd));
  ::close(cwd);
}

// A run directory with the default World, a server on it, and a client under any tool's name.
class CallServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_.path() / "root";
    fs::create_directories(root_ / "state");
    fs::create_directories(dir_.path() / "client");
    fs::copy_file(spotcheck::testing::source_dir() / "share" / "worlds" / "default.json", root_ / "world.json");
    world::seed_world(RunPaths{root_});
    write_file(root_ / "recording.jsonl", "");
  }
  void TearDown() override { stop_server(); }

  void start_server() {
    server_ = spawn({(bin_dir() / "spotcheck-fake").string(), "--serve", socket().string()}, -1, -1);
    for (int i = 0; i < 500 && !fs::exists(socket()); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_TRUE(fs::exists(socket())) << "the server did not listen on " << socket();
  }
  void stop_server() {
    if (server_ <= 0) return;
    ::kill(server_, SIGTERM);
    int status = 0;
    ::waitpid(server_, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "server wait status " << status;
    server_ = -1;
  }
  fs::path socket() const { return root_ / "call.sock"; }

  // The client as `tool`: a copy of spotcheck-call, alone in its directory.
  std::string client(const std::string& tool) {
    const fs::path copy = dir_.path() / "client" / tool;
    if (!fs::exists(copy)) fs::copy_file(bin_dir() / "spotcheck-call", copy);
    return copy.string();
  }

  // Starts argv with the run's environment, stdin from `in` (-1: /dev/null), stdout into `out` (-1: a file).
  pid_t spawn(const std::vector<std::string>& argv, int in, int out, bool with_socket = true) {
    std::vector<std::string> env = {"PATH=/usr/bin:/bin",
                                    "HOME=" + dir_.path().string(),
                                    "SPOTCHECK_ROOT=" + root_.string(),
                                    "AWS_ACCESS_KEY_ID=AKIAFAKETEST00000000",
                                    "AWS_SECRET_ACCESS_KEY=fake/test/secret",
                                    "AWS_REGION=us-east-1"};
    if (with_socket) env.push_back(std::string(SPOTCHECK_CALL_SOCKET_ENV) + "=" + socket().string());
    std::vector<char*> cargv, cenv;
    for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
    for (const auto& e : env) cenv.push_back(const_cast<char*>(e.c_str()));
    cargv.push_back(nullptr);
    cenv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (in >= 0)
      posix_spawn_file_actions_adddup2(&actions, in, 0);
    else
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (out >= 0)
      posix_spawn_file_actions_adddup2(&actions, out, 1);
    else
      posix_spawn_file_actions_addopen(&actions, 1, (dir_.path() / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, (dir_.path() / "err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, cargv[0], &actions, nullptr, cargv.data(), cenv.data());
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(rc, 0) << "cannot start " << argv[0];
    return pid;
  }
  // Runs a call to its end: its wait status.
  int call(const std::vector<std::string>& argv, int in = -1, bool with_socket = true) {
    std::vector<std::string> full = argv;
    full[0] = client(argv[0]);
    const pid_t pid = spawn(full, in, -1, with_socket);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
    }
    return status;
  }
  std::string out() const { return read_file(dir_.path() / "out"); }
  std::string err() const { return read_file(dir_.path() / "err"); }
  std::vector<Record> records() const { return read_recording(root_ / "recording.jsonl"); }

  TempDir dir_;
  fs::path root_;
  pid_t server_ = -1;
};

TEST_F(CallServerTest, AnInlineCallAnswersRecordsAndExitsAsTheFake) {
  start_server();
  const int status = call({"date", "-u", "+%Y"});
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0) << err();
  EXPECT_EQ(out(), "2027\n");  // the virtual clock
  const auto r = records();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].tool, "date");
  EXPECT_EQ(r[0].argv.at(2), "+%Y");
  EXPECT_EQ(r[0].cwd, fs::current_path().string());
}

TEST_F(CallServerTest, AFailingCallsStatusAndMessageReachTheCaller) {
  start_server();
  const int status = call({"aws", "ec2", "no-such-operation"});
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 252);  // the real CLI's bad-usage status
  EXPECT_THAT(err(), HasSubstr("Invalid choice"));
}

TEST_F(CallServerTest, ACallReadingStdinRunsForkedAndGetsTheCallersStdin) {
  start_server();
  write_file(dir_.path() / "program.py", "print('hello')\n");
  const int in = ::open((dir_.path() / "program.py").c_str(), O_RDONLY | O_CLOEXEC);
  const int status = call({"python3", "-"}, in);
  ::close(in);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0) << err();
  const auto r = records();
  ASSERT_EQ(r.size(), 1u);
  ASSERT_TRUE(r[0].stdin_capture.has_value());
  EXPECT_THAT(r[0].stdin_capture->text, HasSubstr("print('hello')"));
}

TEST_F(CallServerTest, AnInlineCallWritingToAClosedPipeEndsItsCallerBySigpipe) {
  start_server();
  int pipe_fds[2];
  ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
  ::close(pipe_fds[0]);  // nobody reads
  const pid_t pid = spawn({client("date")}, -1, pipe_fds[1]);
  ::close(pipe_fds[1]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
  }
  ASSERT_TRUE(WIFSIGNALED(status)) << status;
  EXPECT_EQ(WTERMSIG(status), SIGPIPE);
  EXPECT_EQ(records().size(), 1u);  // recorded before its output was written, as the fake does
}

TEST_F(CallServerTest, AnInlineCallsOutputAPipeHasNoRoomForHoldsUpNoOtherCall) {
  start_server();
  int pipe_fds[2];
  ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
  const int capacity = ::fcntl(pipe_fds[1], F_SETPIPE_SZ, 4096);
  ASSERT_GT(capacity, 0);
  const std::string filler(static_cast<std::size_t>(capacity), '.');
  ASSERT_EQ(::write(pipe_fds[1], filler.data(), filler.size()), capacity);  // full: nobody reads yet
  const pid_t blocked = spawn({client("date"), "-u", "+%Y"}, -1, pipe_fds[1]);
  ::close(pipe_fds[1]);
  // Another call is served meanwhile, as it would be with the fake started per call.
  const auto started = std::chrono::steady_clock::now();
  const int other = call({"sleep", "1"});
  EXPECT_TRUE(WIFEXITED(other) && WEXITSTATUS(other) == 0) << other;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(4)) << "the server waited for the pipe";
  int status = 0;
  EXPECT_EQ(::waitpid(blocked, &status, WNOHANG), 0) << "the call could not have written its output yet";
  std::string got;
  std::array<char, 8192> buffer{};
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer.data(), buffer.size())) > 0;) got.append(buffer.data(), n);
  ::close(pipe_fds[0]);
  while (::waitpid(blocked, &status, 0) < 0) {
  }
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(got, filler + "2027\n");
}

TEST_F(CallServerTest, ACallerThatIgnoresSigpipeIsNotEndedByIt) {
  start_server();
  int pipe_fds[2];
  ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
  ::close(pipe_fds[0]);
  // `trap '' PIPE`: an exec'd program keeps SIGPIPE ignored and sees EPIPE instead
  const pid_t pid = spawn({"/bin/sh", "-c", "trap '' PIPE; exec \"$0\" \"$@\"", client("date")}, -1, pipe_fds[1]);
  ::close(pipe_fds[1]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
  }
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST_F(CallServerTest, ACallCreatesFilesWithItsCallersUmask) {
  start_server();
  write_file(dir_.path() / "results.csv", "a,b\n");
  const auto in_dir = [&](const std::string& command) {
    const pid_t pid = spawn({"/bin/sh", "-c", "cd '" + dir_.path().string() + "' && umask 077 && " + command}, -1, -1);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
    }
    return status;
  };
  const std::string aws = client("aws");
  ASSERT_EQ(in_dir(aws + " s3 mb s3://results"), 0) << err();
  ASSERT_EQ(in_dir(aws + " s3 cp results.csv s3://results/run.csv"), 0) << err();
  ASSERT_EQ(in_dir(aws + " s3 cp s3://results/run.csv fetched.csv"), 0) << err();
  EXPECT_EQ(read_file(dir_.path() / "fetched.csv"), "a,b\n");
  const auto perms = fs::status(dir_.path() / "fetched.csv").permissions();
  EXPECT_EQ(perms & (fs::perms::group_all | fs::perms::others_all), fs::perms::none);  // umask 077, not the server's
}

TEST_F(CallServerTest, ASignalToTheCallerEndsTheCallAndTheCallerWithIt) {
  write_file(root_ / "rules.json", R"({"rules": [{"id": "stuck", "match": {"tool": "sleep"}, "hang": true}]})");
  start_server();  // with rules, every call runs in a process of its own
  const pid_t pid = spawn({client("sleep"), "30"}, -1, -1);
  for (int i = 0; i < 500 && records().empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(records().size(), 1u) << "the hang rule's record";
  ::kill(pid, SIGTERM);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
  }
  ASSERT_TRUE(WIFSIGNALED(status)) << status;
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
  stop_server();  // exits 0 only once it has reaped the call
}

TEST_F(CallServerTest, WithoutAServerTheClientRunsTheFakeBesideIt) {
  // The build's own client has the fake beside it; no server is listening.
  const fs::path link = dir_.path() / "date";
  fs::create_symlink(bin_dir() / "spotcheck-call", link);
  const pid_t pid = spawn({link.string(), "-u", "+%Y"}, -1, -1, false);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
  }
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0) << err();
  EXPECT_EQ(out(), "2027\n");
  EXPECT_EQ(records().size(), 1u);
}

// In a run: the dispatcher's shims are the client's links, served by the supervisor; a spot host's are the
// fake's own (its calls run in its namespaces, where the dispatcher's server cannot run them).
constexpr const char* kDispatcherAndHost = R"SH(#!/usr/bin/env bash
set -euo pipefail
export AWS_DEFAULT_REGION=us-east-1
id=$(aws ec2 run-instances --image-id ami-0abcdef1234567890 --instance-type c6i.4xlarge --key-name spot-batch \
  --query 'Instances[0].InstanceId' --output text)
aws ec2 wait instance-running --instance-ids "$id"
ip=$(aws ec2 describe-instances --instance-ids "$id" --query 'Reservations[0].Instances[0].PublicIpAddress' --output text)
echo "dispatcher date=$(readlink /run/spotcheck/shims/date) ssh=$(readlink /run/spotcheck/shims/ssh) socket=${SPOTCHECK_CALL_SOCKET:-none}"
ssh -o StrictHostKeyChecking=no -i ~/.ssh/spot-batch.pem ec2-user@"$ip" \
  'echo "host date=$(readlink /run/spotcheck/shims/date) socket=${SPOTCHECK_CALL_SOCKET:-none}"; date -u +%Y'
)SH";

TEST(CallServerInARun, TheDispatchersCallsGoToTheServerAndASpotHostsRunTheFake) {
  if (!spotcheck::testing::sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  TempDir dir;
  const auto r = spotcheck::testing::run_script(dir.path() / "launcher.sh", kDispatcherAndHost, {}, 30);
  ASSERT_EQ(r.exit, 0) << r.launcher_stderr;
  EXPECT_THAT(r.launcher_stdout, HasSubstr("dispatcher date=../bin/spotcheck-call ssh=../bin/spotcheck-fake "
                                           "socket=/run/spotcheck/call.sock"));  // ssh starts processes
  EXPECT_THAT(r.launcher_stdout, HasSubstr("host date=../bin/spotcheck-fake socket=none"));
  ASSERT_FALSE(r.records.empty());
  EXPECT_EQ(r.records.back().tool, "date");  // the host's call, recorded as the host's
  EXPECT_NE(r.records.back().host, "dispatcher");
  EXPECT_EQ(r.records.back().stdout_text, "2027\n");
}

TEST_F(CallServerTest, AClientWithNoServerAndNoFakeSaysSo) {
  const int status = call({"date"}, -1, false);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 127);
  EXPECT_THAT(err(), HasSubstr("can't run the fake"));
}

}  // namespace
}  // namespace spotcheck::fakes

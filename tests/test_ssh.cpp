// Tests of the ssh, scp and ssh-keyscan shims (fakes/src/shims/ssh*.cpp, scp.cpp) without the outer sandbox.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "shims/ssh.hpp"
#include "spotcheck/fakes/call.hpp"
#include "spotcheck/fakes/shim.hpp"
#include "test_support.hpp"
#include "world/ec2_store.hpp"

namespace spotcheck::fakes {
namespace {

using spotcheck::testing::QuietOutput;
using spotcheck::testing::read_file;
using spotcheck::testing::TempDir;
using spotcheck::testing::write_file;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

constexpr const char* kHostA = "i-0aaaaaaaaaaaaaaa1";
constexpr const char* kHostB = "i-0bbbbbbbbbbbbbbb2";
constexpr const char* kIpA = "203.0.113.10";
constexpr const char* kIpB = "203.0.113.11";

// Nested user namespaces are a kernel feature the test machine may lack: a skip, not a failure.
std::string sandbox_unavailable_reason() {
  static const std::string reason = [] {
    const int rc = std::system("/usr/bin/bwrap --unshare-user --ro-bind / / true >/dev/null 2>&1");
    return rc == 0 ? std::string() : "bwrap --unshare-user does not work here (exit " + std::to_string(rc) + ")";
  }();
  return reason;
}

#define SKIP_WITHOUT_SANDBOX()                                         \
  do {                                                                 \
    if (const auto why = sandbox_unavailable_reason(); !why.empty()) { \
      GTEST_SKIP() << why;                                             \
    }                                                                  \
  } while (0)

// What a finished call left behind: the exit status and its record.
struct Outcome {
  int exit;
  Record record;
};

class SshShimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    paths_.root = run_.path();
    add_instance(kHostA, kIpA, "10.0.0.10", "running", 0);
    add_instance(kHostB, kIpB, "10.0.0.11", "running", 0);
    // The dispatcher's side: its own HOME and a launcher's private key (0600, as ssh insists).
    if (const char* home = std::getenv("HOME")) saved_home_ = home;
    home_ = run_.path() / "dispatcher-home";
    fs::create_directories(home_);
    ::setenv("HOME", home_.c_str(), 1);
    key_ = (home_ / "spot.pem").string();
    write_file(key_, "-----BEGIN OPENSSH PRIVATE KEY-----\nfake\n-----END OPENSSH PRIVATE KEY-----\n");
    fs::permissions(key_, fs::perms::owner_read | fs::perms::owner_write);
  }

  void TearDown() override {
    if (saved_home_) ::setenv("HOME", saved_home_->c_str(), 1);
  }

  void add_instance(const std::string& id, const std::string& ip, const std::string& private_ip,
                    const std::string& state, double ssh_ready_at) {
    world::update_ec2(paths_, [&](nlohmann::json& ec2) {
      ec2["instances"].push_back({{"id", id},
                                  {"type", "c6i.large"},
                                  {"state", state},
                                  {"public_ip", ip},
                                  {"private_ip", private_ip},
                                  {"region", "us-east-1"},
                                  {"launched_at", 0},
                                  {"running_at", 0},
                                  {"ssh_ready_at", ssh_ready_at}});
    });
  }

  Outcome run(ShimFn shim, std::vector<std::string> argv, const std::optional<std::string>& stdin_bytes = "") {
    Context ctx;
    ctx.paths = paths_;
    Call call(ctx, std::move(argv));
    if (stdin_bytes) call.set_stdin(*stdin_bytes);
    int exit = 0;
    {
      QuietOutput quiet;
      exit = call.finish(shim(call));
    }
    return {exit, call.record()};
  }

  // ssh as launchers call it: key, no host-key prompt, quiet about adding the key.
  Outcome ssh(std::vector<std::string> words, const std::optional<std::string>& stdin_bytes = "") {
    words.insert(words.begin(), {"ssh", "-i", key_, "-o", "StrictHostKeyChecking=no", "-o",
                                 "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"});
    return run(run_ssh, std::move(words), stdin_bytes);
  }

  Outcome bare_ssh(std::vector<std::string> words, const std::optional<std::string>& stdin_bytes = "") {
    words.insert(words.begin(), "ssh");
    return run(run_ssh, std::move(words), stdin_bytes);
  }

  Outcome scp(std::vector<std::string> words) {
    words.insert(words.begin(),
                 {"scp", "-i", key_, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"});
    return run(run_scp, std::move(words));
  }

  TempDir run_;
  RunPaths paths_;
  fs::path home_;
  std::string key_;
  std::optional<std::string> saved_home_;
};

TEST_F(SshShimTest, RemoteCommandOutputAndExitStatusComeBack) {
  SKIP_WITHOUT_SANDBOX();
  const auto out = ssh({std::string("ec2-user@") + kIpA, "echo", "hello;", "echo", "oops", ">&2;", "exit", "3"});
  EXPECT_EQ(out.exit, 3);
  EXPECT_EQ(out.record.stdout_text, "hello\n");
  EXPECT_EQ(out.record.stderr_text, "oops\n");
}

TEST_F(SshShimTest, BashDashSReadsTheHeredocAndTheRecordKeepsItsText) {
  SKIP_WITHOUT_SANDBOX();
  const std::string heredoc = "set -e\ncd ~\necho \"on $(hostname) in $PWD\"\n";
  const auto out = ssh({std::string("ec2-user@") + kIpA, "bash", "-s"}, heredoc);
  EXPECT_EQ(out.exit, 0);
  EXPECT_EQ(out.record.stdout_text, "on ip-10-0-0-10 in /home/ec2-user\n");
  ASSERT_TRUE(out.record.stdin_capture.has_value());
  EXPECT_EQ(out.record.stdin_capture->text, heredoc);
}

TEST_F(SshShimTest, NoCommandRunsTheStdinScript) {
  SKIP_WITHOUT_SANDBOX();
  const auto out = ssh({std::string("ec2-user@") + kIpA}, "echo from-stdin\n");
  EXPECT_EQ(out.record.stdout_text, "from-stdin\n");
}

TEST_F(SshShimTest, DashNGivesTheRemoteAnEmptyStdinAndRecordsNone) {
  SKIP_WITHOUT_SANDBOX();
  const auto out = ssh({"-n", std::string("ec2-user@") + kIpA, "cat", ";", "echo", "done"}, std::nullopt);
  EXPECT_EQ(out.record.stdout_text, "done\n");
  EXPECT_FALSE(out.record.stdin_capture.has_value());
}

TEST_F(SshShimTest, RemoteEnvironmentIsALoginEnvironmentWithNoneOfTheDispatchers) {
  SKIP_WITHOUT_SANDBOX();
  ::setenv("FOO", "bar", 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", "dispatcher-secret", 1);
  const auto out =
      ssh({std::string("ec2-user@") + kIpA, "echo ${FOO:-unset} ${AWS_SECRET_ACCESS_KEY:-unset} $HOME $USER $PWD"});
  ::unsetenv("FOO");
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
  EXPECT_EQ(out.record.stdout_text, "unset unset /home/ec2-user ec2-user /home/ec2-user\n");
}

TEST_F(SshShimTest, RemoteShimPlumbingNamesTheHostAndTheSshRecordAsParent) {
  SKIP_WITHOUT_SANDBOX();
  const auto out = ssh({std::string("ec2-user@") + kIpA, "echo $SPOTCHECK_HOST $SPOTCHECK_PARENT; echo $PATH"});
  EXPECT_EQ(out.record.stdout_text, std::string(kHostA) + " " + std::to_string(out.record.seq) + "\n" +
                                        (paths_.shims().string() + ":/usr/local/bin:/usr/bin:/bin\n"));
}

TEST_F(SshShimTest, FilesInHomePersistAcrossCallsAndStayOnTheirHost) {
  SKIP_WITHOUT_SANDBOX();
  EXPECT_EQ(ssh({std::string("ec2-user@") + kIpA, "echo kept > ~/state.txt; echo t > /tmp/t.txt"}).exit, 0);
  EXPECT_EQ(ssh({std::string("ec2-user@") + kIpA, "cat ~/state.txt /tmp/t.txt"}).record.stdout_text, "kept\nt\n");
  const auto other = ssh({std::string("ec2-user@") + kIpB, "cat ~/state.txt /tmp/t.txt"});
  EXPECT_NE(other.exit, 0);
  EXPECT_THAT(other.record.stderr_text, HasSubstr("No such file or directory"));
  EXPECT_EQ(read_file(host_home(paths_, kHostA) / "state.txt"), "kept\n");
}

TEST_F(SshShimTest, RefusedWhileSshIsNotReadyYet) {
  add_instance("i-0ccccccccccccccc3", "203.0.113.12", "10.0.0.12", "running", 100);
  const auto out = ssh({"ec2-user@203.0.113.12", "true"});
  EXPECT_EQ(out.exit, 255);
  EXPECT_EQ(out.record.stderr_text, "ssh: connect to host 203.0.113.12 port 22: Connection refused\n");
}

TEST_F(SshShimTest, UnknownAddressTimesOutAfterConnectTimeoutOfVirtualTime) {
  const double before = virtual_now(paths_);
  const auto out = ssh({"-o", "ConnectTimeout=7", "ec2-user@198.51.100.1", "true"});
  EXPECT_EQ(out.exit, 255);
  EXPECT_EQ(out.record.stderr_text, "ssh: connect to host 198.51.100.1 port 22: Connection timed out\n");
  EXPECT_DOUBLE_EQ(virtual_now(paths_) - before, 7);
}

TEST_F(SshShimTest, TerminatedInstanceTimesOut) {
  add_instance("i-0ddddddddddddddd4", "203.0.113.13", "10.0.0.13", "terminated", 0);
  const auto out = ssh({"ec2-user@203.0.113.13", "true"});
  EXPECT_EQ(out.exit, 255);
  EXPECT_THAT(out.record.stderr_text, HasSubstr("Connection timed out"));
}

TEST_F(SshShimTest, UnknownHostnameCannotBeResolved) {
  const auto out = ssh({"ec2-user@Build-Box", "true"});
  EXPECT_EQ(out.exit, 255);
  EXPECT_EQ(out.record.stderr_text, "ssh: Could not resolve hostname build-box: Name or service not known\n");
}

TEST_F(SshShimTest, BadUsagePrintsTheUsageTextAndExits255) {
  const auto out = bare_ssh({"-Z"});
  EXPECT_EQ(out.exit, 255);
  EXPECT_THAT(out.record.stderr_text, HasSubstr("unknown option -- Z\nusage: ssh [-46AaCfGgKkMNnqsTtVvXxYy]"));
}

TEST_F(SshShimTest, VersionGoesToStderr) {
  const auto out = bare_ssh({"-V"});
  EXPECT_EQ(out.exit, 0);
  EXPECT_THAT(out.record.stderr_text, ::testing::StartsWith("OpenSSH_9.2p1"));
  EXPECT_EQ(out.record.stdout_text, "");
}

TEST_F(SshShimTest, ScpUploadLandsInTheHostsHomeAndRecordsThePayload) {
  const fs::path local = run_.path() / "config.yaml";
  write_file(local, "mode: smoke\n");
  const auto out = scp({"-q", local.string(), std::string("ec2-user@") + kIpA + ":~/"});
  EXPECT_EQ(out.exit, 0) << out.record.stderr_text;
  EXPECT_EQ(read_file(host_home(paths_, kHostA) / "config.yaml"), "mode: smoke\n");
  ASSERT_EQ(out.record.payloads.size(), 1u);
  EXPECT_EQ(out.record.payloads[0].path, std::string(kIpA) + ":/home/ec2-user/config.yaml");
  EXPECT_EQ(out.record.payloads[0].bytes, 12u);
}

TEST_F(SshShimTest, ScpMapsTmpAndDownloadsBack) {
  write_file(host_tmp(paths_, kHostA) / "result.json", "{}\n");
  const fs::path local = run_.path() / "out.json";
  const auto out = scp({std::string("ec2-user@") + kIpA + ":/tmp/result.json", local.string()});
  EXPECT_EQ(out.exit, 0) << out.record.stderr_text;
  EXPECT_EQ(read_file(local), "{}\n");
}

TEST_F(SshShimTest, ScpRecursiveCopiesADirectory) {
  write_file(run_.path() / "src" / "a.py", "a\n");
  write_file(run_.path() / "src" / "pkg" / "b.py", "b\n");
  const auto out = scp({"-r", (run_.path() / "src").string(), std::string("ec2-user@") + kIpA + ":app"});
  EXPECT_EQ(out.exit, 0) << out.record.stderr_text;
  EXPECT_EQ(read_file(host_home(paths_, kHostA) / "app" / "pkg" / "b.py"), "b\n");
  EXPECT_EQ(out.record.payloads.size(), 2u);
}

TEST_F(SshShimTest, ScpErrorsUseScpWording) {
  const auto missing = scp({"-q", "nosuch.txt", std::string("ec2-user@") + kIpA + ":"});
  EXPECT_EQ(missing.exit, 255);
  EXPECT_EQ(missing.record.stderr_text, "scp: stat local \"nosuch.txt\": No such file or directory\n");
  const auto remote_missing = scp({"-q", std::string("ec2-user@") + kIpA + ":gone.txt", run_.path().string()});
  EXPECT_EQ(remote_missing.exit, 1);
  EXPECT_EQ(remote_missing.record.stderr_text, "scp: gone.txt: No such file or directory\n");
  write_file(run_.path() / "x", "x");
  const auto denied = scp({"-q", (run_.path() / "x").string(), std::string("ec2-user@") + kIpA + ":/etc/x"});
  EXPECT_EQ(denied.exit, 1);
  EXPECT_THAT(denied.record.stderr_text, HasSubstr("scp: dest open \"/etc/x\": Permission denied"));
}

TEST_F(SshShimTest, ScpToAnUnreachableHostFailsLikeSsh) {
  write_file(run_.path() / "x", "x");
  const auto out = scp({(run_.path() / "x").string(), "203.0.113.99:"});
  EXPECT_EQ(out.exit, 255);
  EXPECT_EQ(out.record.stderr_text,
            "ssh: connect to host 203.0.113.99 port 22: Connection timed out\nscp: Connection closed\n");
}

TEST_F(SshShimTest, OnlyEc2UserGetsIn) {
  const auto out = ssh({std::string("root@") + kIpA, "true"});
  EXPECT_EQ(out.exit, 255);
  EXPECT_EQ(out.record.stderr_text,
            std::string("root@") + kIpA + ": Permission denied (publickey,gssapi-keyex,gssapi-with-mic).\n");
}

TEST_F(SshShimTest, MissingIdentityFileWarnsAndAuthenticationFails) {
  const auto out = bare_ssh({"-i", "nokey.pem", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                             std::string("ec2-user@") + kIpA, "true"});
  EXPECT_EQ(out.exit, 255);
  EXPECT_THAT(out.record.stderr_text,
              HasSubstr("Warning: Identity file nokey.pem not accessible: No such file or directory.\n"));
  EXPECT_THAT(out.record.stderr_text, HasSubstr("ec2-user@203.0.113.10: Permission denied (publickey"));
}

TEST_F(SshShimTest, GroupReadablePrivateKeyIsIgnoredLikeRealSsh) {
  fs::permissions(key_,
                  fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
  const auto out = ssh({std::string("ec2-user@") + kIpA, "true"});
  EXPECT_EQ(out.exit, 255);
  EXPECT_THAT(out.record.stderr_text, HasSubstr("Permissions 0644 for '" + key_ + "' are too open."));
}

TEST_F(SshShimTest, UnknownHostKeyFailsVerificationByDefault) {
  const auto out = bare_ssh({"-i", key_, "-o", "BatchMode=yes", std::string("ec2-user@") + kIpA, "true"});
  EXPECT_EQ(out.exit, 255);
  EXPECT_EQ(out.record.stderr_text,
            "No ED25519 host key is known for 203.0.113.10 and you have requested strict checking.\n"
            "Host key verification failed.\n");
}

TEST_F(SshShimTest, AcceptNewRemembersTheKeySoStrictCheckingPassesNextTime) {
  const auto first =
      bare_ssh({"-i", key_, "-o", "StrictHostKeyChecking=accept-new", std::string("ec2-user@") + kIpA, "true"});
  EXPECT_EQ(first.exit, 0) << first.record.stderr_text;
  EXPECT_EQ(first.record.stderr_text,
            "Warning: Permanently added '203.0.113.10' (ED25519) to the list of known hosts.\n");
  EXPECT_THAT(read_file(home_ / ".ssh" / "known_hosts"), ::testing::StartsWith("203.0.113.10 ssh-ed25519 AAAA"));
  const auto second =
      bare_ssh({"-i", key_, "-o", "StrictHostKeyChecking=yes", std::string("ec2-user@") + kIpA, "true"});
  EXPECT_EQ(second.exit, 0) << second.record.stderr_text;
  EXPECT_EQ(second.record.stderr_text, "");
}

TEST_F(SshShimTest, KeyscanOutputInKnownHostsSatisfiesStrictChecking) {
  const auto scan = run(run_ssh_keyscan, {"ssh-keyscan", "-H", kIpA});
  write_file(home_ / ".ssh" / "known_hosts", scan.record.stdout_text);
  const auto out = bare_ssh({"-i", key_, "-o", "StrictHostKeyChecking=yes", std::string("ec2-user@") + kIpA, "true"});
  EXPECT_EQ(out.exit, 0) << out.record.stderr_text;
}

TEST_F(SshShimTest, ChangedHostKeyFailsUnlessCheckingIsOff) {
  const auto scan = run(run_ssh_keyscan, {"ssh-keyscan", "-t", "ed25519", kIpB});
  write_file(home_ / ".ssh" / "known_hosts",
             std::string(kIpA) + scan.record.stdout_text.substr(scan.record.stdout_text.find(' ')));
  const auto strict = bare_ssh({"-i", key_, std::string("ec2-user@") + kIpA, "true"});
  EXPECT_EQ(strict.exit, 255);
  EXPECT_THAT(strict.record.stderr_text, HasSubstr("REMOTE HOST IDENTIFICATION HAS CHANGED"));
  const auto lenient =
      bare_ssh({"-i", key_, "-o", "StrictHostKeyChecking=no", std::string("ec2-user@") + kIpA, "true"});
  EXPECT_EQ(lenient.exit, 0);
}

TEST_F(SshShimTest, QuietHidesSshsOwnErrorsButKeepsTheExitStatus) {
  const auto out = ssh({"-q", "ec2-user@198.51.100.1", "true"});
  EXPECT_EQ(out.exit, 255);
  EXPECT_EQ(out.record.stderr_text, "");
}

TEST_F(SshShimTest, DashTWithoutATerminalSaysSo) {
  SKIP_WITHOUT_SANDBOX();
  const auto out = bare_ssh({"-t", "-i", key_, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                             "-o", "LogLevel=INFO", std::string("ec2-user@") + kIpA, "true"},
                            std::nullopt);
  EXPECT_THAT(out.record.stderr_text,
              ::testing::StartsWith("Pseudo-terminal will not be allocated because stdin is not a terminal.\n"));
}

TEST_F(SshShimTest, KeyscanPrintsAStableEd25519KeyPerHost) {
  const auto first = run(run_ssh_keyscan, {"ssh-keyscan", "-t", "ed25519", kIpA});
  const auto again = run(run_ssh_keyscan, {"ssh-keyscan", "-t", "ed25519", kIpA});
  EXPECT_EQ(first.exit, 0);
  EXPECT_THAT(first.record.stdout_text,
              ::testing::StartsWith(std::string(kIpA) + " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"));
  EXPECT_EQ(first.record.stdout_text, again.record.stdout_text);
  EXPECT_EQ(first.record.stderr_text, std::string("# ") + kIpA + ":22 SSH-2.0-OpenSSH_8.7\n");
  const auto other = run(run_ssh_keyscan, {"ssh-keyscan", "-t", "ed25519", kIpB});
  EXPECT_NE(first.record.stdout_text.substr(first.record.stdout_text.find(' ')),
            other.record.stdout_text.substr(other.record.stdout_text.find(' ')));
}

TEST_F(SshShimTest, KeyscanOfAnUnreachableHostPrintsNothingAndFails) {
  const auto out = run(run_ssh_keyscan, {"ssh-keyscan", "203.0.113.99"});
  EXPECT_EQ(out.exit, 1);
  EXPECT_EQ(out.record.stdout_text, "");
}

TEST(HostSandboxPlan, BindsTheHostsHomeAndTmpBeforeTheRunRootAndClearsTheEnvironment) {
  using Kind = SandboxOp::Kind;
  RunPaths paths{"/tmp/run"};
  world::Instance instance;
  instance.id = "i-1";
  instance.private_ip = "10.0.0.7";
  const auto plan = plan_host_sandbox(paths, instance, 42, {"/bin/bash", "-c", "true"},
                                      {{"SPOTCHECK_STRICT", "1"}, {"UNRELATED", "x"}});
  auto index_of = [&](const SandboxOp& op) {
    return std::find(plan.ops.begin(), plan.ops.end(), op) - plan.ops.begin();
  };
  const auto root = index_of({Kind::RoBind, "/", "/"});
  const auto home = index_of({Kind::Bind, "/tmp/run/hosts/i-1/home/ec2-user", "/home/ec2-user"});
  const auto tmp = index_of({Kind::Bind, "/tmp/run/hosts/i-1/tmp", "/tmp"});
  const auto run_root = index_of({Kind::Bind, "/tmp/run", "/tmp/run"});
  const auto tmpfs_home = index_of({Kind::Tmpfs, "/home", ""});
  const auto size = static_cast<long>(plan.ops.size());
  ASSERT_LT(run_root, size);
  EXPECT_LT(root, tmpfs_home);
  EXPECT_LT(tmpfs_home, home);
  EXPECT_LT(home, tmp);
  EXPECT_LT(tmp, run_root);
  EXPECT_LT(index_of({Kind::SetEnv, "HOME", "/home/ec2-user"}), size);
  EXPECT_LT(index_of({Kind::SetEnv, "SPOTCHECK_HOST", "i-1"}), size);
  EXPECT_LT(index_of({Kind::SetEnv, "SPOTCHECK_PARENT", "42"}), size);
  EXPECT_LT(index_of({Kind::SetEnv, "SPOTCHECK_STRICT", "1"}), size) << "harness plumbing reaches the host";
  EXPECT_EQ(index_of({Kind::SetEnv, "UNRELATED", "x"}), size) << "only the named plumbing is passed";
  EXPECT_LT(index_of({Kind::Hostname, "ip-10-0-0-7", ""}), size);
  EXPECT_EQ(index_of({Kind::Proc, "/proc", ""}), size) << "--proc fails in a nested sandbox";
  EXPECT_TRUE(plan.die_with_parent);
  EXPECT_THAT(plan.unshare, ElementsAre(Namespace::User, Namespace::Ipc, Namespace::Uts))
      << "pid and network stay the run's: its pid namespace ends every host";
  EXPECT_EQ(plan.working_directory(), "/home/ec2-user");
}

TEST(HostSandboxPlan, BwrapArgvUnsharesOnlyTheHostsNamespacesAndClearsTheEnvironmentFirst) {
  RunPaths paths{"/tmp/run"};
  world::Instance instance;
  instance.id = "i-1";
  const auto argv = plan_host_sandbox(paths, instance, 7, {"/bin/bash", "-s"}, {}).bwrap_argv("bwrap");
  EXPECT_THAT(
      std::vector<std::string>(argv.begin(), argv.begin() + 6),
      ElementsAre("bwrap", "--unshare-user", "--unshare-ipc", "--unshare-uts", "--die-with-parent", "--clearenv"));
  EXPECT_THAT(std::vector<std::string>(argv.end() - 3, argv.end()), ElementsAre("--", "/bin/bash", "-s"));
  EXPECT_EQ(std::count(argv.begin(), argv.end(), "--unshare-all"), 0);
  EXPECT_EQ(std::count(argv.begin(), argv.end(), "--proc"), 0);
}

}  // namespace
}  // namespace spotcheck::fakes

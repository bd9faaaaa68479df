// Unit tests for the sandbox plan: hermeticity rules as mount/env ops, their bubblewrap argv, real-tool discovery.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "spotcheck/sandbox.hpp"
#include "test_support.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using Kind = SandboxOp::Kind;
using spotcheck::testing::TempDir;
using spotcheck::testing::write_file;

SandboxSpec made_up_spec() {
  SandboxSpec spec;
  spec.run_dir = "/var/lib/spotcheck/runs/r1";
  spec.fake_binary = "/opt/spotcheck/bin/spotcheck-fake";

  spec.launcher = "/opt/launchers/spot_backtest.sh";
  spec.args = {"--preflight-only", "--branch", "main"};
  spec.real_tools = {"/usr/bin/aws", "/usr/bin/python3", "/usr/local/bin/ssh"};
  spec.env = {{"PATH", "/run/spotcheck/shims:/usr/bin:/bin"}, {"HOME", "/home/runner"}, {"AWS_REGION", "us-east-1"}};
  return spec;
}

// Index of the first op of `kind` with a == `a` (and b == `b` when given); ops.size() when absent.
std::size_t find_op(const SandboxPlan& plan, Kind kind, const std::string& a, const std::string* b = nullptr) {
  for (std::size_t i = 0; i < plan.ops.size(); ++i) {
    const auto& op = plan.ops[i];
    if (op.kind == kind && op.a == a && (!b || op.b == *b)) return i;
  }
  return plan.ops.size();
}

std::size_t find_bind(const SandboxPlan& plan, Kind kind, const std::string& from, const std::string& to) {
  return find_op(plan, kind, from, &to);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// ---------------------------------------------------------------- plan_sandbox

TEST(PlanSandbox, TheHostIsMountedReadOnlyFirst) {
  const auto plan = plan_sandbox(made_up_spec());
  ASSERT_FALSE(plan.ops.empty());
  EXPECT_EQ(plan.ops[0].kind, Kind::RoBind);
  EXPECT_EQ(plan.ops[0].a, "/");
  EXPECT_EQ(plan.ops[0].b, "/");
}

TEST(PlanSandbox, HostTempHomeAndRunDirsAreHiddenBehindTmpfs) {
  const auto plan = plan_sandbox(made_up_spec());
  for (const char* dir : {"/tmp", "/root", "/home", "/run"}) {
    const auto i = find_op(plan, Kind::Tmpfs, dir);
    ASSERT_LT(i, plan.ops.size()) << dir << " is not hidden";
    EXPECT_GT(i, 0u) << dir << " must be hidden after the host root is mounted";
  }
}

TEST(PlanSandbox, ProcAndDevAreFresh) {
  const auto plan = plan_sandbox(made_up_spec());
  EXPECT_LT(find_op(plan, Kind::Proc, "/proc"), plan.ops.size());
  EXPECT_LT(find_op(plan, Kind::Dev, "/dev"), plan.ops.size());
}

TEST(PlanSandbox, TheRunDirIsBoundWritableAtSlashSpotcheck) {
  const auto plan = plan_sandbox(made_up_spec());
  EXPECT_LT(find_bind(plan, Kind::Bind, "/var/lib/spotcheck/runs/r1", "/run/spotcheck"), plan.ops.size());
  EXPECT_EQ(find_bind(plan, Kind::RoBind, "/var/lib/spotcheck/runs/r1", "/run/spotcheck"), plan.ops.size());
}

TEST(PlanSandbox, TheFakeIsBoundReadOnlyInsideTheRunDir) {
  const auto plan = plan_sandbox(made_up_spec());
  const auto run = find_bind(plan, Kind::Bind, "/var/lib/spotcheck/runs/r1", "/run/spotcheck");
  const auto fake =
      find_bind(plan, Kind::RoBind, "/opt/spotcheck/bin/spotcheck-fake", "/run/spotcheck/bin/spotcheck-fake");
  ASSERT_LT(fake, plan.ops.size());
  EXPECT_GT(fake, run) << "the fake must be mounted over the run dir, not under it";
}

TEST(PlanSandbox, TheDispatcherHomeComesFromTheRunDirAfterHomeIsHidden) {
  const auto plan = plan_sandbox(made_up_spec());
  const auto home = find_bind(plan, Kind::Bind, "/var/lib/spotcheck/runs/r1/home", kDispatcherHome);
  ASSERT_LT(home, plan.ops.size());
  EXPECT_GT(home, find_op(plan, Kind::Tmpfs, "/home"));
}

TEST(PlanSandbox, TheFakeIsBoundOverEveryRealToolPath) {
  const auto spec = made_up_spec();
  const auto plan = plan_sandbox(spec);
  const auto last_tmpfs = find_op(plan, Kind::Tmpfs, "/run");
  for (const auto& tool : spec.real_tools) {
    const auto i = find_bind(plan, Kind::RoBind, spec.fake_binary.string(), tool.string());
    ASSERT_LT(i, plan.ops.size()) << tool << " is reachable";
    EXPECT_GT(i, last_tmpfs);
  }
}

TEST(PlanSandbox, ALauncherUnderAHiddenDirIsReboundReadOnlyAfterTheTmpfs) {
  TempDir dir;  // under /tmp, which the sandbox hides
  auto spec = made_up_spec();
  spec.launcher = dir.path() / "launchers" / "spot.sh";
  write_file(spec.launcher, "#!/bin/bash\nexit 0\n");
  const auto plan = plan_sandbox(spec);
  const std::string launcher_dir = (dir.path() / "launchers").string();
  const auto rebind = find_bind(plan, Kind::RoBind, launcher_dir, launcher_dir);
  ASSERT_LT(rebind, plan.ops.size()) << plan.describe();
  EXPECT_GT(rebind, find_op(plan, Kind::Tmpfs, "/tmp"));
  EXPECT_EQ(find_bind(plan, Kind::Bind, launcher_dir, launcher_dir), plan.ops.size()) << "must not be writable";
}

TEST(PlanSandbox, ALauncherOutsideHiddenDirsIsNotRebound) {
  const auto plan = plan_sandbox(made_up_spec());
  EXPECT_EQ(find_bind(plan, Kind::RoBind, "/opt/launchers", "/opt/launchers"), plan.ops.size());
}

TEST(PlanSandbox, TheEnvironmentIsExactlyTheOneGiven) {
  const auto spec = made_up_spec();
  const auto plan = plan_sandbox(spec);
  std::map<std::string, std::string> set;
  std::size_t count = 0;
  for (const auto& op : plan.ops) {
    if (op.kind != Kind::SetEnv) continue;
    set[op.a] = op.b;
    ++count;
  }
  EXPECT_EQ(set, spec.env);
  EXPECT_EQ(count, spec.env.size());
}

TEST(PlanSandbox, TheLauncherStartsInTheDispatcherWorkdirOnHostDispatcher) {
  const auto plan = plan_sandbox(made_up_spec());
  EXPECT_LT(find_op(plan, Kind::Chdir, kDispatcherWorkdir), plan.ops.size());
  EXPECT_LT(find_op(plan, Kind::Hostname, "dispatcher"), plan.ops.size());
}

TEST(PlanSandbox, TheLauncherIsRunByItsSupervisorByItsAbsolutePathWithItsArgs) {
  const auto plan = plan_sandbox(made_up_spec());
  EXPECT_THAT(plan.command, ElementsAre("/run/spotcheck/bin/spotcheck-fake", "--supervise",
                                        "/opt/launchers/spot_backtest.sh", "--preflight-only", "--branch", "main"));
}

TEST(PlanSandbox, ASupervisorToldToWaitIsGivenTheDescriptorBeforeTheLauncher) {
  auto spec = made_up_spec();
  spec.ready_fd = 7;
  EXPECT_THAT(plan_sandbox(spec).command,
              ElementsAre("/run/spotcheck/bin/spotcheck-fake", "--supervise", "--ready-fd", "7",
                          "/opt/launchers/spot_backtest.sh", "--preflight-only", "--branch", "main"));
}

TEST(PlanSandbox, ARelativeLauncherIsMadeAbsolute) {
  auto spec = made_up_spec();
  spec.launcher = "launchers/spot_backtest.sh";
  const auto plan = plan_sandbox(spec);
  EXPECT_THAT(plan.command, Contains(fs::absolute("launchers/spot_backtest.sh").string()));
  EXPECT_THAT(plan.command, Not(Contains("launchers/spot_backtest.sh")));
}

// ---------------------------------------------------------------- bwrap_argv

TEST(BwrapArgv, StartsByUnsharingEverythingAndDyingWithTheParent) {
  const auto argv = plan_sandbox(made_up_spec()).bwrap_argv();
  ASSERT_GE(argv.size(), 3u);
  EXPECT_EQ(argv[0], "/usr/bin/bwrap");
  EXPECT_EQ(argv[1], "--unshare-all");
  EXPECT_EQ(argv[2], "--die-with-parent");
  EXPECT_THAT(argv, Contains("--clearenv"));
}

TEST(BwrapArgv, UsesTheGivenBwrapPath) {
  EXPECT_EQ(plan_sandbox(made_up_spec()).bwrap_argv("/opt/bwrap").at(0), "/opt/bwrap");
}

TEST(BwrapArgv, EndsWithDoubleDashThenTheLauncherAndItsArgs) {
  const auto argv = plan_sandbox(made_up_spec()).bwrap_argv();
  const std::vector<std::string> tail(argv.end() - 7, argv.end());
  EXPECT_THAT(tail, ElementsAre("--", "/run/spotcheck/bin/spotcheck-fake", "--supervise",
                                "/opt/launchers/spot_backtest.sh", "--preflight-only", "--branch", "main"));
  EXPECT_EQ(std::count(argv.begin(), argv.end(), "--"), 1);
}

TEST(BwrapArgv, TranslatesEachOpIntoItsBwrapOption) {
  const auto argv = plan_sandbox(made_up_spec()).bwrap_argv();
  auto has_sequence = [&](const std::vector<std::string>& seq) {
    return std::search(argv.begin(), argv.end(), seq.begin(), seq.end()) != argv.end();
  };
  EXPECT_TRUE(has_sequence({"--ro-bind", "/", "/"}));
  EXPECT_TRUE(has_sequence({"--tmpfs", "/tmp"}));
  EXPECT_TRUE(has_sequence({"--bind", "/var/lib/spotcheck/runs/r1", "/run/spotcheck"}));
  EXPECT_TRUE(has_sequence({"--ro-bind", "/opt/spotcheck/bin/spotcheck-fake", "/usr/bin/aws"}));
  EXPECT_TRUE(has_sequence({"--setenv", "AWS_REGION", "us-east-1"}));
  EXPECT_TRUE(has_sequence({"--chdir", kDispatcherWorkdir}));
  EXPECT_TRUE(has_sequence({"--proc", "/proc"}));
  EXPECT_TRUE(has_sequence({"--dev", "/dev"}));
  EXPECT_TRUE(has_sequence({"--hostname", "dispatcher"}));
}

TEST(BwrapArgv, SetsNoEnvironmentBeyondTheSpec) {
  const auto spec = made_up_spec();
  const auto argv = plan_sandbox(spec).bwrap_argv();
  EXPECT_EQ(static_cast<std::size_t>(std::count(argv.begin(), argv.end(), "--setenv")), spec.env.size());
}

// ---------------------------------------------------------------- describe

TEST(Describe, PrintsTheNamespacesThenOneLinePerOpPlusTheCommand) {
  const auto plan = plan_sandbox(made_up_spec());
  const auto lines = lines_of(plan.describe());
  ASSERT_EQ(lines.size(), plan.ops.size() + 2);
  EXPECT_EQ(lines.front(), "unshare  user pid net ipc uts cgroup; die-with-parent; new-session; clearenv");
  for (std::size_t i = 0; i < plan.ops.size(); ++i) EXPECT_THAT(lines[i + 1], HasSubstr(plan.ops[i].a)) << i;
  EXPECT_THAT(lines.back(), HasSubstr("exec"));
  EXPECT_THAT(lines.back(), HasSubstr("/opt/launchers/spot_backtest.sh --preflight-only --branch main"));
}

TEST(Describe, ShowsBindDirectionAndEnvAssignments) {
  const std::string text = plan_sandbox(made_up_spec()).describe();
  EXPECT_THAT(text, HasSubstr("/var/lib/spotcheck/runs/r1 -> /run/spotcheck"));
  EXPECT_THAT(text, HasSubstr("AWS_REGION=us-east-1"));
  EXPECT_THAT(text, HasSubstr("tmpfs    /tmp"));
}

// ---------------------------------------------------------------- find_real_tools

TEST(FindRealTools, FindsPython3OnThisMachine) {
  ASSERT_TRUE(fs::exists("/usr/bin/python3"));
  const auto found = find_real_tools({"aws", "ssh", "scp", "python3"});
  // bwrap cannot mount onto a symlink, so the file python3 resolves to is what gets hidden.
  EXPECT_THAT(found, Contains(fs::canonical("/usr/bin/python3")));
}

TEST(FindRealTools, FindsAwsWhenItIsInstalled) {
  if (!fs::exists("/usr/bin/aws")) GTEST_SKIP() << "no /usr/bin/aws on this machine";
  EXPECT_THAT(find_real_tools({"aws", "ssh"}), Contains(fs::path("/usr/bin/aws")));
}

TEST(FindRealTools, FindsEveryPythonSpellingEvenWhenNotAsked) {
  const auto found = find_real_tools({"aws"});
  EXPECT_THAT(found, Contains(fs::canonical("/usr/bin/python3")));
}

TEST(FindRealTools, DoesNotListBashOrToolsOnlySharingAPrefix) {
  const auto found = find_real_tools({"aws", "ssh", "scp", "git", "sudo"});
  for (const auto& p : found) {
    EXPECT_NE(p.filename(), "bash") << p;
    EXPECT_NE(p.filename(), "ssh-add") << p;
    EXPECT_NE(p.filename(), "ssh-keygen") << p;
  }
}

TEST(FindRealTools, ListsEachPathOnceAndOnlyExistingFiles) {
  const auto found = find_real_tools({"aws", "ssh", "python3"});
  std::set<fs::path> unique(found.begin(), found.end());
  EXPECT_EQ(unique.size(), found.size());
  for (const auto& p : found) {
    EXPECT_TRUE(fs::exists(p)) << p;
    EXPECT_FALSE(fs::is_directory(p)) << p;
  }
}

TEST(FindRealTools, WithNoNamesOnlyInterpretersAndPipAreListed) {
  for (const auto& p : find_real_tools({})) {
    const std::string name = p.filename().string();
    EXPECT_TRUE(name.rfind("python", 0) == 0 || name.rfind("pip", 0) == 0) << p;
  }
}

}  // namespace
}  // namespace spotcheck::harness

// Unit tests for the sandbox plan type shared by the dispatcher's and the spot hosts' sandboxes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "spotcheck/sandbox_plan.hpp"

namespace spotcheck {
namespace {

using ::testing::ElementsAre;
using Kind = SandboxOp::Kind;

SandboxPlan partial_plan() {
  SandboxPlan plan;
  plan.unshare = {Namespace::Uts, Namespace::User};
  plan.ops = {{Kind::RoBind, "/", "/"},     {Kind::DevBind, "/dev", "/dev"},    {Kind::SetEnv, "HOME", "/h"},
              {Kind::Chdir, "/first", ""},  {Kind::SetEnv, "LANG", "C"},        {Kind::SetEnv, "HOME", "/home/u"},
              {Kind::Chdir, "/home/u", ""}, {Kind::Hostname, "ip-10-0-0-1", ""}};
  plan.command = {"/bin/bash", "-s"};
  return plan;
}

TEST(SandboxPlan, ByDefaultUnsharesEverythingAndDiesWithItsParent) {
  const auto argv = SandboxPlan{}.bwrap_argv("bwrap");
  EXPECT_THAT(argv, ElementsAre("bwrap", "--unshare-all", "--die-with-parent", "--clearenv", "--"));
}

TEST(SandboxPlan, UnsharesEachNamedNamespaceInBwrapsOrderWhenNotAll) {
  auto plan = partial_plan();
  plan.die_with_parent = false;
  const auto argv = plan.bwrap_argv("bwrap");
  EXPECT_THAT(std::vector<std::string>(argv.begin(), argv.begin() + 4),
              ElementsAre("bwrap", "--unshare-user", "--unshare-uts", "--clearenv"));
  EXPECT_EQ(std::count(argv.begin(), argv.end(), "--die-with-parent"), 0);
}

TEST(SandboxPlan, ClearsTheEnvironmentBeforeAnySetenv) {
  const auto argv = partial_plan().bwrap_argv();
  const auto clear = std::find(argv.begin(), argv.end(), "--clearenv");
  const auto first_setenv = std::find(argv.begin(), argv.end(), "--setenv");
  ASSERT_NE(clear, argv.end());
  EXPECT_LT(clear, first_setenv);
}

TEST(SandboxPlan, TranslatesEveryOpWithItsOperands) {
  const auto argv = partial_plan().bwrap_argv("bwrap");
  const std::vector<std::string> expected = {
      "--ro-bind", "/",       "/",       "--dev-bind", "/dev",        "/dev", "--setenv",  "HOME",
      "/h",        "--chdir", "/first",  "--setenv",   "LANG",        "C",    "--setenv",  "HOME",
      "/home/u",   "--chdir", "/home/u", "--hostname", "ip-10-0-0-1", "--",   "/bin/bash", "-s"};
  EXPECT_EQ(std::vector<std::string>(argv.end() - static_cast<long>(expected.size()), argv.end()), expected);
}

TEST(SandboxPlan, TheEnvironmentIsTheSetenvOpsWithTheLaterOfTwoWinning) {
  EXPECT_THAT(partial_plan().environment(), ElementsAre("HOME=/home/u", "LANG=C"));
  EXPECT_THAT(SandboxPlan{}.environment(), ElementsAre());
}

TEST(SandboxPlan, TheWorkingDirectoryIsTheLastChdirOrTheRoot) {
  EXPECT_EQ(partial_plan().working_directory(), "/home/u");
  EXPECT_EQ(SandboxPlan{}.working_directory(), "/");
}

TEST(SandboxPlan, DescribesNamespacesThenOneLinePerOpThenTheCommand) {
  auto plan = partial_plan();
  plan.new_session = true;
  EXPECT_EQ(plan.describe(),
            "unshare  user uts; die-with-parent; new-session; clearenv\n"
            "ro-bind  / -> /\n"
            "dev-bind /dev -> /dev\n"
            "setenv   HOME=/h\n"
            "chdir    /first\n"
            "setenv   LANG=C\n"
            "setenv   HOME=/home/u\n"
            "chdir    /home/u\n"
            "hostname ip-10-0-0-1\n"
            "exec     /bin/bash -s\n");
}

}  // namespace
}  // namespace spotcheck

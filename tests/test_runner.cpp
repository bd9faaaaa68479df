// The runner (harness/runner/runner.cpp, run_dir.cpp): the world as a JSON merge patch (RFC 7386),
// what it refuses to run, and the run directory it leaves (or not).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/magic.h>
#include <sys/statfs.h>

#include "run_dir.hpp"
#include "spotcheck/error.hpp"
#include "spotcheck/runner.hpp"
#include "test_support.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;
using spotcheck::testing::read_file;
using spotcheck::testing::source_dir;
using spotcheck::testing::TempDir;
using spotcheck::testing::write_file;
using ::testing::HasSubstr;

struct MergeCase {
  const char* original;
  const char* patch;
  const char* result;
};

// RFC 7386, Appendix A: every example, verbatim.
const MergeCase kRfc7386AppendixA[] = {
    {R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
    {R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
    {R"({"a":"b"})", R"({"a":null})", R"({})"},
    {R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
    {R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
    {R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
    {R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})", R"({"a":{"b":"d"}})"},
    {R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
    {R"(["a","b"])", R"(["c","d"])", R"(["c","d"])"},
    {R"({"a":"b"})", R"(["c"])", R"(["c"])"},
    {R"({"a":"foo"})", R"(null)", R"(null)"},
    {R"({"a":"foo"})", R"("bar")", R"("bar")"},
    {R"({"e":null})", R"({"a":1})", R"({"e":null,"a":1})"},
    {R"([1,2])", R"({"a":"b","c":null})", R"({"a":"b"})"},
    {R"({})", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"},
};

class MergeJsonRfc7386 : public ::testing::TestWithParam<MergeCase> {};

TEST_P(MergeJsonRfc7386, GivesTheAppendixResult) {
  nlohmann::json target = nlohmann::json::parse(GetParam().original);
  merge_json(target, nlohmann::json::parse(GetParam().patch));
  EXPECT_EQ(target, nlohmann::json::parse(GetParam().result))
      << "original " << GetParam().original << ", patch " << GetParam().patch;
}

INSTANTIATE_TEST_SUITE_P(AppendixA, MergeJsonRfc7386, ::testing::ValuesIn(kRfc7386AppendixA));

RunOptions dry_run_of(const fs::path& launcher) {
  RunOptions o = spotcheck::testing::bundled_run_options();
  o.launcher = launcher;
  o.dry_run = true;
  o.keep = true;
  o.stdout_fd = o.stderr_fd = -1;
  return o;
}

TEST(RunLauncher, AScenarioWorldAddingAnObjectKeepsNoNullMembersInIt) {
  RunOptions o = dry_run_of(source_dir() / "launchers" / "spot_backtest.sh");
  o.world_layers = {{nlohmann::json::parse(R"({"repos": {"extra": {"files": {"kept": "1", "dropped": null}}},
                                               "region": null})"),
                     "x.json", "/world"}};
  const RunResult r = run_launcher(o);
  const auto world = nlohmann::json::parse(read_file(r.run_dir / "world.json"));
  fs::remove_all(r.run_dir);
  EXPECT_EQ(world["repos"]["extra"], nlohmann::json::parse(R"({"files": {"kept": "1"}})"));
  EXPECT_FALSE(world.contains("region")) << "null deletes the default world's member";
}

TEST(RunLauncher, ADryRunShowsTheDispatchersPlanAndASpotHostsPlan) {
  const RunResult r = run_launcher(dry_run_of(source_dir() / "launchers" / "spot_backtest.sh"));
  fs::remove_all(r.run_dir);
  const auto host = r.plan.find("# a spot host's sandbox");
  ASSERT_NE(host, std::string::npos) << r.plan;
  const std::string dispatcher = r.plan.substr(0, host);
  const std::string spot = r.plan.substr(host);
  EXPECT_THAT(dispatcher, HasSubstr("unshare  user pid net ipc uts cgroup; die-with-parent; new-session"));
  EXPECT_THAT(dispatcher, HasSubstr("hostname dispatcher"));
  EXPECT_THAT(spot, HasSubstr("unshare  user ipc uts; die-with-parent; clearenv"));
  EXPECT_THAT(spot, HasSubstr("bind     /run/spotcheck/hosts/<instance-id>/home/ec2-user -> /home/ec2-user"));
  EXPECT_THAT(spot, HasSubstr("setenv   SPOTCHECK_PARENT=<seq of the ssh call>"));
  EXPECT_THAT(spot, HasSubstr("setenv   SPOTCHECK_HOST_KEEPERS=1")) << "the runner's plumbing reaches the host";
  EXPECT_THAT(spot, HasSubstr("exec     /bin/bash -c <remote command>"));
}

TEST(RunLauncher, ABadWorldFileIsBadInputNamingThatFileNotTheRunDirectorysCopy) {
  TempDir dir;
  const fs::path world = dir.path() / "my-world.json";
  write_file(world, R"({"capacity": {"c6i.4xlarge": "four"}})");
  RunOptions o = dry_run_of(source_dir() / "launchers" / "spot_backtest.sh");
  o.world_files = {world};
  try {
    run_launcher(o);
    FAIL() << "a bad world file was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    EXPECT_EQ(std::string(e.what()),
              world.string() + ": /capacity/c6i.4xlarge: expected an integer >= 0, got the string \"four\"");
  }
}

TEST(RunLauncher, ABadInlineWorldIsNamedByItsLayer) {
  RunOptions o = dry_run_of(source_dir() / "launchers" / "spot_backtest.sh");
  o.world_layers = {{nlohmann::json::parse(R"({"credentials": "yes"})"), "scenarios/x.json", "/world"}};
  try {
    run_launcher(o);
    FAIL() << "a bad world was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "scenarios/x.json: /world/credentials: expected true or false, got the string \"yes\"");
  }
}

TEST(RunLauncher, ALauncherThatIsNotExecutableIsBadInputNamingIt) {
  TempDir dir;
  const fs::path launcher = dir.path() / "spot.sh";
  write_file(launcher, "#!/bin/bash\nexit 0\n");
  fs::permissions(launcher, fs::perms::owner_read | fs::perms::owner_write);
  try {
    run_launcher(dry_run_of(launcher));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    EXPECT_EQ(e.where(), launcher.string());
    EXPECT_THAT(e.reason(), HasSubstr("not executable"));
  }
}

TEST(RunLauncher, AMissingLauncherNamesTheFile) {
  try {
    run_launcher(dry_run_of("/nonexistent/spot.sh"));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    EXPECT_EQ(e.what(), std::string("/nonexistent/spot.sh: can't run the launcher: no such file"));
  }
}

TEST(RunLauncher, AMissingBubblewrapIsUnsupportedNotACrash) {
  if (!fs::exists(source_dir() / "launchers" / "spot_backtest.sh")) GTEST_SKIP();
  RunOptions o = dry_run_of(source_dir() / "launchers" / "spot_backtest.sh");
  o.dry_run = false;
  o.keep = false;
  o.bwrap = "/nonexistent/bwrap";
  try {
    run_launcher(o);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Unsupported);
    EXPECT_THAT(e.what(), HasSubstr("bubblewrap is not installed"));
  }
}

TEST(Phase, NamesReadAsTheReportPrintsThem) {
  EXPECT_EQ(to_string(Phase::Preparation), "preparation");
  EXPECT_EQ(to_string(Phase::Sandbox), "sandbox");
  EXPECT_EQ(to_string(Phase::Evaluation), "evaluation");
  EXPECT_EQ(to_string(Phase::GoldenCheck), "golden check");
}

// Where run directories go: TMPDIR when set; else a tmpfs /dev/shm; else the system temp directory.
TEST(RunDirBase, TmpdirWhenSetWinsOverEverything) {
  EXPECT_EQ(run_dir_base("/srv/runs", "/dev/shm"), fs::path("/srv/runs"));
}

TEST(RunDirBase, AnEmptyTmpdirCountsAsUnset) {
  EXPECT_EQ(run_dir_base("", "/nonexistent-shm"), fs::temp_directory_path());
}

TEST(RunDirBase, ACandidateThatIsNotATmpfsIsPassedOver) {
  EXPECT_EQ(run_dir_base(nullptr, "/nonexistent-shm"), fs::temp_directory_path());
  EXPECT_EQ(run_dir_base(nullptr, "/proc"), fs::temp_directory_path());  // exists, but procfs
}

TEST(RunDirBase, AWritableTmpfsWithRoomIsChosen) {
  struct statfs info {};
  if (::statfs("/dev/shm", &info) != 0 || info.f_type != TMPFS_MAGIC || (info.f_bavail * info.f_bsize) < (256ULL << 20))
    GTEST_SKIP() << "/dev/shm is not a tmpfs with 256 MiB free on this machine";
  EXPECT_EQ(run_dir_base(nullptr, "/dev/shm"), fs::path("/dev/shm"));
}

}  // namespace
}  // namespace spotcheck::harness

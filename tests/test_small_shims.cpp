// Unit tests for the small shims (clock, python, pip, git, host admin, http) in-process, and the dispatcher via the
// binary.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "spotcheck/fakes/call.hpp"
#include "spotcheck/fakes/context.hpp"
#include "spotcheck/fakes/shim.hpp"
#include "spotcheck/fakes/state.hpp"
#include "spotcheck/record.hpp"
#include "spotcheck/world_config.hpp"
#include "test_support.hpp"
#include "world/internet.hpp"

namespace spotcheck::fakes {
namespace {

namespace fs = std::filesystem;
using spotcheck::testing::read_file;
using spotcheck::testing::TempDir;
using spotcheck::testing::write_file;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr const char* kSpot = "i-0123";

// Sets an environment variable for one scope (the root-only shims read SPOTCHECK_SUDO).
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_.c_str(), old_->c_str(), 1);
    else
      ::unsetenv(name_.c_str());
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

// A run root with state/ and a world.json, and a way to make calls against it.
class Shims : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("SPOTCHECK_SUDO");
    fs::create_directories(dir.path() / "state");
    write_world(R"({"region": "us-east-1", "repos": {
        "backtester": {"files": {"requirements.txt": "numpy==1.26.4\n", "backtest.py": "# entry\n",
                                 "lib/util.py": "x = 1\n"}, "branches": ["main", "dev"]}}})");
  }
  // world_spec() caches per path, so tests write the world before their first call.
  void write_world(const std::string& text) { write_file(dir.path() / "world.json", text); }
  Context ctx(const std::string& host = kSpot) const {
    Context c;
    c.paths.root = dir.path();
    c.host = host;
    return c;
  }
  Call call(std::vector<std::string> argv, const std::string& host = kSpot) const {
    return Call(ctx(host), std::move(argv));
  }
  RunPaths paths() const { return ctx().paths; }
  fs::path root() const { return dir.path(); }
  TempDir dir;
};

// ---------------------------------------------------------------- sleep and date

TEST_F(Shims, SleepAdvancesTheVirtualClock) {
  auto c = call({"sleep", "10"});
  EXPECT_EQ(run_sleep(c), 0);
  EXPECT_DOUBLE_EQ(virtual_now(paths()), 10);
  auto c2 = call({"sleep", "1m", "5"});
  EXPECT_EQ(run_sleep(c2), 0);
  EXPECT_DOUBLE_EQ(virtual_now(paths()), 75);
}

TEST_F(Shims, SleepAcceptsFractionsAndHourAndDaySuffixes) {
  auto c = call({"sleep", "0.5", "1h", "1d"});
  EXPECT_EQ(run_sleep(c), 0);
  EXPECT_DOUBLE_EQ(virtual_now(paths()), 0.5 + 3600 + 86400);
}

TEST_F(Shims, SleepRejectsAnInvalidIntervalAndLeavesTheClock) {
  auto c = call({"sleep", "abc"});
  EXPECT_EQ(run_sleep(c), 1);
  EXPECT_THAT(c.record().stderr_text, HasSubstr("sleep: invalid time interval 'abc'"));
  EXPECT_DOUBLE_EQ(virtual_now(paths()), 0);
}

TEST_F(Shims, SleepRejectsAnUnknownSuffixAndANegativeInterval) {
  auto c = call({"sleep", "5x"});
  EXPECT_EQ(run_sleep(c), 1);
  auto c2 = call({"sleep", "-3"});
  EXPECT_EQ(run_sleep(c2), 1);
  EXPECT_DOUBLE_EQ(virtual_now(paths()), 0);
}

TEST_F(Shims, SleepWithoutOperandIsAnError) {
  auto c = call({"sleep"});
  EXPECT_EQ(run_sleep(c), 1);
  EXPECT_THAT(c.record().stderr_text, HasSubstr("missing operand"));
}

TEST_F(Shims, ACallRecordsTheVirtualTimeItStartedAt) {
  auto s = call({"sleep", "42"});
  run_sleep(s);
  auto later = call({"date"});
  EXPECT_DOUBLE_EQ(s.started_at(), 0);
  EXPECT_DOUBLE_EQ(later.started_at(), 42);
  EXPECT_GT(later.seq(), s.seq());
}

TEST_F(Shims, DatePlusPercentSIsTheEpochAtTimeZero) {
  auto c = call({"date", "+%s"});
  EXPECT_EQ(run_date(c), 0);
  EXPECT_EQ(c.record().stdout_text, std::to_string(kEpoch) + "\n");
}

TEST_F(Shims, DateFollowsTheVirtualClock) {
  advance_clock(paths(), 90);
  auto c = call({"date", "-u", "+%s"});
  EXPECT_EQ(run_date(c), 0);
  EXPECT_EQ(c.record().stdout_text, std::to_string(kEpoch + 90) + "\n");
}

TEST_F(Shims, DateDashUPrintsTheDefaultFormatInUtc) {
  auto c = call({"date", "-u"});
  EXPECT_EQ(run_date(c), 0);
  EXPECT_EQ(c.record().stdout_text, "Fri Jan  1 00:00:00 UTC 2027\n");
}

TEST_F(Shims, DateIsoSecondsFollowsTheVirtualClock) {
  advance_clock(paths(), 3661);
  auto c = call({"date", "-Iseconds"});
  EXPECT_EQ(run_date(c), 0);
  EXPECT_EQ(c.record().stdout_text, "2027-01-01T01:01:01+00:00\n");
}

TEST_F(Shims, DateFormatsAStrftimePattern) {
  advance_clock(paths(), 86400 * 31);
  auto c = call({"date", "-u", "+%Y-%m-%d %H:%M"});
  EXPECT_EQ(run_date(c), 0);
  EXPECT_EQ(c.record().stdout_text, "2027-02-01 00:00\n");
}

TEST_F(Shims, DateWithAnUnknownOptionFailsAndIsUnscripted) {
  auto c = call({"date", "--date=yesterday"});
  EXPECT_EQ(run_date(c), 1);
  EXPECT_TRUE(c.unscripted());
}

// ---------------------------------------------------------------- python

TEST_F(Shims, PythonVersionNamesTheInterpreter) {
  auto c = call({"python3.12", "--version"});
  EXPECT_EQ(run_python(c), 0);
  EXPECT_EQ(c.record().stdout_text, "Python 3.12.4\n");
  auto c2 = call({"python3", "-V"});
  EXPECT_EQ(run_python(c2), 0);
  EXPECT_THAT(c2.record().stdout_text, ::testing::StartsWith("Python 3."));
}

TEST_F(Shims, PythonWithAMissingScriptExitsTwoWithPythonsMessage) {
  const std::string script = (root() / "missing.py").string();
  auto c = call({"python3", script, "--flag"});
  EXPECT_EQ(run_python(c), 2);
  EXPECT_EQ(c.record().stderr_text, "python3: can't open file '" + script + "': [Errno 2] No such file or directory\n");
}

TEST_F(Shims, PythonNamesAMissingRelativeScriptByItsAbsolutePath) {
  auto c = call({"python3", "no_such_dir_xyz/missing.py"});
  EXPECT_EQ(run_python(c), 2);
  EXPECT_THAT(c.record().stderr_text,
              HasSubstr("'" + (fs::current_path() / "no_such_dir_xyz/missing.py").string() + "'"));
}

TEST_F(Shims, PythonDashCSucceedsAndIsScripted) {
  auto c = call({"python3", "-c", "import numpy"});
  EXPECT_EQ(run_python(c), 0);
  EXPECT_FALSE(c.unscripted());
}

TEST_F(Shims, PythonDashMOfAnUnknownModuleIsUnscripted) {
  auto c = call({"python3", "-m", "venv", ".venv"});
  EXPECT_EQ(run_python(c), 0);
  EXPECT_TRUE(c.unscripted());
}

TEST_F(Shims, PythonRunningAScriptWithoutACatalogIsUnscripted) {
  write_file(root() / "work" / "job.py", "print(1)\n");
  auto c = call({"python3", (root() / "work" / "job.py").string()});
  EXPECT_EQ(run_python(c), 0);
  EXPECT_TRUE(c.unscripted());
}

class PythonCatalog : public Shims {
 protected:
  void SetUp() override {
    Shims::SetUp();
    write_file(root() / "catalog" / "toy.json", R"({
      "module": "toy",
      "entrypoints": [{"script": "job.py", "invocations": [
        {"args_contain": ["--mode", "smoke"], "effects": ["s3.read"], "stdout": "smoke OK\n"},
        {"args_contain": ["--mode", "broken"], "effects": [], "stdout": "broken\n", "exit": 3}]}]})");
    script = (root() / "home" / "toy" / "job.py").string();
    write_file(script, "# placeholder\n");
  }
  std::string script;
};

TEST_F(PythonCatalog, ACatalogEntrypointPrintsItsDeclaredStdout) {
  auto c = call({"python3", script, "--mode=smoke"});
  EXPECT_EQ(run_python(c), 0);
  EXPECT_EQ(c.record().stdout_text, "smoke OK\n");
  EXPECT_FALSE(c.unscripted());
}

TEST_F(PythonCatalog, ACatalogEntrypointExitsWithItsDeclaredStatus) {
  auto c = call({"python3.12", "-u", script, "--mode", "broken"});
  EXPECT_EQ(run_python(c), 3);
  EXPECT_EQ(c.record().stdout_text, "broken\n");
}

TEST_F(PythonCatalog, AnUndeclaredInvocationIsUnscripted) {
  auto c = call({"python3", script, "--mode=full"});
  EXPECT_EQ(run_python(c), 0);
  EXPECT_TRUE(c.unscripted());
}

TEST_F(Shims, TheBacktesterCatalogAnswersThePreflightSmoke) {
  const auto catalog = spotcheck::testing::source_dir() / "scenarios" / "workloads" / "backtester.json";
  if (!fs::exists(catalog)) GTEST_SKIP() << "no " << catalog;
  write_file(root() / "catalog" / "backtester.json", read_file(catalog));
  const std::string script = (root() / "home" / "ec2-user" / "backtester" / "backtest.py").string();
  write_file(script, "# placeholder\n");
  auto c = call({"python3.12", script, "--mode=smoke"});
  EXPECT_EQ(run_python(c), 0);
  EXPECT_THAT(c.record().stdout_text, HasSubstr("BacktesterPreflight"));
  EXPECT_FALSE(c.unscripted());
}

// ---------------------------------------------------------------- pip

TEST_F(Shims, PythonDashMPipInstallsARequirementsFile) {
  const std::string req = (root() / "repo" / "requirements.txt").string();
  write_file(req, "# pins\nnumpy==1.26.4  # array\n\n--extra-index-url https://x\npandas==2.2.2\n");
  auto c = call({"python3", "-m", "pip", "install", "-r", req});
  EXPECT_EQ(run_python(c), 0);
  EXPECT_EQ(c.record().stdout_text, "Successfully installed numpy==1.26.4 pandas==2.2.2\n");
  const auto state = read_state(paths(), std::string("pip-") + kSpot);
  EXPECT_EQ(state.at("installed"), nlohmann::json({"numpy==1.26.4", "pandas==2.2.2"}));
}

TEST_F(Shims, PipInstallWithAMissingRequirementsFileFailsLikePip) {
  const std::string req = (root() / "nope" / "requirements.txt").string();
  auto c = call({"python3", "-m", "pip", "install", "-r", req});
  EXPECT_EQ(run_python(c), 1);
  EXPECT_EQ(c.record().stderr_text,
            "ERROR: Could not open requirements file: [Errno 2] No such file or directory: '" + req + "'\n");
}

TEST_F(Shims, PipInstallQuietPrintsNothingButRemembers) {
  auto c = call({"pip3", "install", "-q", "boto3==1.34.100"});
  EXPECT_EQ(run_pip(c), 0);
  EXPECT_THAT(c.record().stdout_text, IsEmpty());
  auto freeze = call({"pip", "freeze"});
  EXPECT_EQ(run_pip(freeze), 0);
  EXPECT_EQ(freeze.record().stdout_text, "boto3==1.34.100\n");
}

TEST_F(Shims, InstalledPackagesArePerHost) {
  auto c = call({"pip", "install", "rich"}, "i-0aaa");
  run_pip(c);
  auto freeze = call({"pip", "freeze"}, "i-0bbb");
  run_pip(freeze);
  EXPECT_THAT(freeze.record().stdout_text, IsEmpty());
}

TEST_F(Shims, PipInstallEditableNeedsSetupPyOrPyprojectToml) {
  const auto with_setup = root() / "predictor";
  write_file(with_setup / "setup.py", "from setuptools import setup\n");
  auto ok = call({"pip", "install", "-e", with_setup.string()});
  EXPECT_EQ(run_pip(ok), 0);
  EXPECT_THAT(ok.record().stdout_text, HasSubstr("predictor (editable)"));

  const auto with_pyproject = root() / "lib2";
  write_file(with_pyproject / "pyproject.toml", "[project]\nname='lib2'\n");
  auto ok2 = call({"pip", "install", "--editable", with_pyproject.string()});
  EXPECT_EQ(run_pip(ok2), 0);

  const auto bare = root() / "bare";
  fs::create_directories(bare);
  auto bad = call({"pip", "install", "-e", bare.string()});
  EXPECT_EQ(run_pip(bad), 1);
  EXPECT_THAT(bad.record().stderr_text, HasSubstr("does not appear to be a Python project"));
}

// Real pip 23: "ERROR: file:///tmp/x does not appear to be a Python project: ..." (three slashes, absolute path).
TEST_F(Shims, PipEditableErrorNamesTheProjectAsAFileUrlLikeRealPip) {
  const auto bare = root() / "bare";
  fs::create_directories(bare);
  auto bad = call({"pip", "install", "-e", bare.string()});
  EXPECT_EQ(run_pip(bad), 1);
  EXPECT_THAT(bad.record().stderr_text, HasSubstr("ERROR: file://" + bare.string() + " does not appear"));
}

TEST_F(Shims, PipVersionAnswers) {
  auto c = call({"pip", "--version"});
  EXPECT_EQ(run_pip(c), 0);
  EXPECT_THAT(c.record().stdout_text, ::testing::StartsWith("pip "));
}

TEST_F(Shims, AnUnknownPipCommandIsUnscripted) {
  auto c = call({"pip", "download", "x"});
  EXPECT_EQ(run_pip(c), 0);
  EXPECT_TRUE(c.unscripted());
}

// ---------------------------------------------------------------- git

TEST_F(Shims, GitCloneMaterialisesTheWorldsRepo) {
  const auto dest = root() / "home" / "backtester";
  auto c = call({"git", "clone", "--depth", "1", "https://github.com/acme/backtester.git", dest.string()});
  EXPECT_EQ(run_git(c), 0);
  EXPECT_EQ(read_file(dest / "requirements.txt"), "numpy==1.26.4\n");
  EXPECT_EQ(read_file(dest / "lib" / "util.py"), "x = 1\n");
  EXPECT_EQ(read_file(dest / ".git" / "HEAD"), "ref: refs/heads/main\n");
  EXPECT_THAT(c.record().stderr_text, HasSubstr("Cloning into '" + dest.string() + "'..."));
}

TEST_F(Shims, GitCloneOfABranchChecksItOut) {
  const auto dest = root() / "bt";
  auto c = call({"git", "clone", "--branch", "dev", "git@github.com:acme/backtester.git", dest.string()});
  EXPECT_EQ(run_git(c), 0);
  EXPECT_EQ(read_file(dest / ".git" / "HEAD"), "ref: refs/heads/dev\n");
}

TEST_F(Shims, GitCloneOfAnUnknownBranchFails) {
  auto c = call({"git", "clone", "-b", "nope", "https://github.com/acme/backtester", (root() / "bt").string()});
  EXPECT_EQ(run_git(c), 128);
  EXPECT_THAT(c.record().stderr_text, HasSubstr("Remote branch nope not found"));
}

TEST_F(Shims, GitCloneOfAnUnknownRepoIsRepositoryNotFound) {
  const auto dest = root() / "other";
  auto c = call({"git", "clone", "https://github.com/acme/other.git", dest.string()});
  EXPECT_EQ(run_git(c), 128);
  EXPECT_THAT(c.record().stderr_text, HasSubstr("Repository not found"));
  EXPECT_FALSE(fs::exists(dest));
}

TEST_F(Shims, GitCloneIntoAnExistingDestinationFails) {
  const auto dest = root() / "backtester";
  write_file(dest / "stale.txt", "old\n");
  auto c = call({"git", "clone", "https://github.com/acme/backtester.git", dest.string()});
  EXPECT_EQ(run_git(c), 128);
  EXPECT_THAT(c.record().stderr_text, HasSubstr("already exists and is not an empty directory"));
  EXPECT_FALSE(fs::exists(dest / "requirements.txt"));
}

TEST_F(Shims, GitCloneWithoutARepositoryIsUsageError) {
  auto c = call({"git", "clone"});
  EXPECT_EQ(run_git(c), 129);
}

TEST_F(Shims, GitReadOnlyCommandsSucceedAndUnknownOnesAreUnscripted) {
  auto status = call({"git", "-C", root().string(), "status"});
  EXPECT_EQ(run_git(status), 0);
  EXPECT_FALSE(status.unscripted());
  auto version = call({"git", "--version"});
  EXPECT_EQ(run_git(version), 0);
  EXPECT_THAT(version.record().stdout_text, HasSubstr("git version"));
  auto odd = call({"git", "frobnicate"});
  EXPECT_EQ(run_git(odd), 0);
  EXPECT_TRUE(odd.unscripted());
}

TEST_F(Shims, GitRevParsePrintsAFortyCharacterHash) {
  auto c = call({"git", "rev-parse", "HEAD"});
  EXPECT_EQ(run_git(c), 0);
  EXPECT_THAT(c.record().stdout_text, ::testing::MatchesRegex("[0-9a-f]{40}\n"));
}

TEST(GitWithoutWorldRepos, CloneGivesADefaultRepo) {
  TempDir dir;
  fs::create_directories(dir.path() / "state");
  Context ctx;
  ctx.paths.root = dir.path();
  ctx.host = kSpot;
  const auto dest = dir.path() / "anything";
  Call c(ctx, {"git", "clone", "https://github.com/acme/anything.git", dest.string()});
  EXPECT_EQ(run_git(c), 0);
  EXPECT_EQ(read_file(dest / "README.md"), "# anything\n");
}

// ---------------------------------------------------------------- dnf, systemd-run, shutdown

TEST_F(Shims, DnfWithoutSudoNeedsSuperuserPrivileges) {
  auto c = call({"dnf", "install", "-y", "git"});
  EXPECT_EQ(run_package_manager(c), 1);
  EXPECT_THAT(c.record().stderr_text, HasSubstr("superuser privileges"));
}

TEST_F(Shims, DnfUnderSudoWithYesCompletes) {
  ScopedEnv sudo("SPOTCHECK_SUDO", "1");
  auto c = call({"dnf", "install", "-y", "git", "python3.12"});
  EXPECT_EQ(run_package_manager(c), 0);
  EXPECT_THAT(c.record().stdout_text, HasSubstr("Complete!"));
  auto c2 = call({"yum", "-y", "install", "htop"});
  EXPECT_EQ(run_package_manager(c2), 0);
}

TEST_F(Shims, DnfUnderSudoWithoutYesAbortsAtThePrompt) {
  ScopedEnv sudo("SPOTCHECK_SUDO", "1");
  auto c = call({"dnf", "install", "git"});
  EXPECT_EQ(run_package_manager(c), 1);
  EXPECT_THAT(c.record().stderr_text, HasSubstr("Operation aborted"));
}

TEST_F(Shims, SystemdRunRequiresRoot) {
  auto c = call({"systemd-run", "--on-active=240m", "/sbin/shutdown", "-h", "now"});
  EXPECT_EQ(run_systemd_run(c), 1);
  EXPECT_THAT(c.record().stderr_text, HasSubstr("Access denied"));
  EXPECT_FALSE(read_state(paths(), "watchdogs").contains(kSpot));
}

TEST_F(Shims, SystemdRunAsRootRemembersTheWatchdog) {
  ScopedEnv sudo("SPOTCHECK_SUDO", "1");
  auto c = call({"systemd-run", "--on-active=240m", "/sbin/shutdown", "-h", "now"});
  EXPECT_EQ(run_systemd_run(c), 0);
  EXPECT_THAT(c.record().stderr_text, HasSubstr("Running timer as unit"));
  const auto watchdogs = read_state(paths(), "watchdogs");
  ASSERT_TRUE(watchdogs.contains(kSpot));
  EXPECT_EQ(watchdogs[kSpot].size(), 1u);
  EXPECT_EQ(watchdogs[kSpot][0]["argv"][1], "--on-active=240m");
}

TEST_F(Shims, ShutdownRefusesToRunOnTheDispatcher) {
  ScopedEnv sudo("SPOTCHECK_SUDO", "1");
  auto c = call({"shutdown", "-h", "now"}, "dispatcher");
  EXPECT_EQ(run_shutdown(c), 1);
  EXPECT_THAT(c.record().stderr_text, HasSubstr("refusing"));
}

// ---------------------------------------------------------------- curl and wget

void add_instance(const RunPaths& paths, const std::string& id) {
  update_state(paths, "ec2", [&](nlohmann::json& ec2) {
    ec2["next"] = 1;
    ec2["instances"].push_back({{"id", id},
                                {"type", "c6i.4xlarge"},
                                {"ami", "ami-0abcdef1234567890"},
                                {"state", "running"},
                                {"public_ip", "203.0.113.5"},
                                {"private_ip", "10.0.0.5"},
                                {"region", "us-east-1"},
                                {"launched_at", 0},
                                {"running_at", 0},
                                {"ssh_ready_at", 0}});
  });
}

TEST_F(Shims, ShutdownAsRootOnTheSpotShutsTheInstanceDown) {
  add_instance(paths(), kSpot);
  ScopedEnv sudo("SPOTCHECK_SUDO", "1");
  auto c = call({"shutdown", "-h", "now"});
  EXPECT_EQ(run_shutdown(c), 0);
  const auto ec2 = read_state(paths(), "ec2");
  EXPECT_EQ(ec2["instances"][0]["state"], "shutting-down");
}

TEST_F(Shims, CurlToAnInternetHostCannotResolveIt) {
  auto c = call({"curl", "-fsSL", "https://example.com/install.sh"});
  EXPECT_EQ(run_http_client(c), 6);
  EXPECT_EQ(c.record().stderr_text, "curl: (6) Could not resolve host: example.com\n");
}

TEST_F(Shims, WgetToAnInternetHostCannotResolveIt) {
  auto c = call({"wget", "-q", "http://example.com:8080/x"});
  EXPECT_EQ(run_http_client(c), 4);
  EXPECT_THAT(c.record().stderr_text, HasSubstr("unable to resolve host address 'example.com'"));
}

TEST_F(Shims, CurlToInstanceMetadataOnASpotAnswersTheInstanceId) {
  add_instance(paths(), kSpot);
  auto c = call({"curl", "-s", "http://169.254.169.254/latest/meta-data/instance-id"});
  EXPECT_EQ(run_http_client(c), 0);
  EXPECT_EQ(c.record().stdout_text, kSpot);
}

TEST_F(Shims, CurlToInstanceMetadataAnswersTypeAndRegion) {
  add_instance(paths(), kSpot);
  auto type = call({"curl", "-s", "http://169.254.169.254/latest/meta-data/instance-type"});
  EXPECT_EQ(run_http_client(type), 0);
  EXPECT_EQ(type.record().stdout_text, "c6i.4xlarge");
  auto region = call({"curl", "-s", "http://169.254.169.254/latest/meta-data/placement/region"});
  EXPECT_EQ(run_http_client(region), 0);
  EXPECT_EQ(region.record().stdout_text, "us-east-1");
}

TEST_F(Shims, AnUnknownMetadataPathIsA404) {
  auto c = call({"curl", "-sf", "http://169.254.169.254/latest/meta-data/nothing-here"});
  EXPECT_EQ(run_http_client(c), 22);
  EXPECT_THAT(c.record().stdout_text, HasSubstr("404"));
}

TEST_F(Shims, InstanceMetadataIsUnreachableFromTheDispatcher) {
  auto c = call({"curl", "-s", "http://169.254.169.254/latest/meta-data/instance-id"}, "dispatcher");
  EXPECT_EQ(run_http_client(c), 7);
  EXPECT_THAT(c.record().stderr_text, HasSubstr("Network is unreachable"));
}

// ---------------------------------------------------------------- the dispatcher, through the built binary

struct ShimRun {
  int exit = -1;
  std::string output;  // stdout and stderr together
};

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

class Dispatcher : public ::testing::Test {
 protected:
  void SetUp() override {
    shims = spotcheck::testing::bin_dir() / "shims";
    if (!fs::exists(spotcheck::testing::bin_dir() / "spotcheck-fake") || !fs::exists(shims / "sudo")) {
      GTEST_SKIP() << "no built fake under " << spotcheck::testing::bin_dir();
    }
    fs::create_directories(dir.path() / "state");
    write_file(dir.path() / "world.json", R"({"region": "us-east-1"})");
  }
  // Runs `tool args...` from the shims dir with the run root and extra environment; stdin is empty.
  ShimRun run(const std::vector<std::string>& argv, const std::string& env = "") const {
    std::string command = "env -u SPOTCHECK_SUDO -u SPOTCHECK_PARENT -u SPOTCHECK_HOST -u SPOTCHECK_STRICT";
    command += " SPOTCHECK_ROOT=" + shell_quote(dir.path().string()) + " PATH=" + shell_quote(shims.string()) +
               ":/usr/bin:/bin " + env;
    command += " " + shell_quote((shims / argv.at(0)).string());
    for (std::size_t i = 1; i < argv.size(); ++i) command += " " + shell_quote(argv[i]);
    command += " </dev/null 2>&1";
    ShimRun result;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return result;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) result.output.append(buf, n);
    const int status = ::pclose(pipe);
    result.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
  }
  std::vector<Record> recording() const { return read_recording(RunPaths{dir.path()}.recording()); }
  TempDir dir;
  fs::path shims;
};

TEST_F(Dispatcher, EachCallAppendsOneRecordWithIncreasingSeq) {
  EXPECT_EQ(run({"sleep", "5"}).exit, 0);
  const auto date = run({"date", "+%s"});
  EXPECT_EQ(date.exit, 0);
  EXPECT_EQ(date.output, std::to_string(kEpoch + 5) + "\n");
  EXPECT_EQ(run({"git", "--version"}).exit, 0);
  const auto records = recording();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].tool, "sleep");
  EXPECT_EQ(records[1].tool, "date");
  EXPECT_EQ(records[2].tool, "git");
  EXPECT_LT(records[0].seq, records[1].seq);
  EXPECT_LT(records[1].seq, records[2].seq);
  EXPECT_DOUBLE_EQ(records[1].t, 5);
  EXPECT_EQ(records[1].stdout_text, std::to_string(kEpoch + 5) + "\n");
  EXPECT_EQ(records[0].host, "dispatcher");
}

TEST_F(Dispatcher, SudoSystemdRunOnASpotNestsTheWatchdogUnderSudo) {
  const auto r = run({"sudo", "systemd-run", "--on-active=240m", "/sbin/shutdown", "-h", "now"},
                     std::string("SPOTCHECK_HOST=") + kSpot);
  EXPECT_EQ(r.exit, 0) << r.output;
  const auto records = recording();
  ASSERT_EQ(records.size(), 2u) << r.output;
  const Record& sudo = records[0].tool == "sudo" ? records[0] : records[1];
  const Record& unit = records[0].tool == "sudo" ? records[1] : records[0];
  EXPECT_EQ(sudo.tool, "sudo");
  EXPECT_EQ(unit.tool, "systemd-run");
  EXPECT_EQ(unit.host, kSpot);
  ASSERT_TRUE(unit.parent.has_value());
  EXPECT_EQ(*unit.parent, sudo.seq);
  EXPECT_THAT(unit.effects, Contains("watchdog.install"));
  EXPECT_THAT(sudo.effects, ::testing::Not(Contains("watchdog.install")));
}

TEST_F(Dispatcher, ARuleAnswersInsteadOfTheShimAndIsRecorded) {
  write_file(dir.path() / "rules.json",
             R"([{"id": "aws-boom", "match": {"tool": "aws"}, "exit": 254, "stderr": "boom\n"}])");
  const auto r = run({"aws", "sts", "get-caller-identity"});
  EXPECT_EQ(r.exit, 254);
  EXPECT_EQ(r.output, "boom\n");
  const auto records = recording();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].rule, "aws-boom");
  EXPECT_EQ(records[0].exit, 254);
  EXPECT_EQ(records[0].stderr_text, "boom\n");
}

TEST_F(Dispatcher, StrictModeFailsAnUnscriptedCallNamingIt) {
  const auto r = run({"git", "frobnicate", "--now"}, "SPOTCHECK_STRICT=1");
  EXPECT_EQ(r.exit, 127);
  EXPECT_THAT(r.output, HasSubstr("git frobnicate --now"));
  EXPECT_THAT(r.output, HasSubstr("strict"));
  const auto records = recording();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_TRUE(records[0].unscripted);
  EXPECT_EQ(records[0].exit, 127);
}

TEST_F(Dispatcher, WithoutStrictModeAnUnscriptedCallSucceedsButIsMarked) {
  EXPECT_EQ(run({"git", "frobnicate"}).exit, 0);
  const auto records = recording();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_TRUE(records[0].unscripted);
}

TEST_F(Dispatcher, TimeoutPassesItsBudgetToAHangingChild) {
  write_file(dir.path() / "rules.json", R"([{"id": "ssm-hangs", "match": {"tool": "aws"}, "hang": true}])");
  const auto r = run({"timeout", "30", "aws", "ssm", "get-parameter", "--name", "/x"});
  EXPECT_EQ(r.exit, 124) << r.output;
  const auto records = recording();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].tool, "aws");
  EXPECT_EQ(records[1].parent, records[0].seq);
  EXPECT_DOUBLE_EQ(virtual_now(RunPaths{dir.path()}), 30);
}

// ---------------------------------------------------------------- the outside world (world.json "internet")

TEST_F(Shims, ASpotReachesGithubAndThePackageIndexByDefaultTheDispatcherOnlyAws) {
  EXPECT_TRUE(world::reachable(paths(), true, "github.com"));
  EXPECT_TRUE(world::reachable(paths(), true, "GitHub.com"));
  EXPECT_TRUE(world::reachable(paths(), true, "files.pythonhosted.org"));
  EXPECT_TRUE(world::reachable(paths(), true, "ssm.us-east-1.amazonaws.com"));
  EXPECT_FALSE(world::reachable(paths(), true, "example.com"));
  EXPECT_FALSE(world::reachable(paths(), false, "github.com"));
  EXPECT_TRUE(world::reachable(paths(), false, "s3.us-east-1.amazonaws.com"));
}

TEST_F(Shims, SshKeyscanOfGithubOnASpotPrintsAStableHostKey) {
  auto c = call({"ssh-keyscan", "github.com"});
  EXPECT_EQ(run_ssh_keyscan(c), 0);
  EXPECT_THAT(c.record().stdout_text, ::testing::StartsWith("github.com ssh-"));
  EXPECT_THAT(c.record().stderr_text, HasSubstr("# github.com:22 SSH-2.0-"));
  auto again = call({"ssh-keyscan", "github.com"});
  EXPECT_EQ(run_ssh_keyscan(again), 0);
  EXPECT_EQ(again.record().stdout_text, c.record().stdout_text);
}

TEST_F(Shims, SshKeyscanOfGithubFromTheDispatcherFindsNothing) {
  auto c = call({"ssh-keyscan", "github.com"}, "dispatcher");
  EXPECT_EQ(run_ssh_keyscan(c), 1);
  EXPECT_EQ(c.record().stdout_text, "");
  EXPECT_THAT(c.record().stderr_text, HasSubstr("getaddrinfo github.com: Name or service not known"));
}

TEST_F(Shims, CurlToAReachableHostGivesTheWorldsCannedAnswer) {
  write_world(R"({"internet": {"http": {"https://github.com/acme/tool/releases/download/v1/tool.sh":
                 {"status": 200, "body": "echo tool\n"}, "https://github.com/gone": {"status": 404}}}})");
  auto c = call({"curl", "-fsSL", "https://github.com/acme/tool/releases/download/v1/tool.sh"});
  EXPECT_EQ(run_http_client(c), 0);
  EXPECT_EQ(c.record().stdout_text, "echo tool\n");
  EXPECT_FALSE(c.unscripted());
  auto missing = call({"curl", "-fsS", "https://github.com/gone"});
  EXPECT_EQ(run_http_client(missing), 22);
  EXPECT_EQ(missing.record().stderr_text, "curl: (22) The requested URL returned error: 404\n");
}

TEST_F(Shims, WgetToAReachableHostSavesTheBodyUnderTheUrlsName) {
  write_world(R"({"internet": {"http": {"https://pypi.org/simple/x/index.txt": {"body": "x\n"}}}})");
  const fs::path cwd = fs::current_path();
  fs::current_path(root());
  auto c = call({"wget", "-q", "https://pypi.org/simple/x/index.txt"});
  const int rc = run_http_client(c);
  fs::current_path(cwd);
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(read_file(root() / "index.txt"), "x\n");
}

TEST_F(Shims, ACallToAReachableHostTheWorldHasNoAnswerForIsUnscripted) {
  auto c = call({"curl", "-s", "https://raw.githubusercontent.com/acme/x/main/setup.sh"});
  EXPECT_EQ(run_http_client(c), 0);
  EXPECT_EQ(c.record().stdout_text, "");
  EXPECT_TRUE(c.unscripted());
}

TEST_F(Shims, WithNoNetworkOnTheSpotGitCloneCannotResolveTheHost) {
  write_world(R"({"internet": {"spot": []}})");
  auto https = call({"git", "clone", "https://github.com/acme/backtester.git", (root() / "a").string()});
  EXPECT_EQ(run_git(https), 128);
  EXPECT_THAT(https.record().stderr_text,
              HasSubstr("fatal: unable to access 'https://github.com/acme/backtester.git/': Could not resolve host: "
                        "github.com\n"));
  auto ssh = call({"git", "clone", "git@github.com:acme/backtester.git", (root() / "b").string()});
  EXPECT_EQ(run_git(ssh), 128);
  EXPECT_THAT(ssh.record().stderr_text, HasSubstr("ssh: Could not resolve hostname github.com"));
  EXPECT_FALSE(fs::exists(root() / "a"));
}

TEST_F(Shims, WithNoNetworkOnTheSpotPipCannotReachTheIndexButEditableProjectsInstall) {
  write_world(R"({"internet": {"spot": []}})");
  auto c = call({"pip3", "install", "pandas==2.2.2"});
  EXPECT_EQ(run_pip(c), 1);
  EXPECT_THAT(c.record().stderr_text, HasSubstr("Temporary failure in name resolution')': /simple/pandas/"));
  EXPECT_THAT(c.record().stderr_text,
              HasSubstr("ERROR: Could not find a version that satisfies the requirement pandas==2.2.2 (from "
                        "versions: none)\nERROR: No matching distribution found for pandas==2.2.2\n"));
  write_file(root() / "proj" / "setup.py", "");
  auto editable = call({"pip3", "install", "-e", (root() / "proj").string()});
  EXPECT_EQ(run_pip(editable), 0);
}

TEST_F(Shims, WithNoNetworkOnTheSpotAwsCannotConnectToTheEndpoint) {
  write_world(R"({"internet": {"spot": []}})");
  ScopedEnv key("AWS_ACCESS_KEY_ID", "AKIASPOTCHECKFAKEKEY");
  ScopedEnv secret("AWS_SECRET_ACCESS_KEY", "fake");
  auto c = call({"aws", "ssm", "get-parameter", "--region", "us-east-1", "--name", "/x"});
  EXPECT_EQ(run_aws(c), 255);
  EXPECT_THAT(c.record().stderr_text,
              HasSubstr("Could not connect to the endpoint URL: \"https://ssm.us-east-1.amazonaws.com/\""));
}

TEST_F(Shims, WithNoNetworkOnTheSpotDnfCannotDownloadTheRepositoryMetadata) {
  write_world(R"({"internet": {"spot": []}})");
  ScopedEnv root_user("SPOTCHECK_SUDO", "1");
  auto c = call({"dnf", "install", "-y", "git"});
  EXPECT_EQ(run_package_manager(c), 1);
  EXPECT_THAT(c.record().stderr_text, HasSubstr("Error: Failed to download metadata for repo 'amazonlinux'"));
}

TEST(WorldInternet, ABadInternetEntryNamesItsPointer) {
  const auto world = nlohmann::json::parse(R"({"internet": {"http": {"https://x/y": {"status": 42}}}})");
  try {
    parse_world_config(JsonCursor(world, "w.json"));
    FAIL() << "status 42 must be refused";
  } catch (const JsonError& e) {
    EXPECT_THAT(e.what(), HasSubstr("w.json: /internet/http/https:~1~1x~1y/status"));
  }
  const auto typo = nlohmann::json::parse(R"({"internet": {"spots": []}})");
  EXPECT_THROW(parse_world_config(JsonCursor(typo, "w.json")), JsonError);
}

}  // namespace
}  // namespace spotcheck::fakes

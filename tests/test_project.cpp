// Unit tests for the project file (spotcheck.json): discovery by walking up, paths relative to its
// directory, located errors, the conventional layout of a tree without one, and the impl default.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "spotcheck/check.hpp"
#include "spotcheck/error.hpp"
#include "spotcheck/project.hpp"
#include "spotcheck/scenario.hpp"
#include "test_support.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;
using spotcheck::testing::TempDir;
using spotcheck::testing::write_file;
using ::testing::HasSubstr;

// Another team's repository: infrastructure/spot_job.sh, tests/spotcheck/{world.json, workloads/, x.json}.
class ProjectTree : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(root() / "infrastructure" / "spot_job.sh", "#!/bin/bash\n");
    write_file(root() / "tests" / "spotcheck" / "world.json", R"({"s3": {"buckets": ["team-bucket"]}})");
    write_file(root() / "tests" / "spotcheck" / "workloads" / "job.json",
               R"({"module": "job", "entrypoints": [{"script": "job.py", "invocations": [{"effects": []}]}]})");
  }
  fs::path root() const { return fs::absolute(dir_.path()); }
  fs::path project(const std::string& json) {
    write_file(root() / kProjectFileName, json);
    return root() / kProjectFileName;
  }
  std::string error_of(const std::string& json) {
    const fs::path file = project(json);
    try {
      load_project(file);
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::BadInput);
      EXPECT_THAT(std::string(e.what()), ::testing::StartsWith(file.string() + ": "));
      return e.what();
    }
    ADD_FAILURE() << "load_project accepted: " << json;
    return "";
  }
  TempDir dir_;
};

constexpr const char* kTeamProject = R"({"v": 1, "launchers": ["infrastructure/spot_*.sh"],
  "scenarios": ["tests/spotcheck"], "worlds": ["tests/spotcheck/world.json"],
  "catalogs": ["tests/spotcheck/workloads"]})";

TEST_F(ProjectTree, IsFoundByWalkingUpFromAScenarioOrADirectory) {
  const fs::path file = project(kTeamProject);
  EXPECT_EQ(find_project_file(root() / "tests" / "spotcheck" / "x.json"), file);
  EXPECT_EQ(find_project_file(root() / "tests" / "spotcheck"), file);
  EXPECT_EQ(find_project_file(root()), file);
}

TEST_F(ProjectTree, EveryPathIsRelativeToTheProjectFilesDirectory) {
  const Project p = load_project(project(kTeamProject));
  EXPECT_EQ(p.root, root());
  EXPECT_EQ(p.scenarios, std::vector<fs::path>{root() / "tests" / "spotcheck"});
  EXPECT_EQ(p.worlds, std::vector<fs::path>{root() / "tests" / "spotcheck" / "world.json"});
  EXPECT_EQ(p.catalogs, std::vector<fs::path>{root() / "tests" / "spotcheck" / "workloads"});
  EXPECT_EQ(p.contract_launchers(), std::vector<fs::path>{root() / "infrastructure" / "spot_job.sh"});
}

TEST_F(ProjectTree, AScenariosLauncherIsRelativeToTheProjectNotToTheScenario) {
  project(kTeamProject);
  const fs::path file = root() / "tests" / "spotcheck" / "x.json";
  write_file(file, R"({"name": "n", "launcher": "infrastructure/spot_job.sh", "expect": {}})");
  const Scenario s = load_scenario(file);
  EXPECT_EQ(s.launcher, root() / "infrastructure" / "spot_job.sh");
  EXPECT_EQ(s.project.file, root() / kProjectFileName);
}

TEST_F(ProjectTree, WorldsAndCatalogsAreNotTakenForScenarios) {
  const Project p = load_project(project(kTeamProject));
  EXPECT_TRUE(p.is_data_file(root() / "tests" / "spotcheck" / "world.json"));
  EXPECT_TRUE(p.is_data_file(root() / "tests" / "spotcheck" / "workloads" / "job.json"));
  EXPECT_TRUE(p.is_data_file(root() / kProjectFileName));
  EXPECT_FALSE(p.is_data_file(root() / "tests" / "spotcheck" / "x.json"));
}

TEST_F(ProjectTree, AMissingPathNamesWhatItWasRelativeTo) {
  const std::string e = error_of(R"({"worlds": ["spotcheck/world.json"]})");
  EXPECT_THAT(e, HasSubstr(": /worlds/0: no such file: " + (root() / "spotcheck" / "world.json").string()));
  EXPECT_THAT(e, HasSubstr("relative to " + root().string() + ", where spotcheck.json is"));
}

TEST_F(ProjectTree, ACatalogMustBeADirectory) {
  EXPECT_THAT(error_of(R"({"catalogs": ["tests/spotcheck/world.json"]})"),
              HasSubstr(": /catalogs/0: expected a directory"));
}

TEST_F(ProjectTree, ALauncherGlobThatMatchesNothingIsNamed) {
  EXPECT_THAT(error_of(R"({"launchers": ["launchers/spot_*.sh"]})"),
              HasSubstr(": /launchers: \"launchers/spot_*.sh\" matches no file"));
}

TEST_F(ProjectTree, UnknownKeysAndBadValuesAreLocated) {
  EXPECT_THAT(error_of(R"({"world": ["tests/spotcheck/world.json"]})"), HasSubstr("worlds"));  // did you mean
  EXPECT_THAT(error_of(R"({"impl": "python"})"), HasSubstr(": /impl: "));
  EXPECT_THAT(error_of(R"({"v": 2})"), HasSubstr(": /v: expected project file version 1"));
}

TEST(ProjectWithoutAFile, FallsBackToTheConventionalLayout) {
  TempDir dir;
  const fs::path root = fs::absolute(dir.path());
  write_file(root / "launchers" / "spot_x.sh", "#!/bin/bash\n");
  write_file(root / "scenarios" / "worlds" / "default.json", "{}");
  fs::create_directories(root / "scenarios" / "workloads");
  fs::create_directories(root / "scenarios" / "x");
  const Project p = project_for(root / "scenarios" / "x" / "case.json");
  EXPECT_TRUE(p.file.empty());
  EXPECT_EQ(p.root, root);
  EXPECT_EQ(p.worlds, std::vector<fs::path>{root / "scenarios" / "worlds" / "default.json"});
  EXPECT_EQ(p.catalogs, std::vector<fs::path>{root / "scenarios" / "workloads"});
  EXPECT_EQ(p.contract_launchers(), std::vector<fs::path>{root / "launchers" / "spot_x.sh"});
}

TEST_F(ProjectTree, ImplIsBashUnlessTheProjectOrTheScenarioAsksForNative) {
  Scenario s;
  EXPECT_EQ(impls_for(s), std::vector<Impl>{Impl::Bash});
  s.module = "job";  // a module alone may only group scenarios: another team has no native launcher
  EXPECT_EQ(impls_for(s), std::vector<Impl>{Impl::Bash});
  s.native = NativeDifference{"differs", std::nullopt, true, false};
  EXPECT_EQ(impls_for(s), (std::vector<Impl>{Impl::Bash, Impl::Native}));
  s.native.reset();
  s.project.impl = "both";
  EXPECT_EQ(impls_for(s), (std::vector<Impl>{Impl::Bash, Impl::Native}));
  s.project.impl = "bash";
  EXPECT_EQ(impls_for(s), std::vector<Impl>{Impl::Bash});
  s.project.impl = "native";
  EXPECT_EQ(impls_for(s), std::vector<Impl>{Impl::Native});
}

TEST(BundledProject, ThisTreesProjectFileNamesItsLaunchersScenariosWorldAndCatalog) {
  const auto source = spotcheck::testing::source_dir();
  const Project p = project_for(source / "scenarios" / "backtester");
  EXPECT_EQ(p.file, fs::absolute(source / kProjectFileName).lexically_normal());
  EXPECT_EQ(p.contract_launchers().size(), 3u);
  EXPECT_EQ(p.worlds.size(), 1u);
  EXPECT_EQ(p.catalogs.size(), 1u);
}

}  // namespace
}  // namespace spotcheck::harness

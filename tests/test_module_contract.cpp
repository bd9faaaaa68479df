// The module contract over every bundled launcher, a launcher without a catalog entry, and a fourth
// module dropped into a copy of the tree.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "spotcheck/check.hpp"
#include "spotcheck/contract.hpp"
#include "spotcheck/error.hpp"
#include "test_support.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;
using spotcheck::testing::sandbox_available;
using spotcheck::testing::source_dir;
using spotcheck::testing::TempDir;
using ::testing::HasSubstr;

void expect_contract_holds(const fs::path& root, const fs::path& launcher) {
  const auto scenarios = module_contract(project_for(root), launcher);
  ASSERT_GE(scenarios.size(), 6u);
  for (const auto& s : scenarios) {
    const auto r = run_scenario(s, CheckOptions{});
    EXPECT_FALSE(is_failure(r.status)) << render_failure_block(r);
  }
}

class ContractTest : public ::testing::Test {
 public:
  explicit ContractTest(fs::path launcher) : launcher_(std::move(launcher)) {}
  void TestBody() override {
    if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
    expect_contract_holds(source_dir(), launcher_);
  }

 private:
  fs::path launcher_;
};

// A copy of the tree's launchers and scenario data, to add a module to without touching the real one.
fs::path copy_tree(const TempDir& dir) {
  for (const char* sub : {"launchers", "scenarios/workloads", "scenarios/worlds"}) {
    fs::create_directories(dir.path() / sub);
    fs::copy(source_dir() / sub, dir.path() / sub, fs::copy_options::recursive);
  }
  return dir.path();
}

TEST(ModuleContract, EveryBundledLauncherHasACatalogEntry) {
  const auto launchers = project_for(source_dir()).contract_launchers();
  ASSERT_GE(launchers.size(), 3u);
  for (const auto& l : launchers) EXPECT_NO_THROW(module_contract(project_for(source_dir()), l)) << l;
}

TEST(ModuleContract, ACatalogVariantChecksEveryClaimAgainUnderItsEnvironment) {
  const auto scenarios = module_contract(project_for(source_dir()), source_dir() / "launchers" / "spot_backtest.sh");
  ASSERT_EQ(scenarios.size() % 2, 0u);
  const std::size_t plain = scenarios.size() / 2;
  for (std::size_t i = 0; i < plain; ++i) {
    const auto& variant = scenarios[plain + i];
    EXPECT_EQ(variant.name, scenarios[i].name + " [ssm]");
    EXPECT_EQ(variant.env.at("SPOT_TRANSPORT"), "ssm");
    EXPECT_EQ(scenarios[i].env.count("SPOT_TRANSPORT"), 0u);
  }
}

TEST(ModuleContract, ALauncherWithoutACatalogEntrySaysWhatToAdd) {
  TempDir dir;
  const auto root = copy_tree(dir);
  spotcheck::testing::write_file(root / "launchers" / "spot_orphan.sh", "#!/usr/bin/env bash\nexit 0\n");
  try {
    module_contract(project_for(root), root / "launchers" / "spot_orphan.sh");
    FAIL() << "a launcher without a catalog entry must not pass the contract";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("spot_orphan.sh"));
    EXPECT_THAT(e.what(), HasSubstr("add a catalog <module>.json"));
    EXPECT_THAT(e.what(), HasSubstr("\"launcher\": \"spot_orphan.sh\""));
  }
}

TEST(ModuleContract, AFourthModuleDroppedIntoTheTreeGetsTheContract) {
  if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  TempDir dir;
  const auto root = copy_tree(dir);
  const auto fixtures = source_dir() / "tests" / "fixtures" / "minimal_module";
  fs::copy_file(fixtures / "spot_minimal.sh", root / "launchers" / "spot_minimal.sh");
  fs::copy_file(fixtures / "minimal.json", root / "scenarios" / "workloads" / "minimal.json");
  const auto launchers = project_for(root).contract_launchers();
  ASSERT_NE(std::find(launchers.begin(), launchers.end(), root / "launchers" / "spot_minimal.sh"), launchers.end());
  expect_contract_holds(root, root / "launchers" / "spot_minimal.sh");
}

TEST(ModuleContract, TheContractFailsALauncherThatWritesDuringPreflight) {
  if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
  TempDir dir;
  const auto root = copy_tree(dir);
  const auto fixtures = source_dir() / "tests" / "fixtures" / "minimal_module";
  std::string text = spotcheck::testing::read_file(fixtures / "spot_minimal.sh");
  text = std::regex_replace(text, std::regex("python3.12 probe.py --check"),
                            "python3.12 probe.py --check\naws s3 cp probe.py s3://quant-research-data/minimal/oops.py");
  spotcheck::testing::write_file(root / "launchers" / "spot_minimal.sh", text);
  fs::permissions(root / "launchers" / "spot_minimal.sh", fs::perms::owner_all);
  fs::copy_file(fixtures / "minimal.json", root / "scenarios" / "workloads" / "minimal.json");
  const auto scenarios = module_contract(project_for(root), root / "launchers" / "spot_minimal.sh");
  const auto r = run_scenario(scenarios.front(), CheckOptions{});
  EXPECT_EQ(r.status, Status::Fail);
  // Both detectors fire: the write counted per call, and the object it left in the World.
  bool counted = false;
  bool left_behind = false;
  for (const auto& f : r.failures) {
    counted = counted || f.check == "effects.s3.write";
    if (f.check != "world_unchanged") continue;
    for (const auto& note : f.notes) left_behind = left_behind || note.find("s3.created") != std::string::npos;
  }
  EXPECT_TRUE(counted) << render_failure_block(r);
  EXPECT_TRUE(left_behind) << render_failure_block(r);
  if (!r.kept_dir.empty()) fs::remove_all(r.kept_dir);
}

void register_contract() {
  for (const auto& launcher : project_for(source_dir()).contract_launchers()) {
    const std::string name = std::regex_replace(launcher.stem().string(), std::regex("[^A-Za-z0-9]+"), "_");
    ::testing::RegisterTest("Contract", name.c_str(), nullptr, launcher.string().c_str(), __FILE__, __LINE__,
                            [launcher]() -> ::testing::Test* { return new ContractTest(launcher); });
  }
}

}  // namespace
}  // namespace spotcheck::harness

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  spotcheck::harness::register_contract();
  return RUN_ALL_TESTS();
}

// One GoogleTest per scenario file under scenarios/, registered at start-up, so ctest, --gtest_filter,
// sharding (GTEST_SHARD_INDEX/GTEST_TOTAL_SHARDS) and --gtest_output=xml apply to scenarios unchanged.
#include <gtest/gtest.h>

#include <regex>

#include "spotcheck/check.hpp"
#include "test_support.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;
using spotcheck::testing::sandbox_available;

// GoogleTest names allow [A-Za-z0-9_]: "backtester/preflight-only makes no writes" ->
// backtester_preflight_only_makes_no_writes
std::string test_name_for(const fs::path& file) {
  const auto rel = fs::relative(file, spotcheck::testing::source_dir() / "scenarios");
  std::string name = (rel.parent_path() / rel.stem()).string();
  return std::regex_replace(name, std::regex("[^A-Za-z0-9]+"), "_");
}

// Each scenario with each implementation: its expectations and equivalence with its golden.
class ScenarioTest : public ::testing::Test {
 public:
  ScenarioTest(fs::path file, Impl impl) : file_(std::move(file)), impl_(impl) {}
  void TestBody() override {
    if (!sandbox_available()) GTEST_SKIP() << "bubblewrap cannot create namespaces on this machine";
    const auto r = run_scenario_file(file_, impl_, CheckOptions{});
    EXPECT_FALSE(is_failure(r.status)) << render_failure_block(r);
  }

 private:
  fs::path file_;
  Impl impl_;
};

void register_scenarios() {
  for (const auto& file : find_scenario_files({spotcheck::testing::source_dir() / "scenarios"})) {
    const Scenario s = load_scenario(file);
    for (Impl impl : {Impl::Bash, Impl::Native}) {
      if (!runs_with(s, impl)) continue;
      const std::string suite = impl == Impl::Bash ? "Scenario" : "NativeScenario";
      ::testing::RegisterTest(suite.c_str(), test_name_for(file).c_str(), nullptr, file.string().c_str(), __FILE__,
                              __LINE__, [file, impl]() -> ::testing::Test* { return new ScenarioTest(file, impl); });
    }
  }
}

}  // namespace
}  // namespace spotcheck::harness

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  spotcheck::harness::register_scenarios();
  return RUN_ALL_TESTS();
}

// `spotcheck check`: runs scenario files in parallel and reports one result per scenario.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "spotcheck/result.hpp"
#include "spotcheck/scenario.hpp"

namespace spotcheck {

struct CheckOptions {
  int jobs = 2;
  std::string filter = "*";   // glob over scenario names
  bool keep = false;          // keep every sandbox (failures are always kept)
};

// Runs one loaded scenario; a harness error becomes UNRESOLVED.
ScenarioResult run_scenario(const Scenario& scenario, const CheckOptions& options);
// Loads and runs one file; bad input becomes UNRESOLVED with the located message.
ScenarioResult run_scenario_file(const std::filesystem::path& file, const CheckOptions& options);

// All scenario files under `paths`, run with `options.jobs` workers; reporters hear every result.
std::vector<ScenarioResult> run_check(const std::vector<std::filesystem::path>& paths, const CheckOptions& options,
                                      const std::vector<Reporter*>& reporters);

// The display name: "<module or directory>/<name>".
std::string scenario_display_name(const Scenario& s);
bool glob_match(const std::string& pattern, const std::string& text);

}  // namespace spotcheck

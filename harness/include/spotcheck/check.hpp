// `spotcheck check`: runs scenario files in parallel and reports one result per scenario.
#pragma once
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "spotcheck/result.hpp"
#include "spotcheck/runner.hpp"
#include "spotcheck/scenario.hpp"

namespace spotcheck::harness {

// Which launcher a scenario run uses: its bash script, or the native `spot-launch MODULE`.
enum class Impl { Bash, Native };
std::string_view to_string(Impl impl);  // "bash", "native"

struct CheckOptions {
  int jobs = 2;
  std::string filter = "*";  // glob over scenario names
  bool keep = false;         // keep every sandbox (failures are always kept)
  // run_check runs each scenario with each; unset: impls_for(scenario)
  std::optional<std::vector<Impl>> impls;
  std::optional<std::filesystem::path> native_launcher;  // default: spot-launch next to the spotcheck binary
  std::map<std::string, std::string> native_env;         // extra environment of native runs (tests' mutants)
  bool goldens = true;                                   // compare each run with the scenario's *.expected.jsonl
  bool update_goldens = false;                           // bash runs that meet their expectations rewrite the golden
  bool contract = false;  // also the module contract of every launcher the paths' projects name (project.hpp)
  // A run still going this long after its time limit is a harness fault: run_check reports it
  // UNRESOLVED, naming the phase it is stuck in, and goes on without it.
  double stuck_grace_seconds = 30;
  std::function<void(Phase)> on_phase;  // told as each phase of each run starts (tests stall phases with it)
};

// Runs one loaded scenario with one implementation; a harness error becomes UNRESOLVED.
ScenarioResult run_scenario(const Scenario& scenario, Impl impl, const CheckOptions& options);
ScenarioResult run_scenario(const Scenario& scenario, const CheckOptions& options);  // the bash launcher
// Loads and runs one file; bad input becomes UNRESOLVED with the located message.
ScenarioResult run_scenario_file(const std::filesystem::path& file, Impl impl, const CheckOptions& options);
ScenarioResult run_scenario_file(const std::filesystem::path& file, const CheckOptions& options);
// The implementations a scenario runs with when `check` names none: its project's "impl" (native runs
// need the scenario's "module", spot-launch's argument), else both when it states a "native" difference,
// else bash.
std::vector<Impl> impls_for(const Scenario& scenario);
// Whether the scenario runs with `impl` at all (a native-only scenario skips bash, saying why).
bool runs_with(const Scenario& scenario, Impl impl);

// The scenario files `check` runs under `paths` (find_scenario_files without the worlds and catalogs
// their projects name), sorted: what `check --list` prints and spotcheck_add_scenarios registers.
std::vector<std::filesystem::path> check_scenario_files(const std::vector<std::filesystem::path>& paths);

// All scenario files under `paths`, run with `options.jobs` workers; reporters hear every result.
std::vector<ScenarioResult> run_check(const std::vector<std::filesystem::path>& paths, const CheckOptions& options,
                                      const std::vector<Reporter*>& reporters);

// The display name: "<module or directory>/<name>".
std::string scenario_display_name(const Scenario& s);
bool glob_match(const std::string& pattern, const std::string& text);

}  // namespace spotcheck::harness

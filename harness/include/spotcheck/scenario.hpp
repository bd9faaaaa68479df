// The scenario contract (schema v1, schema/scenario.schema.json): a launcher run and what must hold of it.
#pragma once
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "spotcheck/call_pattern.hpp"
#include "spotcheck/project.hpp"
#include "spotcheck/world_config.hpp"

namespace spotcheck::harness {

// A bound on a count: exactly / at least / at most (any combination of the last two).
struct CountBound {
  std::optional<int> exactly;
  std::optional<int> at_least;
  std::optional<int> at_most;
  bool holds(int n) const;
  std::string describe() const;  // "exactly 0", "at least 1", "between 1 and 3"
};

// Selects recorded calls: host ("dispatcher", "spot" or an instance id), tool, argv tests, effect.
struct CallMatcher : CallPattern {
  std::optional<std::string> effect;
  std::string describe() const;  // "a python call on a spot whose argv contains [backtest.py, --mode=smoke]"
};

struct CallExpectation {
  CallMatcher match;
  CountBound count;  // default: at least 1 (must happen); for must-not: exactly 0
};

// One group of an order constraint: every call of group i happens before every call of group i+1.
struct OrderGroup {
  std::string label;  // "boot", "deps", ... (defaults to the effect or matcher description)
  CallMatcher match;
};

struct Expectations {
  std::optional<int> exit;    // exact exit status
  bool exit_nonzero = false;  // "exit": "nonzero"
  std::map<std::string, CountBound> effects;
  std::vector<CallExpectation> calls;
  std::vector<CallMatcher> no_calls;
  std::vector<std::vector<OrderGroup>> order;
  bool cleanup_last = false;              // the last world call is an ec2.terminate
  bool all_instances_terminated = false;  // every launched instance got a terminate call
  std::vector<std::string> stdout_contains;
  std::vector<std::string> stderr_contains;
  // What the run left in the World (spotcheck/world_changes.hpp), apart from changes whose name matches
  // a world_ignore glob (fnmatch: "s3://bucket/tmp/*"): none at all, and/or a count per change kind.
  bool world_unchanged = false;
  std::map<std::string, CountBound> world_changes;
  std::vector<std::string> world_ignore;
};

// The effects "writes nothing" forbids (a preflight's claim, the module contract's failure classes, explore's
// invariant, init's preflight scenario): every write to the outside world.
inline const std::vector<std::string> kWriteEffects = {"s3.write", "metric.write", "config.write", "notify",
                                                       "external.api"};

// An invariant a project file or a scenario adds to the ones `spotcheck explore` holds every run to: named
// expectations (the scenario "expect" grammar), checked on every run, or only on runs that failed (exit
// non-zero) or succeeded (exit 0). {"name": "...", "when": "always|failure|success", "expect": {...}}
struct UserInvariant {
  std::string name;
  std::string when = "always";
  Expectations expect;
  nlohmann::json expect_json;  // as written: explore's reproducing scenarios carry it
  std::string source;          // "FILE: /invariants/0", for reports
};
// Parses an "invariants" array; errors name the file and the pointer (FILE: /invariants/0/when: ...).
std::vector<UserInvariant> parse_invariants(const nlohmann::json& j, const std::string& file,
                                            const std::string& pointer);

// A deliberate difference of the native launcher from the bash one, stated in the scenario.
struct NativeDifference {
  std::string why;
  std::optional<Expectations> expect;  // replaces `expect` for the native run
  bool equivalent = true;              // false: its recording deliberately differs from the golden
  bool only = false;                   // the bash launcher is not run (it cannot pass this scenario)
};

struct Scenario {
  std::filesystem::path file;
  std::string name;
  std::string module;              // backtester, data, predictor (optional)
  std::filesystem::path launcher;  // resolved
  Project project;                 // its spotcheck.json (worlds, catalogs, default impl)
  std::vector<std::string> args;
  std::map<std::string, std::string> env;
  // Merged over the built-in world and the project's worlds, in order: the scenario's "world" (at /world) and "files"
  // (at /files), each named in errors by this file and its pointer.
  std::vector<WorldLayer> world_layers;
  nlohmann::json fakes = nlohmann::json::array();  // behaviour rules
  bool strict = false;
  double timeout_seconds = 120;
  std::optional<std::string> xfail;  // reason the scenario is expected to fail
  Expectations expect;
  std::optional<NativeDifference> native;
  std::vector<UserInvariant> invariants;  // explore's extra invariants (unused by check)

  // The golden recording: the bash launcher's normalised leaf calls, next to the scenario file.
  std::filesystem::path golden_file() const;
};

// Loads and validates one scenario file. Unknown keys and wrong types are errors naming
// FILE: /json/pointer: what was expected. A relative launcher resolves against the project's directory
// (where its spotcheck.json is; project.hpp), and must exist.
// The world is validated too, merged over the built-in world and the project's worlds: a bad value is
// reported where it was written (`FILE: /world/capacity/m5.large: expected ...`, or the world file's).
Scenario load_scenario(const std::filesystem::path& file);

// The world layers a run of `project` starts from: the built-in world, then the project's worlds, in order.
std::vector<WorldLayer> base_world_layers(const Project& project);

// Every *.json under the paths (directories recurse), sorted; files under workloads/ and worlds/ skipped.
std::vector<std::filesystem::path> find_scenario_files(const std::vector<std::filesystem::path>& paths);

CallMatcher parse_call_matcher(const nlohmann::json& j, const std::string& file, const std::string& pointer);

}  // namespace spotcheck::harness

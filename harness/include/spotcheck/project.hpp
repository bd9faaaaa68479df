// A project: the repository whose launchers spotcheck checks, described by its spotcheck.json (found by
// walking up from a scenario file or the working directory, like .git). Every path in the project file
// and in its scenarios is relative to the project file's directory.
#pragma once
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace spotcheck::harness {

inline constexpr const char* kProjectFileName = "spotcheck.json";

struct Project {
  std::filesystem::path file;          // the project file; empty for a tree without one (the conventional layout)
  std::filesystem::path root;          // the directory relative paths are relative to
  std::vector<std::string> launchers;  // globs under root: the launchers the module contract checks
  std::vector<std::filesystem::path> scenarios;  // scenario files or directories (`check` with no paths)
  std::vector<std::filesystem::path> worlds;     // merged over the built-in default world, in order
  std::vector<std::filesystem::path> catalogs;   // workload catalog directories (none: entrypoints are unscripted)
  std::optional<std::string> impl;               // bash | native | both; unset: per scenario (see check.hpp)
  // Invariants `spotcheck explore` adds to its own (validated at load; parse_invariants in scenario.hpp reads
  // them: the type lives with the expectations grammar, above this header).
  nlohmann::json invariants = nlohmann::json::array();

  // The launchers' globs expanded (sorted; a glob that matches nothing is an error naming the project file).
  std::vector<std::filesystem::path> contract_launchers() const;
  // "relative to DIR, where spotcheck.json is" (or "relative to DIR (no spotcheck.json found)"), for errors.
  std::string relative_to() const;
  // Whether `file` is one of the project's worlds or inside one of its catalogs (not a scenario).
  bool is_data_file(const std::filesystem::path& file) const;
};

// The nearest spotcheck.json at or above `start` (a file's directory, or a directory).
std::optional<std::filesystem::path> find_project_file(const std::filesystem::path& start);

// Loads and validates a project file; errors name FILE: /json/pointer: what was expected, and a path that
// does not exist names the directory it was taken relative to.
Project load_project(const std::filesystem::path& file);

// The project a scenario file or directory belongs to: its spotcheck.json, else the conventional layout
// of a tree without one (the nearest ancestor with a launchers/ directory, its launchers/spot_*.sh,
// scenarios/, scenarios/worlds/default.json and scenarios/workloads/ when they exist).
Project project_for(const std::filesystem::path& start);

}  // namespace spotcheck::harness

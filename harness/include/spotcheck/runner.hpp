// Runs one launcher in a fresh sandbox against the fakes and returns its recording.
#pragma once
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "spotcheck/expectations.hpp"
#include "spotcheck/record.hpp"
#include "spotcheck/world_changes.hpp"
#include "spotcheck/world_config.hpp"

namespace spotcheck::harness {

// The phases of a scenario run (its file is loaded before it is timed); the run's real-time limit
// covers all of them, and a run that overruns it is reported with the phase it was in.
enum class Phase { Preparation, Sandbox, Evaluation, GoldenCheck };
std::string_view to_string(Phase phase);  // "preparation", "sandbox", "evaluation", "golden check"

// $SPOTCHECK_BWRAP, else /usr/bin/bwrap.
std::string default_bwrap();

struct RunOptions {
  std::filesystem::path launcher;
  std::vector<std::string> args;
  // The world: the built-in one (install_layout.hpp), then these files, then world_layers, merged in order.
  std::vector<std::filesystem::path> world_files;   // a project's worlds, then `run --world`
  std::optional<std::filesystem::path> rules_file;  // behaviour rules
  std::vector<WorldLayer> world_layers;             // merged after world_files, in order (a scenario's world)
  std::optional<nlohmann::json> rules;              // inline rules (a scenario's "fakes")
  std::string rules_source = "rules";               // the file inline rules came from, named in errors
  std::string rules_pointer;                        // and where they sit in it ("/fakes")
  std::vector<std::filesystem::path> catalog_dirs;  // workload catalogs (none: every entrypoint is unscripted)
  std::map<std::string, std::string> env;           // extra launcher environment (recorded by name)
  bool strict = false;                              // unscripted calls fail
  bool keep = false;                                // keep the run directory
  double timeout_seconds = 300;                     // real time for the whole run; the sandbox is killed at it
  std::optional<std::chrono::steady_clock::time_point> deadline;  // the run's end, when the caller started
                                                                  // timing earlier (default: now + timeout_seconds)
  std::function<void(Phase)> on_phase;                            // told as each phase starts (check's supervisor)
  std::string bwrap = default_bwrap();                            // the bubblewrap binary
  int stdout_fd = 1;                                              // where the launcher's output is passed through
  int stderr_fd = 2;                                              // (-1: not passed through, only captured)
  bool dry_run = false;                                           // print the sandbox plan instead of running
};

struct RunResult {
  int exit = 0;
  bool timed_out = false;
  std::optional<Phase> overran;   // the phase the run was in when its time limit passed
  std::filesystem::path run_dir;  // removed unless kept
  bool kept = false;
  std::vector<Record> records;
  std::string launcher_stdout;
  std::string launcher_stderr;
  std::string plan;  // the sandbox plan, as `describe()` prints it
  // What the run left in the World (snapshots before the launcher started and after it ended), also
  // written beside the recording (world_changes_file).
  std::vector<WorldChange> world_changes;
  // The dispatcher's processes still alive when the launcher exited ("PID COMMAND"), which the sandbox then
  // killed: a background loop or session the launcher never stopped.
  std::vector<std::string> survivors;
};

// Where a recording's World changes are kept: recording.jsonl -> recording.world.json.
std::filesystem::path world_changes_file(const std::filesystem::path& recording);

RunResult run_launcher(const RunOptions& options);
// The launcher's environment in the dispatcher's sandbox: a runner's usual variables (HOME, USER, LANG, TZ,
// PATH with the shims first, fake AWS keys unless the world has none), the harness's plumbing (SPOTCHECK_*)
// and the options' --env.
std::map<std::string, std::string> launcher_env(const RunOptions& options, const nlohmann::json& world);
// What expectations and invariants are evaluated against; it points into `run`, which must outlive it.
Observed observed_of(const RunResult& run);

// JSON merge patch (RFC 7386, nlohmann::json::merge_patch): objects merge key by key, null deletes
// (also inside an object the patch adds), anything else replaces.
void merge_json(nlohmann::json& base, const nlohmann::json& over);

}  // namespace spotcheck::harness

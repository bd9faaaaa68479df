// `spotcheck explore`: every call of a launcher's run is a point where the outside world can fail; each
// fault that applies to it is injected in a run of its own (as a behaviour rule), and every run is held to
// the same invariants.
#pragma once
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "spotcheck/expectations.hpp"
#include "spotcheck/record.hpp"
#include "spotcheck/scenario.hpp"

namespace spotcheck::harness {

// A call of the baseline run, named so that the same call is found again in another run: its host class
// ("dispatcher" or "spot"), its tool, the argv words that say what it is (aws: service and operation; a
// python script; pip/git/dnf's subcommand; none for ssh/scp) and its occurrence among such calls.
struct FaultPoint {
  std::string host;
  std::string tool;
  std::vector<std::string> shape;
  int occurrence = 1;
  std::int64_t seq = 0;           // in the baseline, for display
  std::vector<std::string> argv;  // in the baseline: what a fault's text quotes (an instance id, an s3 path)
  std::string describe() const;   // "dispatcher aws ec2 terminate-instances #1"
};

// One fault: its kind and the behaviour rule answer that injects it.
struct Fault {
  std::string kind;  // one of kFaultKinds
  nlohmann::json answer;
};

inline const std::vector<std::string> kFaultKinds = {"throttle", "internal-error", "service-error", "hang",
                                                     "drop",     "fail",           "reclaim",       "outage",
                                                     "sigterm",  "sigint",         "sighup"};

// A fault at a point: what one injection is.
struct FaultStep {
  FaultPoint point;
  Fault fault;
  std::string describe() const;  // "throttle at dispatcher aws ec2 terminate-instances #1"
  std::string rule_id() const;   // the injecting rule's id: "explore: " + describe()
};

// The baseline's fault points, in call order (deterministic).
std::vector<FaultPoint> fault_points(const std::vector<Record>& baseline);
// The faults that apply to a point, among `kinds` (empty: all).
std::vector<Fault> faults_for(const FaultPoint& point, const std::vector<std::string>& kinds);
// The behaviour rule that injects `fault` at `point` (a scenario's "fakes" entry).
nlohmann::json fault_rule(const FaultPoint& point, const Fault& fault);
nlohmann::json fault_rule(const FaultStep& step);

// What every run must hold whatever the fault, by name: instances-terminated, cleanup-last, cleanup-once (no
// instance terminated twice), preflight-writes-nothing (only for a preflight run), no-heartbeat-on-failure,
// ends-in-time, no-silent-failure (a run that exits 0 left no instance running and made every write the
// baseline made) and failure-names-step (a run a fault made fail says which step: its output names the step
// or passes on the error the step printed; `faults` are the injected ones) and no-process-outlives-run (no
// process of the dispatcher still running when the launcher exited).
struct Violation {
  std::string invariant;
  std::vector<Failure> evidence;
  // The weaker outcome: instances were left running, but each had its spot-side watchdog (a delayed
  // shutdown) installed, so it ends on its own, and the run lost control (killed at its limit) or did all
  // it could (its terminate calls failed again when retried, and it exited non-zero). Reported, not counted.
  bool watchdog_only = false;
};
// Whether any of them counts (is not the weaker watchdog outcome).
bool counted(const std::vector<Violation>& violations);
// `extra`: a project's or scenario's own invariants (UserInvariant, scenario.hpp), checked after these.
std::vector<Violation> check_invariants(const Observed& run, bool preflight,
                                        const std::vector<WorldChange>* baseline = nullptr,
                                        const std::vector<UserInvariant>& extra = {},
                                        const std::vector<FaultStep>& faults = {});
// The write effects preflight-writes-nothing forbids as calls: every write but s3.write, which is judged by
// what lasts in the World (a copy staged and removed again is no write).
std::vector<std::string> preflight_forbidden_writes();
// The name a log gives a step: an aws call's operation, a python script, pip's subcommand, else the tool.
std::string step_name(const FaultPoint& point);
// Whether the rule injecting `step` answered a call of `records`.
bool fired(const FaultStep& step, const std::vector<Record>& records);

// One run of the exploration: one fault (depth 1), or a fault and then one in the path it led to (depth 2).
struct FaultRun {
  FaultStep first;
  std::optional<FaultStep> then;
  int exit = 0;
  bool timed_out = false;
  std::vector<Violation> violations;
  std::string error;                       // the run could not be made (harness fault)
  std::vector<Record> records;             // kept while needed: depth 2's plan, the HTML report
  std::vector<WorldChange> world_changes;  // likewise
  std::string scenario_file;               // the reproducing scenario written for it, if any

  bool violated() const;
  std::string outcome() const;   // "pass", "VIOLATION" or "watchdog"
  std::string describe() const;  // "throttle at P" or "throttle at P, then hang at Q"
  std::vector<FaultStep> steps() const;
};

// Depth 2: for each first-fault run that left the baseline's path (its calls, by fault point name, differ
// from the baseline's other than at the faulted call), a second fault at each call it made after the first
// fault (the recovery or cleanup path it took); calls the baseline never made come first. Taken round-robin
// over the first faults, so a budget covers every one a little before any one much.
std::vector<FaultRun> plan_second_faults(const std::vector<Record>& baseline, const std::vector<FaultRun>& firsts,
                                         const std::vector<std::string>& kinds, std::size_t budget);

struct ExploreOptions {
  std::filesystem::path launcher;
  std::vector<std::string> args;
  std::map<std::string, std::string> env;  // the launcher's extra environment (a scenario's "env", --env)
  std::vector<std::filesystem::path> world_files;
  std::vector<std::filesystem::path> catalog_dirs;
  std::vector<WorldLayer> world_layers;
  nlohmann::json rules = nlohmann::json::array();  // the scenario's rules, kept under every fault
  std::vector<std::string> kinds;                  // empty: all
  std::string points = "*";                        // only fault points whose name matches (fnmatch)
  bool preflight = false;                          // hold every run to "writes nothing"
  std::vector<UserInvariant> invariants;           // the project's and the scenario's own
  int depth = 1;                                   // 2: pairs of faults (plan_second_faults)
  std::size_t budget = 200;                        // at most this many depth-2 runs
  int jobs = 2;
  double timeout_seconds = 120;  // a run's real-time limit
  // The limit of a run whose fault is a hang: a launcher that guards the call (timeout) goes on at once in
  // virtual time; one that does not is stuck, and is killed here (a whole preflight run takes ~0.2 s).
  double hang_seconds = 2;
  // The limit of an outage run: a retry loop that gives up ends in well under a second of real time (its
  // sleeps are virtual); one that never gives up spins until this.
  double outage_seconds = 10;
  std::optional<std::filesystem::path> json_report;
  std::optional<std::filesystem::path> junit_report;    // one test case per fault run
  std::optional<std::filesystem::path> html_report;     // self-contained page: table, violations, timelines
  std::optional<std::filesystem::path> emit_scenarios;  // one scenario file per violation
};

// Runs the baseline and every fault run, prints progress to `progress` and the summary to `out`; returns 0
// when no run broke an invariant, 1 when one did, 2 when the baseline itself could not run.
int run_explore(const ExploreOptions& options, std::ostream& out, std::ostream& progress);

}  // namespace spotcheck::harness

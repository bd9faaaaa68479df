// `spotcheck explore`: every call of a launcher's run is a point where the outside world can fail; each
// fault that applies to it is injected in a run of its own (as a behaviour rule), and every run is held to
// the same invariants.
#pragma once
#include <filesystem>
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
  std::int64_t seq = 0;          // in the baseline, for display
  std::string describe() const;  // "dispatcher aws ec2 terminate-instances #1"
};

// One fault: its kind and the behaviour rule answer that injects it.
struct Fault {
  std::string kind;  // throttle, internal-error, hang, drop, fail, reclaim, outage, sigterm
  nlohmann::json answer;
};

inline const std::vector<std::string> kFaultKinds = {"throttle", "internal-error", "hang",   "drop",
                                                     "fail",     "reclaim",        "outage", "sigterm"};

// The baseline's fault points, in call order (deterministic).
std::vector<FaultPoint> fault_points(const std::vector<Record>& baseline);
// The faults that apply to a point, among `kinds` (empty: all).
std::vector<Fault> faults_for(const FaultPoint& point, const std::vector<std::string>& kinds);
// The behaviour rule that injects `fault` at `point` (a scenario's "fakes" entry).
nlohmann::json fault_rule(const FaultPoint& point, const Fault& fault);

// What every run must hold whatever the fault, by name: instances-terminated, cleanup-last,
// preflight-writes-nothing (only for a preflight run), no-heartbeat-on-failure, ends-in-time, and
// no-silent-failure (a run that exits 0 left no instance running and made every write the baseline made).
struct Violation {
  std::string invariant;
  std::vector<Failure> evidence;
  // The weaker outcome: instances were left running, but each had its spot-side watchdog (a delayed
  // shutdown) installed before the run lost control, so it ends on its own. Reported, not counted.
  bool watchdog_only = false;
};
std::vector<Violation> check_invariants(const Observed& run, bool preflight,
                                        const std::vector<WorldChange>* baseline = nullptr);

struct ExploreOptions {
  std::filesystem::path launcher;
  std::vector<std::string> args;
  std::vector<std::filesystem::path> world_files;
  std::vector<std::filesystem::path> catalog_dirs;
  std::vector<WorldLayer> world_layers;
  nlohmann::json rules = nlohmann::json::array();  // the scenario's rules, kept under every fault
  std::vector<std::string> kinds;                  // empty: all
  std::string points = "*";                        // only fault points whose name matches (fnmatch)
  bool preflight = false;                          // hold every run to "writes nothing"
  int jobs = 2;
  double timeout_seconds = 120;  // a run's real-time limit
  // The limit of a run whose fault is a hang: a launcher that guards the call (timeout) goes on at once in
  // virtual time; one that does not is stuck, and is killed here (a whole preflight run takes ~0.2 s).
  double hang_seconds = 2;
  // The limit of an outage run: a retry loop that gives up ends in well under a second of real time (its
  // sleeps are virtual); one that never gives up spins until this.
  double outage_seconds = 10;
  std::optional<std::filesystem::path> json_report;
  std::optional<std::filesystem::path> emit_scenarios;  // one scenario file per violation
};

// Runs the baseline and every fault run, prints progress to `progress` and the summary to `out`; returns 0
// when no run broke an invariant, 1 when one did, 2 when the baseline itself could not run.
int run_explore(const ExploreOptions& options, std::ostream& out, std::ostream& progress);

}  // namespace spotcheck::harness

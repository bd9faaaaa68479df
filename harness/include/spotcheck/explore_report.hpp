// The reports of `spotcheck explore`, made once every fault run has ended: the terminal summary (violations,
// then the table of fault points x kinds), JSON, JUnit (one test case per fault run) and the HTML page.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "spotcheck/explore.hpp"

namespace spotcheck::harness {

struct ExploreSummary {
  const ExploreOptions* options = nullptr;
  int baseline_exit = 0;
  std::size_t baseline_calls = 0;
  std::size_t points = 0;
  const std::vector<Violation>* baseline_violations = nullptr;  // the run with no fault held to the invariants
  const std::vector<FaultRun>* runs = nullptr;                  // depth 1 first, then depth 2, each in plan order
  double seconds = 0;
};

// One line per run that is not a pass (with its evidence and the reproducing scenario), the table of the
// depth-1 runs, and the totals.
std::string render_explore_console(const ExploreSummary& s);
nlohmann::json explore_json(const ExploreSummary& s);
std::string explore_junit(const ExploreSummary& s);
std::string explore_html(const ExploreSummary& s);

// A scenario file that reproduces one run's violations: the launcher, its arguments and world, the faults as
// rules ahead of the run's own, and each broken invariant as expectations.
nlohmann::json reproducing_scenario(const ExploreOptions& o, const FaultRun& run);
// "explore-007-throttle-at-dispatcher-aws-ec2-terminate-instances--1.json"
std::string scenario_file_name(const FaultRun& run, std::size_t index);
// How long a run with these faults may take in real time (a hang or an outage has a shorter limit).
double run_limit(const ExploreOptions& o, const FaultRun& run);

}  // namespace spotcheck::harness

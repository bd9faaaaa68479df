// spotcheck explore: the baseline run, then one run per fault point and kind (in parallel, deterministic
// order), at depth 2 a run per fault pair in the path the first fault led to, each held to the invariants;
// then a reproducing scenario per violation and the reports (explore_report.hpp).
#include "spotcheck/explore.hpp"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "spotcheck/error.hpp"
#include "spotcheck/explore_report.hpp"
#include "spotcheck/file_io.hpp"
#include "spotcheck/result.hpp"
#include "spotcheck/runner.hpp"
#include "spotcheck/world_changes.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

RunOptions run_options(const ExploreOptions& o, const json& rules, double timeout) {
  RunOptions r;
  r.launcher = o.launcher;
  r.args = o.args;
  r.env = o.env;
  r.world_files = o.world_files;
  r.catalog_dirs = o.catalog_dirs;
  r.world_layers = o.world_layers;
  if (!rules.empty()) r.rules = rules;
  r.rules_source = "spotcheck explore";
  r.stdout_fd = r.stderr_fd = -1;
  r.timeout_seconds = timeout;
  return r;
}

void run_fault(const ExploreOptions& o, const std::vector<WorldChange>& baseline, FaultRun& f) {
  json rules = json::array();  // first: the faults win over the scenario's own rules
  for (const auto& step : f.steps()) rules.push_back(fault_rule(step));
  for (const auto& r : o.rules) rules.push_back(r);
  try {
    RunResult run = run_launcher(run_options(o, rules, run_limit(o, f)));
    f.exit = run.exit;
    f.timed_out = run.timed_out;
    f.violations = check_invariants(observed_of(run), o.preflight, &baseline, o.invariants, f.steps());
    f.records = std::move(run.records);
    f.world_changes = std::move(run.world_changes);
    std::error_code ec;
    fs::remove_all(run.run_dir, ec);
  } catch (const Error& e) {
    f.error = e.what();
  }
}

// Runs `runs[from..]` on `jobs` threads, in order of index, with progress on `progress`.
void run_all(const ExploreOptions& o, const std::vector<WorldChange>& baseline, std::vector<FaultRun>& runs,
             std::size_t from, std::ostream& progress, std::chrono::steady_clock::time_point start) {
  std::atomic<std::size_t> next{from};
  std::atomic<std::size_t> done{from};
  std::atomic<std::size_t> violated{static_cast<std::size_t>(std::count_if(
      runs.begin(), runs.begin() + static_cast<std::ptrdiff_t>(from), [](const FaultRun& r) { return r.violated(); }))};
  std::mutex progress_mutex;
  const auto worker = [&] {
    for (std::size_t i; (i = next++) < runs.size();) {
      run_fault(o, baseline, runs[i]);
      if (runs[i].violated()) ++violated;
      const std::size_t n = ++done;
      const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const double rate = elapsed / static_cast<double>(n - from);
      std::lock_guard<std::mutex> lock(progress_mutex);
      progress << fmt::format("\rexplore: {}/{} runs, {} with violations, {:.0f} s, ETA {:.0f} s   ", n, runs.size(),
                              violated.load(), elapsed, rate * static_cast<double>(runs.size() - n))
               << std::flush;
    }
  };
  std::vector<std::thread> workers;
  for (int j = 0; j < std::max(1, o.jobs); ++j) workers.emplace_back(worker);
  for (auto& w : workers) w.join();
  progress << "\n";
}

void write_report(const std::filesystem::path& file, const std::string& text) {
  if (!write_file_bytes(file, text)) throw harness_error(file.string(), "can't write: " + errno_message());
}

}  // namespace

int run_explore(const ExploreOptions& o, std::ostream& out, std::ostream& progress) {
  const auto start = std::chrono::steady_clock::now();
  RunResult baseline = run_launcher(run_options(o, o.rules, o.timeout_seconds));
  {
    std::error_code ec;
    fs::remove_all(baseline.run_dir, ec);
  }
  if (baseline.timed_out) {
    out << "spotcheck explore: the baseline run did not end within " << o.timeout_seconds << " s\n";
    return 2;
  }
  // The run with no fault is held to the invariants too: a defect there is in every fault run's path.
  const std::vector<Violation> baseline_violations =
      check_invariants(observed_of(baseline), o.preflight, &baseline.world_changes, o.invariants);
  const std::vector<FaultPoint> points = fault_points(baseline.records);
  std::vector<FaultRun> runs;
  for (const auto& p : points) {
    if (::fnmatch(o.points.c_str(), p.describe().c_str(), 0) != 0) continue;
    for (auto& f : faults_for(p, o.kinds)) {
      FaultRun run;
      run.first = FaultStep{p, std::move(f)};
      runs.push_back(std::move(run));
    }
  }
  out << fmt::format("spotcheck explore: baseline exit {}, {} calls, {} fault points, {} fault runs\n", baseline.exit,
                     baseline.records.size(), points.size(), runs.size());
  run_all(o, baseline.world_changes, runs, 0, progress, start);
  if (o.depth >= 2) {
    std::vector<FaultRun> second = plan_second_faults(baseline.records, runs, o.kinds, o.budget);
    out << fmt::format(
        "spotcheck explore: depth 2: {} runs with a second fault in the path the first one led to "
        "(budget {})\n",
        second.size(), o.budget);
    const std::size_t from = runs.size();
    for (auto& r : second) runs.push_back(std::move(r));
    run_all(o, baseline.world_changes, runs, from, progress, start);
  }
  // Records are kept for the HTML report's timelines of the runs that broke something, not of the passes.
  for (auto& r : runs)
    if (r.outcome() == "pass") {
      r.records = {};
      r.world_changes = {};
    }
  if (o.emit_scenarios)
    for (std::size_t i = 0; i < runs.size(); ++i) {
      if (!runs[i].violated() || !runs[i].error.empty()) continue;
      fs::create_directories(*o.emit_scenarios);
      const fs::path file = *o.emit_scenarios / scenario_file_name(runs[i], i);
      write_report(file, reproducing_scenario(o, runs[i]).dump(2) + "\n");
      runs[i].scenario_file = file.string();
    }
  const ExploreSummary summary{&o,
                               baseline.exit,
                               baseline.records.size(),
                               points.size(),
                               &baseline_violations,
                               &runs,
                               std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
  out << render_explore_console(summary);
  if (o.json_report) write_report(*o.json_report, explore_json(summary).dump(2) + "\n");
  if (o.junit_report) write_report(*o.junit_report, explore_junit(summary));
  if (o.html_report) write_report(*o.html_report, explore_html(summary));
  const bool violated = counted(baseline_violations) ||
                        std::any_of(runs.begin(), runs.end(), [](const FaultRun& r) { return r.violated(); });
  return violated ? 1 : 0;
}

}  // namespace spotcheck::harness

// spotcheck explore: the baseline run, then one run per fault point and kind (in parallel, deterministic
// order), each held to the invariants; a summary, a JSON report and a reproducing scenario per violation.
#include "spotcheck/explore.hpp"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "spotcheck/error.hpp"
#include "spotcheck/file_io.hpp"
#include "spotcheck/result.hpp"
#include "spotcheck/runner.hpp"
#include "spotcheck/world_changes.hpp"

namespace spotcheck::harness {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct FaultRun {
  FaultPoint point;
  Fault fault;
  int exit = 0;
  bool timed_out = false;
  std::vector<Violation> violations;
  std::string error;  // the run could not be made (harness fault)

  bool violated() const {
    return !error.empty() ||
           std::any_of(violations.begin(), violations.end(), [](const Violation& v) { return !v.watchdog_only; });
  }
  std::string outcome() const {
    if (violated()) return "VIOLATION";
    return violations.empty() ? "pass" : "watchdog";
  }
};

RunOptions run_options(const ExploreOptions& o, const json& rules, double timeout) {
  RunOptions r;
  r.launcher = o.launcher;
  r.args = o.args;
  r.world_files = o.world_files;
  r.catalog_dirs = o.catalog_dirs;
  r.world_layers = o.world_layers;
  if (!rules.empty()) r.rules = rules;
  r.rules_source = "spotcheck explore";
  r.stdout_fd = r.stderr_fd = -1;
  r.timeout_seconds = timeout;
  return r;
}

double limit_of(const ExploreOptions& o, const Fault& f) {
  if (f.kind == "hang") return o.hang_seconds;
  if (f.kind == "outage") return std::min(o.outage_seconds, o.timeout_seconds);
  return o.timeout_seconds;
}

void run_fault(const ExploreOptions& o, const std::vector<WorldChange>& baseline, FaultRun& f) {
  json rules = json::array({fault_rule(f.point, f.fault)});  // first: it wins over the scenario's own
  for (const auto& r : o.rules) rules.push_back(r);
  try {
    RunResult run = run_launcher(run_options(o, rules, limit_of(o, f.fault)));
    f.exit = run.exit;
    f.timed_out = run.timed_out;
    const Observed observed{run.exit,          run.timed_out, &run.records, run.launcher_stdout, run.launcher_stderr,
                            &run.world_changes};
    f.violations = check_invariants(observed, o.preflight, &baseline);
    std::error_code ec;
    fs::remove_all(run.run_dir, ec);
  } catch (const Error& e) {
    f.error = e.what();
  }
}

// A scenario file that reproduces one violation: the launcher, its arguments and world, the fault as a rule,
// and the broken invariants as expectations.
json reproducing_scenario(const ExploreOptions& o, const FaultRun& f) {
  json expect = json::object();
  for (const auto& v : f.violations) {
    if (v.invariant == "instances-terminated") expect["all_instances_terminated"] = true;
    if (v.invariant == "cleanup-last") expect["cleanup_last"] = true;
    if (v.invariant == "preflight-writes-nothing") {
      for (const auto& kind : kWorldChangeKinds)
        if (kind != "ec2.left_running") expect["world_changes"][kind] = 0;
      for (const auto& w : kWriteEffects) expect["effects"][w] = 0;
    }
    if (v.invariant == "no-heartbeat-on-failure") expect["effects"]["metric.write"] = 0;
  }
  json rules = json::array({fault_rule(f.point, f.fault)});
  for (const auto& r : o.rules) rules.push_back(r);
  json s = {{"v", 1},
            {"name", "explore: " + f.fault.kind + " at " + f.point.describe()},
            {"description", "found by spotcheck explore: " + f.fault.kind + " injected at " + f.point.describe() +
                                " (baseline call #" + std::to_string(f.point.seq) + ")"},
            {"launcher", fs::absolute(o.launcher).string()},
            {"fakes", rules},
            {"timeout", limit_of(o, f.fault)},
            {"expect", expect}};
  if (!o.args.empty()) s["args"] = o.args;
  return s;
}

std::string file_name_of(const FaultRun& f, std::size_t index) {
  std::string name = fmt::format("explore-{:03}-{}-{}", index, f.fault.kind, f.point.describe());
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') c = '-';
  return name + ".json";
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
  const std::vector<FaultPoint> points = fault_points(baseline.records);
  std::vector<FaultRun> runs;
  for (const auto& p : points) {
    if (::fnmatch(o.points.c_str(), p.describe().c_str(), 0) != 0) continue;
    for (auto& f : faults_for(p, o.kinds)) runs.push_back({p, std::move(f), 0, false, {}, ""});
  }
  out << fmt::format("spotcheck explore: baseline exit {}, {} calls, {} fault points, {} fault runs\n", baseline.exit,
                     baseline.records.size(), points.size(), runs.size());

  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::atomic<std::size_t> violated{0};
  std::mutex progress_mutex;
  const auto worker = [&] {
    for (std::size_t i; (i = next++) < runs.size();) {
      run_fault(o, baseline.world_changes, runs[i]);
      if (runs[i].violated()) ++violated;
      const std::size_t n = ++done;
      const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::lock_guard<std::mutex> lock(progress_mutex);
      progress << fmt::format("\rexplore: {}/{} runs, {} with violations, {:.0f} s, ETA {:.0f} s   ", n, runs.size(),
                              violated.load(), elapsed,
                              elapsed / static_cast<double>(n) * static_cast<double>(runs.size() - n))
               << std::flush;
    }
  };
  std::vector<std::thread> workers;
  for (int j = 0; j < std::max(1, o.jobs); ++j) workers.emplace_back(worker);
  for (auto& w : workers) w.join();
  progress << "\n";

  // The summary: one line per fault run with a violation, then the table of points x kinds.
  json report = {
      {"launcher", o.launcher.string()}, {"args", o.args}, {"baseline_exit", baseline.exit}, {"runs", json::array()}};
  std::size_t violations = 0;
  std::size_t watchdogs = 0;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const auto& f = runs[i];
    json entry = {{"point", f.point.describe()}, {"baseline_seq", f.point.seq},
                  {"fault", f.fault.kind},       {"exit", f.exit},
                  {"timed_out", f.timed_out},    {"violations", json::array()}};
    if (!f.error.empty()) entry["error"] = f.error;
    for (const auto& v : f.violations) {
      json evidence = json::array();
      for (const auto& e : v.evidence) evidence.push_back(e.check + ": expected " + e.expected + "; " + e.actual);
      entry["violations"].push_back(
          {{"invariant", v.invariant}, {"watchdog_only", v.watchdog_only}, {"evidence", evidence}});
    }
    entry["outcome"] = f.outcome();
    report["runs"].push_back(entry);
    if (f.outcome() == "pass") continue;
    if (f.outcome() == "watchdog") {
      ++watchdogs;
      out << fmt::format(
          "WATCHDOG: {} at {} (baseline #{}): exit {}: instances left running, each with its spot-side "
          "watchdog installed\n",
          f.fault.kind, f.point.describe(), f.point.seq, f.exit);
      continue;
    }
    ++violations;
    out << fmt::format("VIOLATION: {} at {} (baseline #{}): exit {}{}\n", f.fault.kind, f.point.describe(), f.point.seq,
                       f.exit, f.timed_out ? " (killed at its time limit)" : "");
    if (!f.error.empty()) out << "  harness: " << f.error << "\n";
    for (const auto& v : f.violations) {
      out << "  " << v.invariant << (v.watchdog_only ? " (each left instance has its watchdog)" : "") << ":";
      for (const auto& e : v.evidence) out << " " << e.actual << ";";
      out << "\n";
    }
    if (o.emit_scenarios) {
      fs::create_directories(*o.emit_scenarios);
      const fs::path file = *o.emit_scenarios / file_name_of(f, i);
      if (!write_file_bytes(file, reproducing_scenario(o, f).dump(2) + "\n"))
        throw harness_error(file.string(), "can't write: " + errno_message());
      out << "  reproduce: spotcheck check " << file.string() << "\n";
    }
  }
  out << "\nfault point" << std::string(44, ' ');
  for (const auto& k : kFaultKinds) out << fmt::format(" {:>9.9}", k);
  out << "\n";
  for (std::size_t i = 0; i < runs.size();) {
    const std::string point = runs[i].point.describe();
    std::map<std::string, std::string> cells;
    for (; i < runs.size() && runs[i].point.describe() == point; ++i) cells[runs[i].fault.kind] = runs[i].outcome();
    out << fmt::format("{:<55.55}", point);
    for (const auto& k : kFaultKinds) out << fmt::format(" {:>9}", cells.count(k) ? cells[k] : "-");
    out << "\n";
  }
  report["violations"] = violations;
  report["watchdog_only"] = watchdogs;
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out << fmt::format("\n{} fault runs in {:.1f} s: {} with violations, {} left instances to their watchdog\n",
                     runs.size(), took, violations, watchdogs);
  report["seconds"] = took;
  if (o.json_report && !write_file_bytes(*o.json_report, report.dump(2) + "\n"))
    throw harness_error(o.json_report->string(), "can't write: " + errno_message());
  return violations == 0 ? 0 : 1;
}

}  // namespace spotcheck::harness

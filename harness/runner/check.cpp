// Scenario runs: load, run in a sandbox, evaluate expectations, keep the evidence of failures.
#include "spotcheck/check.hpp"

#include <fnmatch.h>

#include <fstream>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "spotcheck/error.hpp"
#include "spotcheck/runner.hpp"

namespace spotcheck {
namespace {

namespace fs = std::filesystem;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

RunOptions options_for(const Scenario& s) {
  RunOptions o;
  o.launcher = s.launcher;
  o.args = s.args;
  o.env = s.env;
  o.world_override = s.world;
  if (!s.fakes.empty()) o.rules = s.fakes;
  o.rules_source = s.file.string() + ": /fakes";
  o.strict = s.strict;
  o.timeout_seconds = s.timeout_seconds;
  o.keep = true;  // decided after the verdict
  // A tree of its own (e.g. a new module under test) brings its own catalog and default world.
  if (fs::is_directory(s.project_root / "scenarios" / "workloads")) o.catalog_dir = s.project_root / "scenarios" / "workloads";
  if (fs::exists(s.project_root / "scenarios" / "worlds" / "default.json"))
    o.default_world = s.project_root / "scenarios" / "worlds" / "default.json";
  o.stdout_fd = o.stderr_fd = -1;
  return o;
}

Status verdict(const Scenario& s, const RunResult& run, const std::vector<Failure>& failures) {
  if (run.timed_out) return Status::Timeout;
  const bool failed = !failures.empty();
  if (s.xfail) return failed ? Status::XFail : Status::XPass;
  return failed ? Status::Fail : Status::Pass;
}

}  // namespace

bool glob_match(const std::string& pattern, const std::string& text) {
  return ::fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

std::string scenario_display_name(const Scenario& s) {
  const std::string group = !s.module.empty() ? s.module : s.file.parent_path().filename().string();
  return group + "/" + s.name;
}

ScenarioResult run_scenario(const Scenario& s, const CheckOptions& options) {
  ScenarioResult r;
  r.file = s.file;
  r.name = scenario_display_name(s);
  const auto start = std::chrono::steady_clock::now();
  try {
    const RunResult run = run_launcher(options_for(s));
    const Observed observed{run.exit, run.timed_out, &run.records, run.launcher_stdout, run.launcher_stderr};
    r.failures = evaluate(s.expect, observed);
    r.status = verdict(s, run, r.failures);
    r.exit = run.exit;
    r.records = run.records.size();
    if (is_failure(r.status) || options.keep) {
      r.kept_dir = run.run_dir;
      std::ofstream(run.run_dir / "launcher.stdout") << run.launcher_stdout;
      std::ofstream(run.run_dir / "launcher.stderr") << run.launcher_stderr;
    } else {
      fs::remove_all(run.run_dir);
    }
  } catch (const std::exception& e) {
    r.status = Status::Unresolved;
    r.error = e.what();
  }
  r.seconds = seconds_since(start);
  return r;
}

ScenarioResult run_scenario_file(const fs::path& file, const CheckOptions& options) {
  try {
    return run_scenario(load_scenario(file), options);
  } catch (const Error& e) {
    ScenarioResult r;
    r.file = file;
    r.name = file.parent_path().filename().string() + "/" + file.stem().string();
    r.status = Status::Unresolved;
    r.error = e.what();
    return r;
  }
}

std::vector<ScenarioResult> run_check(const std::vector<fs::path>& paths, const CheckOptions& options,
                                      const std::vector<Reporter*>& reporters) {
  std::vector<fs::path> files;
  for (const auto& f : find_scenario_files(paths)) {
    if (options.filter == "*") {
      files.push_back(f);
      continue;
    }
    try {
      if (glob_match(options.filter, scenario_display_name(load_scenario(f)))) files.push_back(f);
    } catch (const Error&) {
      files.push_back(f);  // a bad file is reported, never silently filtered away
    }
  }
  for (auto* rep : reporters) rep->on_start(files.size());
  const auto start = std::chrono::steady_clock::now();
  std::vector<ScenarioResult> results(files.size());
  std::atomic<std::size_t> next{0}, done{0};
  std::mutex report_mutex;
  auto worker = [&] {
    for (std::size_t i; (i = next++) < files.size();) {
      results[i] = run_scenario_file(files[i], options);
      std::lock_guard<std::mutex> lock(report_mutex);
      const std::size_t n = ++done;
      for (auto* rep : reporters) rep->on_result(results[i], n, files.size());
    }
  };
  std::vector<std::thread> pool;
  for (int j = 0; j < std::max(1, options.jobs); ++j) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  for (auto* rep : reporters) rep->on_finish(results, seconds_since(start));
  return results;
}

}  // namespace spotcheck

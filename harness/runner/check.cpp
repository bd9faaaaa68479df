// Scenario runs: load, run in a sandbox, evaluate expectations, keep the evidence of failures.
#include "spotcheck/check.hpp"

#include <fnmatch.h>

#include <fstream>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "spotcheck/differ.hpp"
#include "spotcheck/error.hpp"
#include "spotcheck/normalise.hpp"
#include "spotcheck/runner.hpp"

namespace spotcheck {
namespace {

namespace fs = std::filesystem;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

RunOptions options_for(const Scenario& s, Impl impl, const CheckOptions& options) {
  RunOptions o;
  o.launcher = s.launcher;
  o.args = s.args;
  o.env = s.env;
  if (impl == Impl::Native) {
    // The same flags, environment and world; the module names what the bash script was.
    o.launcher = options.native_launcher.value_or(default_native_launcher());
    o.args.insert(o.args.begin(), s.module);
    for (const auto& [k, v] : options.native_env) o.env[k] = v;
  }
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

// Timed out with no call recorded and no byte of output: the launcher never started.
bool sandbox_stalled(const RunResult& run) {
  return run.timed_out && run.records.empty() && run.launcher_stdout.empty() && run.launcher_stderr.empty();
}

Status verdict(const Scenario& s, const RunResult& run, const std::vector<Failure>& failures) {
  if (run.timed_out) return Status::Timeout;
  const bool failed = !failures.empty();
  if (s.xfail) return failed ? Status::XFail : Status::XPass;
  return failed ? Status::Fail : Status::Pass;
}

// The recording against the scenario's golden (the bash launcher's normalised leaf calls).
void check_golden(const Scenario& s, Impl impl, const CheckOptions& options, const RunResult& run, bool expectations_met,
                  ScenarioResult& r) {
  const fs::path golden = s.golden_file();
  const auto actual = leaf_calls(run.records);
  if (impl == Impl::Bash && options.update_goldens) {
    if (!expectations_met) {
      r.note = "golden not updated: the run does not meet the scenario's expectations";
      return;
    }
    const bool existed = fs::exists(golden);
    const bool changed = !existed || !diff_leaf_calls(read_leaf_calls(golden), actual).equivalent;
    if (changed) write_golden(golden, actual);
    r.note = changed ? (existed ? "golden updated: " : "golden written: ") + golden.string() : "";
    return;
  }
  if (impl == Impl::Native && s.native && !s.native->equivalent) {
    r.note = "intended difference, not compared with the golden: " + s.native->why;
    return;
  }
  if (!fs::exists(golden)) {
    r.failures.push_back({"golden", "a golden recording " + golden.string(), "none: run `spotcheck check --update` with the bash launcher", {}});
    return;
  }
  const std::string label = std::string(to_string(impl)) + " run";
  const auto d = diff_leaf_calls(read_leaf_calls(golden), actual, DiffLabels{golden.filename().string(), label});
  if (d.equivalent) return;
  Failure f{"golden", "leaf calls equivalent to " + golden.filename().string() + " (the bash launcher's)",
            label + " diverges on " + std::to_string(d.hosts.size()) + " host(s)", {}};
  std::size_t start = 0;
  for (std::size_t nl; (nl = d.report.find('\n', start)) != std::string::npos; start = nl + 1)
    f.notes.push_back(d.report.substr(start, nl - start));
  r.failures.push_back(std::move(f));
}

}  // namespace

std::string_view to_string(Impl impl) { return impl == Impl::Bash ? "bash" : "native"; }

bool runs_with(const Scenario& s, Impl impl) { return !(impl == Impl::Bash && s.native && s.native->only); }

fs::path default_native_launcher() { return fake_binary_path().parent_path() / "spot-launch"; }

bool glob_match(const std::string& pattern, const std::string& text) {
  return ::fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

std::string scenario_display_name(const Scenario& s) {
  const std::string group = !s.module.empty() ? s.module : s.file.parent_path().filename().string();
  return group + "/" + s.name;
}

ScenarioResult run_scenario(const Scenario& s, Impl impl, const CheckOptions& options) {
  ScenarioResult r;
  r.file = s.file;
  r.name = scenario_display_name(s) + " [" + std::string(to_string(impl)) + "]";
  r.impl = to_string(impl);
  const auto start = std::chrono::steady_clock::now();
  try {
    if (impl == Impl::Native && s.module.empty())
      throw bad_input(s.file.string(), "can't run the native launcher: the scenario names no \"module\"");
    RunResult run = run_launcher(options_for(s, impl, options));
    if (sandbox_stalled(run)) {
      // Seen once in CI under heavy load: the sandbox never ran the launcher's first command. A
      // launcher that itself hangs before any call would time out the same way again, so one rerun
      // cannot turn a real failure into a pass; the note says it happened.
      fs::remove_all(run.run_dir);
      run = run_launcher(options_for(s, impl, options));
      r.note = "rerun: the first sandbox timed out before the launcher made any call or wrote any output";
    }
    const Observed observed{run.exit, run.timed_out, &run.records, run.launcher_stdout, run.launcher_stderr};
    const bool differs = impl == Impl::Native && s.native;
    r.failures = evaluate(differs && s.native->expect ? *s.native->expect : s.expect, observed);
    const std::string rerun_note = r.note;
    if (differs && s.native->only) r.note = "native only: " + s.native->why;
    else if (differs && s.native->expect) r.note = "native expectations differ: " + s.native->why;
    if (options.goldens && !run.timed_out && !(differs && s.native->only))
      check_golden(s, impl, options, run, r.failures.empty(), r);
    if (!rerun_note.empty()) r.note = rerun_note + (r.note.empty() ? "" : "; " + r.note);
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

ScenarioResult run_scenario(const Scenario& s, const CheckOptions& options) {
  CheckOptions bash_only = options;
  bash_only.goldens = false;  // the module contract and API users check expectations only
  return run_scenario(s, Impl::Bash, bash_only);
}

ScenarioResult run_scenario_file(const fs::path& file, Impl impl, const CheckOptions& options) {
  try {
    return run_scenario(load_scenario(file), impl, options);
  } catch (const Error& e) {
    ScenarioResult r;
    r.file = file;
    r.name = file.parent_path().filename().string() + "/" + file.stem().string() + " [" + std::string(to_string(impl)) + "]";
    r.impl = to_string(impl);
    r.status = Status::Unresolved;
    r.error = e.what();
    return r;
  }
}

ScenarioResult run_scenario_file(const fs::path& file, const CheckOptions& options) {
  CheckOptions bash_only = options;
  bash_only.goldens = false;
  return run_scenario_file(file, Impl::Bash, bash_only);
}

std::vector<ScenarioResult> run_check(const std::vector<fs::path>& paths, const CheckOptions& options,
                                      const std::vector<Reporter*>& reporters) {
  struct Job {
    fs::path file;
    Impl impl;
  };
  std::vector<Job> jobs;
  for (const auto& f : find_scenario_files(paths)) {
    std::optional<Scenario> s;
    try {
      s = load_scenario(f);
    } catch (const Error&) {
      // a bad file is reported (UNRESOLVED, once), never silently filtered away
      jobs.push_back({f, options.impls.front()});
      continue;
    }
    if (options.filter != "*" && !glob_match(options.filter, scenario_display_name(*s))) continue;
    for (Impl impl : options.impls) {
      // --update writes goldens from the bash runs, so those run first, before any comparison
      if (runs_with(*s, impl)) jobs.push_back({f, impl});
    }
  }
  if (options.update_goldens) {
    std::stable_partition(jobs.begin(), jobs.end(), [](const Job& j) { return j.impl == Impl::Bash; });
  }
  for (auto* rep : reporters) rep->on_start(jobs.size());
  const auto start = std::chrono::steady_clock::now();
  std::vector<ScenarioResult> results(jobs.size());
  std::atomic<std::size_t> next{0}, done{0};
  std::mutex report_mutex;
  // With --update, a native run must wait for its scenario's bash run (which writes the golden).
  const std::size_t bash_jobs = options.update_goldens
      ? static_cast<std::size_t>(std::count_if(jobs.begin(), jobs.end(), [](const Job& j) { return j.impl == Impl::Bash; }))
      : 0;
  std::atomic<std::size_t> bash_done{0};
  auto worker = [&] {
    for (std::size_t i; (i = next++) < jobs.size();) {
      if (jobs[i].impl == Impl::Native)
        while (bash_done.load() < bash_jobs) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      results[i] = run_scenario_file(jobs[i].file, jobs[i].impl, options);
      if (jobs[i].impl == Impl::Bash) ++bash_done;
      std::lock_guard<std::mutex> lock(report_mutex);
      const std::size_t n = ++done;
      for (auto* rep : reporters) rep->on_result(results[i], n, jobs.size());
    }
  };
  std::vector<std::thread> pool;
  for (int j = 0; j < std::max(1, options.jobs); ++j) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  for (auto* rep : reporters) rep->on_finish(results, seconds_since(start));
  return results;
}

}  // namespace spotcheck

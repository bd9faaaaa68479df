// Scenario runs: load, run in a sandbox, evaluate expectations, keep the evidence of failures.
#include "spotcheck/check.hpp"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "seconds.hpp"
#include "spotcheck/contract.hpp"
#include "spotcheck/differ.hpp"
#include "spotcheck/error.hpp"
#include "spotcheck/install_layout.hpp"
#include "spotcheck/normalise.hpp"
#include "spotcheck/runner.hpp"

namespace spotcheck::harness {
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
  o.world_layers = s.world_layers;
  if (!s.fakes.empty()) o.rules = s.fakes;
  o.rules_source = s.file.string();
  o.rules_pointer = "/fakes";
  o.strict = s.strict;
  o.timeout_seconds = s.timeout_seconds;
  o.keep = true;  // decided after the verdict
  // The scenario's project brings its worlds and catalogs (spotcheck.json, or a tree's conventional layout).
  o.world_files = s.project.worlds;
  o.catalog_dirs = s.project.catalogs;
  o.stdout_fd = o.stderr_fd = -1;
  return o;
}

Status verdict(const Scenario& s, const RunResult& run, const std::vector<Failure>& failures) {
  if (run.timed_out) return Status::Timeout;
  const bool failed = !failures.empty();
  if (s.xfail) return failed ? Status::XFail : Status::XPass;
  return failed ? Status::Fail : Status::Pass;
}

// The recording against the scenario's golden (the bash launcher's normalised leaf calls).
void check_golden(const Scenario& s, Impl impl, const CheckOptions& options, const RunResult& run,
                  bool expectations_met, ScenarioResult& r) {
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
    r.failures.push_back({"golden",
                          "a golden recording " + golden.string(),
                          "none: run `spotcheck check --update` with the bash launcher",
                          {}});
    r.note = "no golden yet: `spotcheck check --update " + s.file.string() + "` writes it from the bash run";
    return;
  }
  const std::string label = std::string(to_string(impl)) + " run";
  const auto d = diff_leaf_calls(read_leaf_calls(golden), actual, DiffLabels{golden.filename().string(), label});
  if (d.equivalent) return;
  Failure f{"golden",
            "leaf calls equivalent to " + golden.filename().string() + " (the bash launcher's)",
            label + " diverges on " + std::to_string(d.hosts.size()) + " host(s)",
            {}};
  std::size_t start = 0;
  for (std::size_t nl; (nl = d.report.find('\n', start)) != std::string::npos; start = nl + 1)
    f.notes.push_back(d.report.substr(start, nl - start));
  r.failures.push_back(std::move(f));
}

// A failed run's sandbox, recording and output stay as evidence; a passing run leaves nothing behind.
void keep_or_remove(ScenarioResult& r, const RunResult& run, const CheckOptions& options) {
  std::error_code ec;
  if (!is_failure(r.status) && !options.keep) {
    fs::remove_all(run.run_dir, ec);
    return;
  }
  r.kept_dir = run.run_dir;
  std::ofstream(run.run_dir / "launcher.stdout") << run.launcher_stdout;
  std::ofstream(run.run_dir / "launcher.stderr") << run.launcher_stderr;
}

}  // namespace

std::string_view to_string(Impl impl) {
  return impl == Impl::Bash ? "bash" : "native";
}

std::vector<Impl> impls_for(const Scenario& s) {
  // A "native" difference only means something with both runs; a "module" alone may only name a group.
  const std::string impl = s.project.impl.value_or(s.native ? "both" : "bash");
  if (impl == "native") return {Impl::Native};
  if (impl == "both" && !s.module.empty()) return {Impl::Bash, Impl::Native};
  return {Impl::Bash};
}

bool runs_with(const Scenario& s, Impl impl) {
  return !(impl == Impl::Bash && s.native && s.native->only);
}

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
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  // One real-time limit for every phase of the run, not only the sandbox.
  const auto deadline = start + seconds(s.timeout_seconds);
  const auto enter = [&](Phase phase) {
    if (options.on_phase) options.on_phase(phase);
  };
  // A harness phase (not the launcher) that ends past the limit: the run can't be judged.
  const auto overran = [&](Phase phase) {
    return harness_error(r.name, fmt::format("harness fault: the {} phase overran the run's {:g} s time limit",
                                             to_string(phase), s.timeout_seconds));
  };
  RunResult run;
  try {
    if (impl == Impl::Native && s.module.empty())
      throw bad_input(s.file.string(), "can't run the native launcher: the scenario names no \"module\"");
    RunOptions o = options_for(s, impl, options);
    o.deadline = deadline;
    o.on_phase = enter;
    run = run_launcher(o);
    if (run.overran && *run.overran != Phase::Sandbox) throw overran(*run.overran);
    enter(Phase::Evaluation);
    const Observed observed = observed_of(run);
    const bool differs = impl == Impl::Native && s.native;
    r.failures = evaluate(differs && s.native->expect ? *s.native->expect : s.expect, observed);
    if (run.timed_out)
      r.failures.insert(r.failures.begin(), Failure{"time limit",
                                                    fmt::format("the run ends within {:g} s", s.timeout_seconds),
                                                    "still running in the sandbox phase at the limit: killed",
                                                    {}});
    if (Clock::now() >= deadline && !run.timed_out) throw overran(Phase::Evaluation);
    if (differs && s.native->only)
      r.note = "native only: " + s.native->why;
    else if (differs && s.native->expect)
      r.note = "native expectations differ: " + s.native->why;
    if (options.goldens && !run.timed_out && !(differs && s.native->only)) {
      enter(Phase::GoldenCheck);
      check_golden(s, impl, options, run, r.failures.empty(), r);
      if (Clock::now() >= deadline) throw overran(Phase::GoldenCheck);
    }
    r.status = verdict(s, run, r.failures);
    r.exit = run.exit;
    r.records = run.records.size();
    r.world_changes = run.world_changes;
  } catch (const Error& e) {
    r.status = e.kind() == ErrorKind::Unsupported ? Status::Unsupported : Status::Unresolved;
    r.error = e.what();
  } catch (const std::exception& e) {
    r.status = Status::Unresolved;
    r.error = std::string("harness fault: ") + e.what();
  }
  if (!run.run_dir.empty()) keep_or_remove(r, run, options);
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
    r.name =
        file.parent_path().filename().string() + "/" + file.stem().string() + " [" + std::string(to_string(impl)) + "]";
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

namespace {

struct Job {
  fs::path file;
  Impl impl;
  std::optional<Scenario> scenario;  // absent: the file did not load (reported UNRESOLVED, never run)
  std::string load_error;
  bool goldens = true;  // compared with the scenario's golden (not the module contract's)
};

// The jobs of one check, shared by the supervisor and its workers. A worker the supervisor gave up on
// still holds this board (shared_ptr), so the thread it is stuck in never touches freed memory.
struct Board {
  std::vector<Job> jobs;
  CheckOptions options;
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t next = 0;      // the next job to start
  std::vector<Phase> phase;  // per job, while it runs
  std::vector<std::optional<std::chrono::steady_clock::time_point>> started;
  std::vector<bool> abandoned;  // stuck past its limit: reported by the supervisor
  std::vector<bool> reported;
  std::vector<std::optional<ScenarioResult>> finished;  // results not yet reported
  std::size_t bash_jobs = 0, bash_done = 0;             // --update: native runs wait for the goldens
  int live_workers = 0;                                 // workers not abandoned
};

ScenarioResult unloadable(const Job& job) {
  ScenarioResult r;
  r.file = job.file;
  r.name = job.file.parent_path().filename().string() + "/" + job.file.stem().string() + " [" +
           std::string(to_string(job.impl)) + "]";
  r.impl = to_string(job.impl);
  r.status = Status::Unresolved;
  r.error = job.load_error;
  return r;
}

// Takes jobs until none is left; ends early when the supervisor abandoned the job it was stuck in.
void work(const std::shared_ptr<Board>& board) {
  std::unique_lock<std::mutex> lock(board->mutex);
  while (board->next < board->jobs.size()) {
    const std::size_t i = board->next++;
    const Job& job = board->jobs[i];
    if (job.impl == Impl::Native) board->changed.wait(lock, [&] { return board->bash_done >= board->bash_jobs; });
    board->started[i] = std::chrono::steady_clock::now();
    board->phase[i] = Phase::Preparation;
    CheckOptions options = board->options;
    options.goldens = options.goldens && job.goldens;
    // A run the supervisor gave up on stops at its next phase boundary (unwinding removes what it made)
    // instead of going on with a sandbox no one will look at.
    const auto stop_if_abandoned = [board, i] {
      if (board->abandoned[i]) throw harness_error("", "abandoned by check");
    };
    options.on_phase = [board, i, stop_if_abandoned, hook = board->options.on_phase](Phase phase) {
      {
        std::lock_guard<std::mutex> guard(board->mutex);
        board->phase[i] = phase;
        stop_if_abandoned();
      }
      if (hook) hook(phase);
      std::lock_guard<std::mutex> guard(board->mutex);
      stop_if_abandoned();
    };
    lock.unlock();
    ScenarioResult result = job.scenario ? run_scenario(*job.scenario, job.impl, options) : unloadable(job);
    lock.lock();
    if (board->abandoned[i]) {
      // Already reported as stuck, and a replacement worker took this one's place: leave nothing behind.
      std::error_code ec;
      if (!result.kept_dir.empty()) fs::remove_all(result.kept_dir, ec);
      return;
    }
    if (job.impl == Impl::Bash) ++board->bash_done;
    board->finished[i] = std::move(result);
    board->changed.notify_all();
  }
  --board->live_workers;
  board->changed.notify_all();
}

void start_worker(const std::shared_ptr<Board>& board) {
  ++board->live_workers;
  std::thread([board] { work(board); }).detach();
}

void add_jobs(std::vector<Job>& jobs, const fs::path& file, const Scenario& s, const CheckOptions& options,
              bool goldens) {
  if (options.filter != "*" && !glob_match(options.filter, scenario_display_name(s))) return;
  for (Impl impl : options.impls.value_or(impls_for(s))) {
    if (runs_with(s, impl)) jobs.push_back({file, impl, s, "", goldens});
  }
}

// The module contract's scenarios for every launcher the projects of `paths` name (no goldens: the
// contract's claims are its expectations).
void add_contract_jobs(std::vector<Job>& jobs, const std::vector<fs::path>& paths, const CheckOptions& options) {
  std::set<fs::path> seen;
  for (const auto& path : paths) {
    const Project project = project_for(path);
    if (!seen.insert(project.root).second) continue;
    for (const auto& launcher : project.contract_launchers()) {
      try {
        for (const auto& s : module_contract(project, launcher)) add_jobs(jobs, launcher, s, options, false);
      } catch (const Error& e) {
        jobs.push_back({launcher, Impl::Bash, std::nullopt, e.what(), false});
      }
    }
  }
}

std::vector<Job> plan_jobs(const std::vector<fs::path>& paths, const CheckOptions& options) {
  std::vector<Job> jobs;
  for (const auto& f : check_scenario_files(paths)) {
    Scenario s;
    try {
      s = load_scenario(f);
    } catch (const Error& e) {
      // a bad file is reported (UNRESOLVED, once), never silently filtered away
      jobs.push_back({f, options.impls ? options.impls->front() : Impl::Bash, std::nullopt, e.what(), true});
      continue;
    }
    add_jobs(jobs, f, s, options, options.goldens);
  }
  if (options.contract) add_contract_jobs(jobs, paths, options);
  // --update writes goldens from the bash runs, so those run first, before any comparison
  if (options.update_goldens)
    std::stable_partition(jobs.begin(), jobs.end(), [](const Job& j) { return j.impl == Impl::Bash; });
  return jobs;
}

}  // namespace

std::vector<fs::path> check_scenario_files(const std::vector<fs::path>& paths) {
  std::vector<fs::path> out;
  for (const auto& f : find_scenario_files(paths)) {
    try {
      if (project_for(f).is_data_file(f)) continue;  // a world or catalog the project names, not a scenario
    } catch (const Error&) {
      // a bad project file is reported by the scenario's own load
    }
    out.push_back(f);
  }
  return out;
}

std::vector<ScenarioResult> run_check(const std::vector<fs::path>& paths, const CheckOptions& options,
                                      const std::vector<Reporter*>& reporters) {
  using Clock = std::chrono::steady_clock;
  auto board = std::make_shared<Board>();
  board->jobs = plan_jobs(paths, options);
  board->options = options;
  const std::size_t total = board->jobs.size();
  board->phase.assign(total, Phase::Preparation);
  board->started.assign(total, std::nullopt);
  board->abandoned.assign(total, false);
  board->reported.assign(total, false);
  board->finished.assign(total, std::nullopt);
  if (options.update_goldens)
    board->bash_jobs = static_cast<std::size_t>(
        std::count_if(board->jobs.begin(), board->jobs.end(), [](const Job& j) { return j.impl == Impl::Bash; }));
  for (auto* rep : reporters) rep->on_start(total);
  const auto start = Clock::now();
  std::vector<ScenarioResult> results(total);
  std::size_t reported = 0;
  std::unique_lock<std::mutex> lock(board->mutex);
  for (int j = 0; j < std::max(1, options.jobs); ++j) start_worker(board);
  const auto report = [&](std::size_t i, ScenarioResult r) {
    results[i] = std::move(r);
    ++reported;
    lock.unlock();
    for (auto* rep : reporters) rep->on_result(results[i], reported, total);
    lock.lock();
  };
  // The supervisor: reports results as they come, and gives up on a run stuck past its limit plus a
  // grace (a harness fault: the run's own limit did not end it), so `check` never waits forever.
  while (reported < total) {
    std::optional<Clock::time_point> wake;
    for (std::size_t i = 0; i < total; ++i) {
      if (!board->started[i] || board->finished[i] || board->reported[i] || !board->jobs[i].scenario) continue;
      const auto limit =
          *board->started[i] + seconds(board->jobs[i].scenario->timeout_seconds + options.stuck_grace_seconds);
      if (Clock::now() >= limit) {
        board->abandoned[i] = board->reported[i] = true;
        if (board->jobs[i].impl == Impl::Bash) ++board->bash_done;  // --update's native runs wait no longer
        board->changed.notify_all();
        ScenarioResult r = unloadable(board->jobs[i]);
        r.name =
            scenario_display_name(*board->jobs[i].scenario) + " [" + std::string(to_string(board->jobs[i].impl)) + "]";
        r.error = fmt::format(
            "harness fault: the run was still in its {} phase {:g} s after its {:g} s time limit; abandoned "
            "so the rest of the suite goes on",
            to_string(board->phase[i]), options.stuck_grace_seconds, board->jobs[i].scenario->timeout_seconds);
        r.seconds = std::chrono::duration<double>(Clock::now() - *board->started[i]).count();
        r.abandoned = true;
        --board->live_workers;
        start_worker(board);
        report(i, std::move(r));
        continue;
      }
      wake = wake ? std::min(*wake, limit) : limit;
    }
    for (std::size_t i = 0; i < total; ++i) {
      if (board->finished[i]) {
        ScenarioResult r = std::move(*board->finished[i]);
        board->finished[i].reset();
        board->reported[i] = true;
        report(i, std::move(r));
      }
    }
    if (reported >= total) break;
    const auto ready = [&] {
      return std::any_of(board->finished.begin(), board->finished.end(), [](const auto& f) { return f.has_value(); });
    };
    if (wake)
      board->changed.wait_until(lock, *wake, ready);
    else
      board->changed.wait(lock, ready);
  }
  // Every job is reported; the workers still live are leaving (none is stuck, or it was abandoned).
  board->changed.wait(lock, [&] { return board->live_workers == 0; });
  lock.unlock();
  for (auto* rep : reporters) rep->on_finish(results, seconds_since(start));
  return results;
}

}  // namespace spotcheck::harness

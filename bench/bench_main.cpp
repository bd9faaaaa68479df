// spotcheck-bench: the cost of one fake call and of one whole preflight run against their floors, native vs
// bash, and the whole bundled suite, side by side in one run.
#include <fmt/core.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <exception>
#include <string>

#include "bench.hpp"

namespace spotcheck::bench {
namespace {

constexpr double kCallTarget = 1.2;           // a fake call vs a static no-op
constexpr double kRunTarget = 1.3;            // spotcheck run vs the floor
constexpr double kExploreTargetSeconds = 60;  // backtester --preflight-only, depth 1, every kind, -j 2
constexpr double kSuiteTargetSeconds = 30;    // the whole bundled suite, --impl both -j 2, on 2 cores

struct Options {
  int calls = 200;
  int rounds = 7;
  bool skip_calls = false;
  bool skip_run = false;
  bool skip_native = false;
  bool skip_suite = false;
  bool skip_explore = false;
  int suite_rounds = 3;
  double timeout_seconds = 300;
  Locations where{SPOTCHECK_BIN_DIR, "", SPOTCHECK_SOURCE_DIR};
};

fs::path own_bin_dir() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path(SPOTCHECK_BIN_DIR) : self.parent_path();
}

// The spread over the rounds, so a reader can see how much noise the medians sat in.
std::string range(const Figure& f, int decimals) {
  const auto [lo, hi] = std::minmax_element(f.ms.begin(), f.ms.end());
  return fmt::format("range {:.{}f} .. {:.{}f}", *lo, decimals, *hi, decimals);
}

std::string verdict(double ratio, double target) {
  return fmt::format("target <= {:.2f}x: {}", target, ratio <= target ? "met" : "NOT met");
}

void print_calls(const CallResult& r, const Options& o) {
  fmt::print("one call (median of {} rounds x {} calls, variants interleaved)\n", o.rounds, o.calls);
  const double base = r.figures.at(0).median_ms();
  double worst_call = 0;
  double worst_fake = 0;
  for (const auto& f : r.figures) {
    const double ratio = f.median_ms() / base;
    const std::string shown = &f == &r.figures[0] ? "" : fmt::format("{:.2f}x", ratio);
    fmt::print("  {:<24} {:6.2f} ms  {:>6}   {}\n", f.label, f.median_ms(), shown, range(f, 2));
    if (f.label.rfind("call:", 0) == 0) worst_call = std::max(worst_call, ratio);
    if (f.label.rfind("fake/call:", 0) == 0) worst_fake = std::max(worst_fake, ratio);
  }
  fmt::print(
      "  a launcher's call (through the run's call server) vs static no-op, worst {:.2f}x ({});\n"
      "  the fake started per call (a spot host's calls) {:.2f}x; {}\n\n",
      worst_call, verdict(worst_call, kCallTarget), worst_fake, r.world_note);
}

void print_side(const RunSide& s, const std::string& ratio, const std::string& extra) {
  if (s.figure.ms.empty()) return;
  fmt::print("  {:<22} {:6.0f} ms  {:>6}   exit {}   {}{}\n", s.figure.label, s.figure.median_ms(), ratio,
             s.exit_status, range(s.figure, 0), extra);
  if (s.exit_status != 0)
    fmt::print("    FAILED: a failed run's time is meaningless; its stderr ends:\n{}\n", s.failure);
}

void print_runs(const RunResult& r, const Options& o) {
  fmt::print("whole preflight run (median of {} interleaved pairs, after one warm-up pair)\n", o.rounds);
  print_side(r.floor, "", "");
  const bool both_ok = r.floor.exit_status == 0 && r.harness.exit_status == 0;
  const double ratio = r.harness.figure.median_ms() / r.floor.figure.median_ms();
  const std::string shown = both_ok ? fmt::format("{:.2f}x", ratio) : "";
  print_side(r.harness, shown, fmt::format("   ({} records, {} ssh calls)", r.records, r.ssh_calls));
  if (r.harness.figure.ms.empty())
    fmt::print("  spotcheck run          FAILED (exit {}), not timed; its stderr ends:\n{}\n", r.harness.exit_status,
               r.harness.failure);
  if (both_ok) fmt::print("  spotcheck run vs floor {:.2f}x ({})\n", ratio, verdict(ratio, kRunTarget));
  fmt::print("\n");
}

void print_native(const NativeResult& r, const Options& o) {
  fmt::print("native vs bash: the backtester preflight run under spotcheck (median of {} interleaved pairs)\n",
             o.rounds);
  print_side(r.bash, "", "");
  const bool both_ok = r.bash.exit_status == 0 && r.native.exit_status == 0;
  const double ratio = both_ok ? r.native.figure.median_ms() / r.bash.figure.median_ms() : 0;
  print_side(r.native, both_ok ? fmt::format("{:.2f}x", ratio) : "", "");
  if (!both_ok) {
    fmt::print("  FAILED (bash exit {}, native exit {}), not timed:\n{}{}\n", r.bash.exit_status, r.native.exit_status,
               r.bash.failure, r.native.failure);
  } else {
    fmt::print("  native vs bash {:.2f}x (target: not slower, <= 1.00x: {})\n", ratio,
               ratio <= 1.0 ? "met" : "NOT met");
  }
  fmt::print("\n");
}

void print_suite(const SuiteResult& r) {
  fmt::print("whole bundled suite (median of {} rounds, {} runs each: every scenario by bash and native)\n",
             r.side.figure.ms.size(), r.runs);
  const auto& f = r.side.figure;
  if (r.side.exit_status != 0 || f.ms.empty()) {
    fmt::print("  check FAILED (exit {}, {} of {} passed), not timed; its stderr ends:\n{}\n", r.side.exit_status,
               r.passed, r.runs, r.side.failure);
    return;
  }
  const auto [lo, hi] = std::minmax_element(f.ms.begin(), f.ms.end());
  const double seconds = f.median_ms() / 1000;
  fmt::print("  {:<22} {:6.1f} s            {} of {} passed   range {:.1f} .. {:.1f} s\n", f.label, seconds, r.passed,
             r.runs, *lo / 1000, *hi / 1000);
  fmt::print("  whole suite {:.1f} s (target <= {:.0f} s: {})\n\n", seconds, kSuiteTargetSeconds,
             seconds <= kSuiteTargetSeconds ? "met" : "NOT met");
}

void print_explore(const ExploreResult& r) {
  fmt::print("exploration: spotcheck explore -j 2 -- launchers/spot_backtest.sh --preflight-only (every fault kind)\n");
  if (r.side.exit_status != 0 || r.side.figure.ms.empty()) {
    fmt::print("  explore FAILED (exit {}); its stderr ends:\n{}\n", r.side.exit_status, r.side.failure);
    return;
  }
  const double seconds = r.side.figure.median_ms() / 1000;
  fmt::print("  {:<22} {:6.1f} s            {} fault runs, {} with violations\n", r.side.figure.label, seconds, r.runs,
             r.violations);
  fmt::print("  exploration {:.1f} s (target <= {:.0f} s: {})\n\n", seconds, kExploreTargetSeconds,
             seconds <= kExploreTargetSeconds ? "met" : "NOT met");
}

int bench_main(int argc, char** argv) {
  Options o;
  std::string bin_dir = o.where.project_bin.string(), source_dir = o.where.source.string();
  CLI::App app{"spotcheck-bench: the cost of a fake call and of a hermetic run, against their floors"};
  app.add_option("--calls", o.calls, "Calls per round in the one-call benchmark")->check(CLI::PositiveNumber);
  app.add_option("--rounds", o.rounds, "Rounds (one-call) and interleaved pairs (whole run)")
      ->check(CLI::PositiveNumber);
  app.add_flag("--skip-calls", o.skip_calls, "Skip the one-call benchmark");
  app.add_flag("--skip-run", o.skip_run, "Skip the whole-run benchmark");
  app.add_flag("--skip-native", o.skip_native, "Skip the native-vs-bash benchmark");
  app.add_flag("--skip-suite", o.skip_suite, "Skip the whole-suite benchmark");
  app.add_flag("--skip-explore", o.skip_explore, "Skip the exploration benchmark");
  app.add_option("--suite-rounds", o.suite_rounds, "Rounds of the whole suite")->check(CLI::PositiveNumber);
  app.add_option("--timeout", o.timeout_seconds, "Seconds before a whole run is killed");
  app.add_option("--bin-dir", bin_dir, "The project's bin dir (spotcheck, shims/)")->check(CLI::ExistingDirectory);
  app.add_option("--source-dir", source_dir, "The project's source dir (launchers, scenarios)")
      ->check(CLI::ExistingDirectory);
  CLI11_PARSE(app, argc, argv);
  o.where = {bin_dir, own_bin_dir(), source_dir};

  fmt::print("spotcheck-bench: binaries in {}, load average {}\n\n", o.where.project_bin.string(), load_average());
  int status = 0;
  try {
    if (!o.skip_calls) print_calls(measure_calls(o.where, o.calls, o.rounds), o);
  } catch (const std::exception& e) {
    fmt::print("one call: FAILED: {}\n\n", e.what());
    status = 1;
  }
  try {
    if (!o.skip_run) {
      const RunResult r = measure_runs(o.where, o.rounds, o.timeout_seconds);
      print_runs(r, o);
      if (r.floor.exit_status != 0 || r.harness.exit_status != 0) status = 1;
    }
  } catch (const std::exception& e) {
    fmt::print("whole run: FAILED: {}\n\n", e.what());
    status = 1;
  }
  try {
    if (!o.skip_native) {
      const NativeResult r = measure_native(o.where, o.rounds, o.timeout_seconds);
      print_native(r, o);
      if (r.bash.exit_status != 0 || r.native.exit_status != 0) status = 1;
    }
  } catch (const std::exception& e) {
    fmt::print("native vs bash: FAILED: {}\n\n", e.what());
    status = 1;
  }
  try {
    if (!o.skip_suite) {
      const SuiteResult r = measure_suite(o.where, o.suite_rounds, 60 * o.timeout_seconds);
      print_suite(r);
      if (r.side.exit_status != 0) status = 1;
    }
  } catch (const std::exception& e) {
    fmt::print("whole suite: FAILED: {}\n\n", e.what());
    status = 1;
  }
  try {
    if (!o.skip_explore) {
      const ExploreResult r = measure_explore(o.where, 30 * o.timeout_seconds);
      print_explore(r);
      if (r.side.exit_status != 0) status = 1;
    }
  } catch (const std::exception& e) {
    fmt::print("exploration: FAILED: {}\n\n", e.what());
    status = 1;
  }
  fmt::print("load average at the end: {}\n", load_average());
  return status;
}

}  // namespace
}  // namespace spotcheck::bench

int main(int argc, char** argv) {
  return spotcheck::bench::bench_main(argc, argv);
}

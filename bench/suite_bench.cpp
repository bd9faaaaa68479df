// spotcheck-bench, the whole bundled suite: `spotcheck check --impl both -j 2 scenarios/`, every scenario
// by the bash launcher and by the native one, as CI runs it (target: <= 30 s on 2 cores).
#include <sstream>

#include "bench.hpp"

extern char** environ;

namespace spotcheck::bench {
namespace {

// Verdict lines in check's report ("PASS: backtester/x [bash]"): the number of runs, and how many passed.
void count_verdicts(const fs::path& report, SuiteResult& r) {
  std::istringstream lines(read_text(report));
  r.runs = r.passed = 0;
  for (std::string line; std::getline(lines, line);) {
    for (const char* verdict : {"PASS:", "XFAIL:", "FAIL:", "XPASS:", "UNRESOLVED:", "TIMEOUT:"}) {
      if (line.rfind(verdict, 0) != 0) continue;
      ++r.runs;
      if (line.rfind("PASS:", 0) == 0 || line.rfind("XFAIL:", 0) == 0) ++r.passed;
    }
  }
}

}  // namespace

SuiteResult measure_suite(const Locations& where, int rounds, double timeout_seconds) {
  ScratchDir scratch("spotcheck-bench-suite");
  Command c;
  c.path = (where.project_bin / "spotcheck").string();
  c.argv = {"spotcheck", "check", "--impl", "both", "-j", "2", (where.source / "scenarios").string()};
  for (char** e = environ; *e; ++e) c.env.emplace_back(*e);
  c.stdout_path = (scratch.path() / "report.txt").string();
  c.stderr_path = (scratch.path() / "check.err").string();
  c.own_process_group = true;
  const Spawner suite(c);
  SuiteResult r;
  r.side.figure.label = "check --impl both -j 2";
  for (int k = 0; k < rounds; ++k) {
    timed_run(suite, timeout_seconds, r.side);
    count_verdicts(c.stdout_path, r);
    if (r.side.exit_status != 0) break;  // a failing suite's time means nothing
  }
  return r;
}

}  // namespace spotcheck::bench

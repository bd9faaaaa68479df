// spotcheck-bench, exploration: `spotcheck explore -j 2` of the backtester's --preflight-only run at depth 1
// with every fault kind (target: <= 60 s on 2 cores). Its violations are findings, not a failed measurement.
#include <nlohmann/json.hpp>

#include "bench.hpp"

extern char** environ;

namespace spotcheck::bench {

ExploreResult measure_explore(const Locations& where, double timeout_seconds) {
  ScratchDir scratch("spotcheck-bench-explore");
  const fs::path report = scratch.path() / "explore.json";
  Command c;
  c.path = (where.project_bin / "spotcheck").string();
  c.argv = {"spotcheck",
            "explore",
            "-j",
            "2",
            "--json",
            report.string(),
            "--project",
            (where.source / "spotcheck.json").string(),
            "--",
            where.launcher().string(),
            "--preflight-only"};
  for (char** e = environ; *e; ++e) c.env.emplace_back(*e);
  c.stdout_path = (scratch.path() / "explore.out").string();
  c.stderr_path = (scratch.path() / "explore.err").string();
  c.own_process_group = true;
  ExploreResult r;
  r.side.figure.label = "explore -j 2 (depth 1)";
  timed_run(Spawner(c), timeout_seconds, r.side);
  if (r.side.exit_status == 1) r.side.exit_status = 0;  // 1: violations found, which is explore's job
  if (r.side.exit_status == 0 && fs::exists(report)) {
    const auto j = nlohmann::json::parse(read_text(report));
    r.runs = j.at("runs").size();
    r.violations = j.at("violations").get<std::size_t>();
  }
  return r;
}

}  // namespace spotcheck::bench

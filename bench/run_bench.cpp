// spotcheck-bench, a whole run: `spotcheck run` of the preflight vs the floor, in interleaved pairs.
#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "bench.hpp"

extern char** environ;

namespace spotcheck::bench {
namespace {

// Records in a recording, and how many of them are ssh calls (the transport to the spot).
void count_records(const fs::path& recording, RunResult& result) {
  std::istringstream lines(read_text(recording));
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    const auto record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_discarded()) continue;
    ++result.records;
    if (record.value("tool", "") == "ssh") ++result.ssh_calls;
  }
}

}  // namespace

Command spotcheck_run_command(const Locations& where, const fs::path& stderr_path, const std::string& record,
                              const std::vector<std::string>& launcher) {
  Command c;
  c.path = (where.project_bin / "spotcheck").string();
  // This tree's project (its demo world and catalog), wherever the bench is started from.
  c.argv = {"spotcheck", "run", "--project", (where.source / "spotcheck.json").string()};
  if (!record.empty()) c.argv.insert(c.argv.end(), {"--record", record});
  c.argv.emplace_back("--");
  c.argv.insert(c.argv.end(), launcher.begin(), launcher.end());
  for (char** e = environ; *e; ++e) c.env.emplace_back(*e);  // the harness rebuilds the sandbox's own
  c.stderr_path = stderr_path.string();
  c.own_process_group = true;
  return c;
}

void warm_up(const Spawner& spawner, double timeout_seconds, RunSide& side) {
  RunSide warm;
  timed_run(spawner, timeout_seconds, warm);
  side.exit_status = warm.exit_status;
  side.failure = warm.failure;
}

// One timed run (ms); a non-zero exit is kept, with its stderr, so the table can say the time is void.
void timed_run(const Spawner& spawner, double timeout_seconds, RunSide& side) {
  int status = 0;
  std::string failure;
  const auto start = std::chrono::steady_clock::now();
  try {
    status = spawner.run(timeout_seconds);
  } catch (const std::runtime_error& e) {  // could not even start: keep going, the other side is timed
    status = 127;
    failure = e.what();
  }
  const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
  side.figure.ms.push_back(took.count());
  if (status != 0 && side.exit_status == 0) {
    side.exit_status = status;
    side.failure = failure.empty() ? tail_lines(read_text(spawner.command().stderr_path), 8) : failure;
  }
}

RunResult measure_runs(const Locations& where, int rounds, double timeout_seconds) {
  ScratchDir scratch("spotcheck-bench-runs");
  const Floor floor(where, scratch.path() / "floor");
  const Spawner floor_run(floor.command());
  const fs::path record = scratch.path() / "recording.jsonl";
  const std::vector<std::string> launcher = {where.launcher().string(), "--preflight-only"};
  const fs::path err = scratch.path() / "harness.err";
  const Spawner recorded_run(spotcheck_run_command(where, err, record.string(), launcher));
  const Spawner harness_run(spotcheck_run_command(where, err, "", launcher));

  RunResult result;
  result.floor.figure.label = "floor (no harness)";
  result.harness.figure.label = "spotcheck run";
  // Warm-up pair (not in the figures): checks both exit 0 and takes the recording's counts.
  warm_up(floor_run, timeout_seconds, result.floor);
  warm_up(recorded_run, timeout_seconds, result.harness);
  if (fs::exists(record)) count_records(record, result);

  const auto run_floor = [&] {
    floor.reset_home();
    timed_run(floor_run, timeout_seconds, result.floor);
  };
  const auto run_harness = [&] { timed_run(harness_run, timeout_seconds, result.harness); };
  const bool harness_works = result.harness.exit_status == 0;  // a failed run's time means nothing
  for (int r = 0; r < rounds; ++r) {                           // alternate which side goes first
    if (!harness_works)
      run_floor();
    else if (r % 2 == 0) {
      run_floor();
      run_harness();
    } else {
      run_harness();
      run_floor();
    }
  }
  return result;
}

}  // namespace spotcheck::bench

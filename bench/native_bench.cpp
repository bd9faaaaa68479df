// spotcheck-bench, native vs bash: the same preflight run under the same fakes, by
// `spot-launch backtester` and by `spot_backtest.sh`, in interleaved pairs (target: native not slower).
#include "bench.hpp"

extern char** environ;

namespace spotcheck::bench {
namespace {

Command run_command(const Locations& where, const fs::path& scratch, const std::vector<std::string>& launcher,
                    const std::string& name) {
  Command c;
  c.path = (where.project_bin / "spotcheck").string();
  c.argv = {"spotcheck", "run", "--"};
  c.argv.insert(c.argv.end(), launcher.begin(), launcher.end());
  for (char** e = environ; *e; ++e) c.env.emplace_back(*e);
  c.stderr_path = (scratch / (name + ".err")).string();
  c.own_process_group = true;
  return c;
}

}  // namespace

NativeResult measure_native(const Locations& where, int rounds, double timeout_seconds) {
  ScratchDir scratch("spotcheck-bench-native");
  const Spawner bash(run_command(where, scratch.path(), {where.launcher().string(), "--preflight-only"}, "bash"));
  const Spawner native(run_command(where, scratch.path(),
                                   {(where.project_bin / "spot-launch").string(), "backtester", "--preflight-only"}, "native"));
  NativeResult r;
  r.bash.figure.label = "bash spot_backtest.sh";
  r.native.figure.label = "native spot-launch";
  RunSide warm_bash, warm_native;  // one warm-up pair, not in the figures
  timed_run(bash, timeout_seconds, warm_bash);
  timed_run(native, timeout_seconds, warm_native);
  r.bash.exit_status = warm_bash.exit_status;
  r.bash.failure = warm_bash.failure;
  r.native.exit_status = warm_native.exit_status;
  r.native.failure = warm_native.failure;
  if (r.bash.exit_status != 0 || r.native.exit_status != 0) return r;
  for (int k = 0; k < rounds; ++k) {  // alternate which side goes first
    if (k % 2 == 0) { timed_run(bash, timeout_seconds, r.bash); timed_run(native, timeout_seconds, r.native); }
    else { timed_run(native, timeout_seconds, r.native); timed_run(bash, timeout_seconds, r.bash); }
  }
  return r;
}

}  // namespace spotcheck::bench

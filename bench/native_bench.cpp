// spotcheck-bench, native vs bash: the same preflight run under the same fakes, by
// `spot-launch backtester` and by `spot_backtest.sh`, in interleaved pairs (target: native not slower).
#include "bench.hpp"

namespace spotcheck::bench {

NativeResult measure_native(const Locations& where, int rounds, double timeout_seconds) {
  ScratchDir scratch("spotcheck-bench-native");
  const Spawner bash(
      spotcheck_run_command(where, scratch.path() / "bash.err", "", {where.launcher().string(), "--preflight-only"}));
  const Spawner native(
      spotcheck_run_command(where, scratch.path() / "native.err", "",
                            {(where.project_bin / "spot-launch").string(), "backtester", "--preflight-only"}));
  NativeResult r;
  r.bash.figure.label = "bash spot_backtest.sh";
  r.native.figure.label = "native spot-launch";
  warm_up(bash, timeout_seconds, r.bash);  // one warm-up pair, not in the figures
  warm_up(native, timeout_seconds, r.native);
  if (r.bash.exit_status != 0 || r.native.exit_status != 0) return r;
  for (int k = 0; k < rounds; ++k) {  // alternate which side goes first
    if (k % 2 == 0) {
      timed_run(bash, timeout_seconds, r.bash);
      timed_run(native, timeout_seconds, r.native);
    } else {
      timed_run(native, timeout_seconds, r.native);
      timed_run(bash, timeout_seconds, r.bash);
    }
  }
  return r;
}

}  // namespace spotcheck::bench

#!/usr/bin/env bash
# Sanitizer job (part of scripts/test.sh): builds the harness, the fakes (dynamically linked) and the
# native launcher with PRESET (asan: AddressSanitizer + UBSan; tsan: ThreadSanitizer), then runs a
# bounded subset: the unit tests of the concurrent and I/O paths (explore's parallel fault runs among them), and `check -j 4 --impl both` over a
# dozen scenarios of two modules. Any sanitizer report fails it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
preset=${1:?usage: scripts/sanitizers.sh asan|tsan}
dir=build-$preset
tests=(test_state test_record test_runner test_check test_rules test_scenario test_expectations test_normalise
  test_differ test_harness_faults test_explore test_project test_world_skeleton)
scripts/setup.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --target spotcheck spotcheck-fake spotcheck-shims spot-launch "${tests[@]}"

export ASAN_OPTIONS="abort_on_error=0:halt_on_error=1:exitcode=86"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=86"
export TSAN_OPTIONS="halt_on_error=1:exitcode=86"

start=$(date +%s)
for t in "${tests[@]}"; do
  "$dir/bin/$t" --gtest_brief=1
done
scenarios=()
for module in backtester data; do
  for s in dry-run-calls-neither-aws-nor-ssh unknown-flag-exits-2-before-any-aws-call preflight-only-makes-no-writes \
    full-run-uploads-and-sends-one-heartbeat spot-reclaimed-mid-run-relaunches-once-and-succeeds \
    dispatcher-sigterm-mid-preflight-terminates-and-exits-143; do
    scenarios+=("scenarios/$module/$s.json")
  done
done
"$dir/bin/spotcheck" check -j 4 --impl both "${scenarios[@]}"
echo "sanitizers: $preset subset passed in $(($(date +%s) - start)) s"

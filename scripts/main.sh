#!/usr/bin/env bash
# The main job: the backtester launcher under spotcheck (--preflight-only, then the full run), each with
# its timeline and effect counts; then the bundled scenario suite over every launcher, with its report.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/build.sh default >/dev/null
status=0
for mode in "--preflight-only" ""; do
  echo
  echo "════ spotcheck run -- launchers/spot_backtest.sh ${mode:-(full run)} ════"
  # shellcheck disable=SC2086 # an empty mode means no argument
  build/bin/spotcheck run -- launchers/spot_backtest.sh $mode || status=$?
done
echo
echo "════ spotcheck check -j 2 scenarios/ ════"
build/bin/spotcheck check -j 2 --junit build/scenarios.junit.xml --json build/scenarios.json scenarios/ || status=$?
exit "$status"

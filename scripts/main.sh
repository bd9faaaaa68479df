#!/usr/bin/env bash
# The main job: the backtester launcher under spotcheck (--preflight-only, then the full run), each with
# its timeline and effect counts; the native spot-launch's preflight run diffed against the bash one;
# then the bundled scenario suite over every launcher, bash and native, with its report.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/build.sh default >/dev/null
status=0
out=build/main
mkdir -p "$out"
for mode in "--preflight-only" ""; do
  echo
  echo "════ spotcheck run -- launchers/spot_backtest.sh ${mode:-(full run)} ════"
  # shellcheck disable=SC2086 # an empty mode means no argument
  build/bin/spotcheck run --record "$out/bash${mode:+-preflight}.jsonl" -- launchers/spot_backtest.sh $mode || status=$?
done
echo
echo "════ spotcheck diff: bash vs native (spot-launch backtester --preflight-only) ════"
build/bin/spotcheck run --record "$out/native-preflight.jsonl" -- build/bin/spot-launch backtester --preflight-only \
  >/dev/null 2>&1 || status=$?
build/bin/spotcheck diff "$out/bash-preflight.jsonl" "$out/native-preflight.jsonl" || status=$?
echo
echo "════ spotcheck check -j 2 --impl both scenarios/ ════"
build/bin/spotcheck check -j 2 --impl both --junit build/scenarios.junit.xml --json build/scenarios.json scenarios/ \
  || status=$?
exit "$status"

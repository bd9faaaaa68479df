#!/usr/bin/env bash
# Stress test of `spotcheck check` under concurrency (ctest label `stress`):
#  1. ROUNDS back-to-back `check -j 4 --impl both` runs of the short scenarios (dry run, unknown flag,
#     missing config, image gap, preflight; the module rotates each round): 0 hangs, 0 runs that are
#     not PASS, 0 spotcheck-run-* directories and 0 processes left behind (counted from /proc);
#  2. `check -j 8` over the whole bundled suite gives the same verdict for every scenario as `-j 1`,
#     and both pass (exit 0).
# Usage: tests/stress_check.sh SPOTCHECK_BINARY SOURCE_DIR [ROUNDS]   (SKIP_WHOLE_SUITE=1 skips part 2)
set -euo pipefail
spotcheck=$1
src=$2
rounds=${3:-50}
limit=300  # seconds one check may take before it counts as a hang

work=$(mktemp -d "${TMPDIR:-/tmp}/spotcheck-stress-XXXXXX")
trap 'rm -rf "$work"' EXIT
export TMPDIR="$work/tmp"  # the runs' directories, counted below
mkdir -p "$TMPDIR"

# Live processes of spotcheck's making: bwrap, the fake, the CLI, and anything in a sandbox (its
# launcher environment carries SPOTCHECK_ROOT). Zombies have ended; they wait for init to reap them.
harness_processes() {
  local pid comm state
  for pid in /proc/[0-9]*; do
    comm=$(cat "$pid/comm" 2>/dev/null) || continue
    state=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "$pid/status" 2>/dev/null) || continue
    [ "$state" = Z ] && continue
    case "$comm" in
      bwrap | spotcheck | spotcheck-fake | spot-launch) echo "${pid#/proc/} $comm"; continue ;;
    esac
    if tr '\0' '\n' 2>/dev/null <"$pid/environ" | grep -q '^SPOTCHECK_ROOT='; then echo "${pid#/proc/} $comm"; fi
  done
}

# "STATUS: module/name [impl]" per run, sorted: the verdicts without timings or progress counts.
verdicts() { sed -n -E 's/^(PASS|FAIL|XFAIL|XPASS|UNRESOLVED|TIMEOUT|UNSUPPORTED): (.*) \([0-9]+ of [0-9]+, [0-9.]+s\)$/\1: \2/p' "$1" | sort; }

failures=0
fail() {
  echo "stress: FAIL: $*" >&2
  failures=$((failures + 1))
}

harness_processes >"$work/before.ps"
before=$(wc -l <"$work/before.ps")
modules=(backtester data predictor)
short=(dry-run-calls-neither-aws-nor-ssh unknown-flag-exits-2-before-any-aws-call
  missing-local-config-exits-2-before-launch preflight-image-gap-fails-before-launch preflight-only-makes-no-writes)
hangs=0 not_passed=0 runs=0
start=$(date +%s)
for ((i = 1; i <= rounds; i++)); do
  module=${modules[$((i % 3))]}
  files=()
  for s in "${short[@]}"; do files+=("$src/scenarios/$module/$s.json"); done
  rc=0
  timeout --kill-after=10 "$limit" "$spotcheck" check -j 4 --impl both "${files[@]}" >"$work/round.out" 2>&1 || rc=$?
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    hangs=$((hangs + 1))
    fail "round $i ($module) did not end within $limit s"
  fi
  verdicts "$work/round.out" >"$work/round.verdicts"
  n=$(wc -l <"$work/round.verdicts")
  bad=$(grep -vc '^PASS: ' "$work/round.verdicts" || true)
  runs=$((runs + n))
  not_passed=$((not_passed + bad))
  if [ "$rc" != 0 ] || [ "$bad" != 0 ] || [ "$n" != 10 ]; then
    fail "round $i ($module): exit $rc, $n runs, $bad not PASS"
    cat "$work/round.out" >&2
  fi
  left=$(find "$TMPDIR" -maxdepth 1 -name 'spotcheck-run-*' | wc -l)
  if [ "$left" != 0 ]; then
    fail "round $i ($module) left $left spotcheck-run-* directories"
    rm -rf "$TMPDIR"/spotcheck-run-*
  fi
done
harness_processes >"$work/after.ps"
after=$(wc -l <"$work/after.ps")
echo "stress: $rounds rounds of check -j 4 --impl both ($runs runs) in $(($(date +%s) - start)) s:" \
  "$hangs hangs, $not_passed not PASS, harness processes before $before, after $after"
if [ "$after" -gt "$before" ]; then
  fail "$((after - before)) harness processes outlived their runs (pid comm):"
  cat "$work/after.ps" >&2
fi

if [ "${SKIP_WHOLE_SUITE:-0}" != 1 ]; then
  for j in 1 8; do
    rc=0
    start=$(date +%s)
    timeout --kill-after=10 1800 "$spotcheck" check -j "$j" --impl both "$src/scenarios" >"$work/j$j.out" 2>&1 || rc=$?
    verdicts "$work/j$j.out" >"$work/j$j.verdicts"
    echo "stress: check -j $j --impl both over the bundled suite: exit $rc, $(wc -l <"$work/j$j.verdicts") runs," \
      "$(grep -c '^PASS: ' "$work/j$j.verdicts" || true) PASS, $(($(date +%s) - start)) s"
    [ "$rc" = 0 ] || fail "check -j $j over the whole suite exited $rc (124: it did not end)"
  done
  if ! diff -u "$work/j1.verdicts" "$work/j8.verdicts" >"$work/verdicts.diff"; then
    fail "check -j 8 and -j 1 disagree:"
    cat "$work/verdicts.diff" >&2
  fi
  [ -s "$work/j1.verdicts" ] || fail "check -j 1 reported no verdicts"
  left=$(find "$TMPDIR" -maxdepth 1 -name 'spotcheck-run-*' | wc -l)
  [ "$left" = 0 ] || fail "the whole-suite checks left $left spotcheck-run-* directories"
fi

[ "$failures" = 0 ] && echo "stress: PASS" || echo "stress: $failures failure(s)"
exit $((failures > 0))

#!/usr/bin/env bash
# Benchmark of the scenario suite: `spotcheck check -j 2 scenarios/` ROUNDS times; prints the wall time
# of each round, their median, and each scenario's median time. Usage: bench/suite_bench.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds="${1:-3}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for r in $(seq "$rounds"); do
  start=$(date +%s.%N)
  build/bin/spotcheck check -j 2 --json "$out/round$r.json" scenarios/ >"$out/round$r.log" || true
  end=$(date +%s.%N)
  echo "round $r: $(echo "$end - $start" | bc) s wall, $(grep -c '^PASS\|^XFAIL' "$out/round$r.log") passed of $(grep -cE '^(PASS|FAIL|XFAIL|XPASS|UNRESOLVED|TIMEOUT):' "$out/round$r.log")"
done
python3 - "$out" "$rounds" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
docs = [json.load(open(f"{out}/round{r}.json")) for r in range(1, rounds + 1)]
walls = [d["wall_seconds"] for d in docs]
per = {}
for d in docs:
    for r in d["results"]:
        per.setdefault(r["name"], []).append(r["seconds"])
meds = sorted(((statistics.median(v), k) for k, v in per.items()), reverse=True)
print(f"suite: {len(per)} scenarios, median wall {statistics.median(walls):.2f} s over {rounds} rounds (-j 2)")
print(f"per-scenario median: {statistics.median(m for m, _ in meds):.2f} s; slowest:")
for m, k in meds[:5]:
    print(f"  {m:6.2f} s  {k}")
PY

#!/usr/bin/env bash
# Compares the 4-caller tail of several builds of the strategies bench, run after run in turns
# (the machine's noise drifts over minutes, so builds are compared within each round).
#
#   cargo bench --bench strategies --no-run      # then copy the binary it names, per build:
#   cp target/release/deps/strategies-<hash> /tmp/before      # (and /tmp/after, from the other build)
#   benches/tail_ab.sh 3 before=/tmp/before:facade after=/tmp/after:facade alt=/tmp/after:alternative
#
# Each NAME=BINARY:SIDE runs `TAIL_ONLY=SIDE` (three 4-caller runs of 100,000 calls per caller)
# once per round; prints each run's distribution line, prefixed with NAME, then the median p99.9
# of each NAME per round.
set -euo pipefail
rounds=${1:?usage: tail_ab.sh ROUNDS NAME=BINARY:SIDE ...}
shift
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for round in $(seq "$rounds"); do
  for variant in "$@"; do
    name=${variant%%=*} rest=${variant#*=}
    binary=${rest%%:*} side=${rest#*:}
    TAIL_ONLY=$side "$binary" --bench 2>&1 | grep "caller(s):" | sed "s/^/round $round $name: /" | tee -a "$out"
  done
done
echo "median p99.9 per round:"
python3 - "$out" <<'PY'
import collections, re, statistics, sys
units = {"ns": 1e-3, "µs": 1.0, "ms": 1e3}
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    m = re.match(r"round (\d+) (\S+): .* p99\.9 ([\d.]+) (\S+) ", line)
    if m:
        runs[m.group(2)].append((int(m.group(1)), float(m.group(3)) * units[m.group(4)]))
for name, values in runs.items():
    rounds = sorted({r for r, _ in values})
    medians = [statistics.median(v for r2, v in values if r2 == r) for r in rounds]
    print(f"  {name}: " + ", ".join(f"{m:.0f} µs" for m in medians))
PY

#!/usr/bin/env bash
# Runs the send-pass benchmarks at 1,000 and 100,000 leads, COUNT times each (the sizes
# alternate, so both see the same machine load), and prints each pair side by side with the
# ratio (100k / 1k) of their fastest runs: a pass must cost what is due, not what is
# stored, also when each lead is sent in its own time zone (target ≤ 2).
#   bench/send-pass.sh [BENCH-REGEXP] [BENCHTIME] [COUNT]
# default: 'PassDue|FirstPass|PassRecipientWindows' 20x 3
set -euo pipefail
cd "$(dirname "$0")/.."
pattern=${1:-'PassDue|FirstPass|PassRecipientWindows'}
benchtime=${2:-20x}
count=${3:-3}
go test ./outreach -run '^$' -bench "$pattern" -benchtime "$benchtime" -count "$count" | tee /dev/stderr | awk '
  /^Benchmark/ {
    name = $1; sub(/-[0-9]+$/, "", name)
    size = name; sub(/.*=/, "", size)
    base = name; sub(/=[0-9]+$/, "", base)
    t = $3 / 1e6
    if (!((base, size) in ms) || t < ms[base, size]) ms[base, size] = t
    if (!(base in seen)) { seen[base] = 1; order[++n] = base }
  }
  END {
    printf "\n%-44s %12s %12s %8s\n", "benchmark", "1,000", "100,000", "ratio"
    for (i = 1; i <= n; i++) {
      b = order[i]
      if (ms[b, 1000] > 0 && ms[b, 100000] > 0)
        printf "%-44s %9.1f ms %9.1f ms %8.2f\n", b, ms[b, 1000], ms[b, 100000], ms[b, 100000] / ms[b, 1000]
    }
  }'

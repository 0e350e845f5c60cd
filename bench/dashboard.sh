#!/usr/bin/env bash
# Serves each dashboard page over 1,000 and 100,000 leads (BenchmarkDashboardPages, the
# request handled in-process: server time only) and prints, per page and size, the best of
# three runs: wall time, CPU time (which waiting for a core on a busy machine does not
# inflate) and allocations, with the 100,000 / 1,000 ratios.
#   bench/dashboard.sh [ITERATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
go test ./app -run '^$' -bench 'DashboardPages' -benchtime "${n}x" -count 3 |
  awk '/^BenchmarkDashboardPages\// {
    split($1, p, "/"); size = p[3]; sub(/-[0-9]+$/, "", size); page = p[2]; k = page SUBSEP size
    for (i = 4; i <= NF; i++) {
      if ($i == "ns/op") wall = $(i-1) / 1000
      if ($i == "cpu-ns/op") cpu = $(i-1) / 1000
      if ($i == "allocs/op") al = $(i-1)
    }
    if (!(k in w) || wall < w[k]) w[k] = wall
    if (!(k in c) || cpu < c[k]) c[k] = cpu
    if (!(k in a) || al < a[k]) a[k] = al
    if (!(page in seen)) { seen[page] = 1; order[++np] = page }
  }
  END {
    printf "%-20s %20s %20s %20s\n", "page", "wall µs 1k/100k", "CPU µs 1k/100k", "allocs 1k/100k"
    for (i = 1; i <= np; i++) {
      pg = order[i]; x = pg SUBSEP "1000"; y = pg SUBSEP "100000"
      printf "%-20s %6.0f %6.0f %5.2f  %6.0f %6.0f %5.2f  %6d %6d %5.2f\n", pg,
        w[x], w[y], w[y] / w[x], c[x], c[y], c[y] / c[x], a[x], a[y], a[y] / a[x]
    }
  }'

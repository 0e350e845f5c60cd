#!/usr/bin/env bash
# Serves each dashboard page over 1,000 and 100,000 leads (BenchmarkDashboardPages, the
# request handled in-process: server time only) and prints the time per page at both sizes
# side by side with their ratio.
#   bench/dashboard.sh [ITERATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
go test ./app -run '^$' -bench 'DashboardPages' -benchtime "${n}x" -count 3 |
  awk '/^BenchmarkDashboardPages\// {
    split($1, p, "/"); size = p[3]; sub(/-[0-9]+$/, "", size); page = p[2]
    t = $3 / 1000; k = page SUBSEP size
    if (!(k in best) || t < best[k]) best[k] = t
    if (!(page in seen)) { seen[page] = 1; order[++np] = page }
  }
  END {
    printf "%-22s %12s %12s %8s\n", "page", "1,000 (µs)", "100,000 (µs)", "ratio"
    for (i = 1; i <= np; i++) {
      pg = order[i]; a = best[pg SUBSEP "1000"]; b = best[pg SUBSEP "100000"]
      printf "%-22s %12.0f %12.0f %8.2f\n", pg, a, b, b / a
    }
  }'

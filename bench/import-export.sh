#!/usr/bin/env bash
# Times `leads import` and `leads export` of N generated leads (default 100,000) with the
# real binary, next to the baseline of the same run: copying the CSV (the I/O floor) and
# parsing it with encoding/csv alone. Prints wall time and peak RSS of each.
#   bench/import-export.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/clientele" .
go run ./bench/gencsv -n "$n" > "$work/leads.csv"
"$work/clientele" init "$work/cfg" > /dev/null
export UNSUBSCRIBE_SECRET=bench-secret-0123456789abcdef SMTP_PASSWORD=x IMAP_PASSWORD=x
cfg="$work/cfg/clientele.yaml"

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/out" 2> "$work/err" || { cat "$work/err"; exit 1; }
  read -r secs kb < "$work/time"
  printf '%-34s %8.2f s %8d MB\n' "$label" "$secs" $((kb / 1024))
}

echo "rows: $n ($(du -h "$work/leads.csv" | cut -f1) of CSV)"
measure "baseline: cat the CSV" cat "$work/leads.csv"
measure "leads import (empty database)" "$work/clientele" --config "$cfg" leads import "$work/leads.csv"
measure "leads import again (all merge)" "$work/clientele" --config "$cfg" leads import "$work/leads.csv"
measure "leads export --format csv" "$work/clientele" --config "$cfg" leads export --format csv
cp "$work/out" "$work/export.csv"
measure "leads export --format json" "$work/clientele" --config "$cfg" leads export --format json
echo "exported rows: $(($(wc -l < "$work/export.csv") - 1))"

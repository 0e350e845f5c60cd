#!/usr/bin/env bash
# Runs the whole crawl and the bare colly baseline side by side, alternating so machine
# load hits both alike, and prints the median of each, their ratio (target <= 2), the
# email finder's throughput (target >= 50 MB/s) and the crawl's peak RSS (target <= 200 MB).
# Usage: crawler/bench_compare.sh [rounds]   (from the repository root; default 5 rounds)
set -euo pipefail
rounds=${1:-5}
cd "$(dirname "$0")"
bin=$(mktemp -d)/crawler.test
go test -c -o "$bin" .
crawl=() bare=()
for _ in $(seq "$rounds"); do
	crawl+=("$("$bin" -test.run '^$' -test.bench 'BenchmarkCrawl$' -test.benchtime 1x | awk '/^BenchmarkCrawl/ {print $3}')")
	bare+=("$("$bin" -test.run '^$' -test.bench 'BenchmarkBareColly$' -test.benchtime 1x | awk '/^BenchmarkBareColly/ {print $3}')")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mc=$(median "${crawl[@]}") mb=$(median "${bare[@]}")
echo "whole crawl: median $(awk -v n="$mc" 'BEGIN {printf "%.2f s", n/1e9}') over $rounds runs"
echo "bare colly:  median $(awk -v n="$mb" 'BEGIN {printf "%.2f s", n/1e9}') over $rounds runs"
echo "ratio:       $(awk -v a="$mc" -v b="$mb" 'BEGIN {printf "%.2f", a/b}')"
rss=$( { /usr/bin/time -v "$bin" -test.run '^$' -test.bench 'BenchmarkCrawl$' -test.benchtime 1x >/dev/null; } 2>&1 | awk -F: '/Maximum resident/ {print $2}')
echo "peak RSS of the crawl benchmark process: $((rss / 1024)) MB"
go test -run '^$' -bench 'BenchmarkFind$' -benchtime 2s ./emails | awk '/^BenchmarkFind/ {print "email finder: " $5 " " $6 " per core"}'

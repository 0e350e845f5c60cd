#!/usr/bin/env bash
# A polite crawl (host_delay 40ms) of two directories of 25 pages on two hosts, run
# alternately beside its baseline, one of those directories crawled alone. Prints the
# medians, their ratio (target about 1: the two side by side take as long as the longest
# alone), the wall time against the politeness bound (the most requests one host got,
# times host_delay; target <= 1.5, aim <= 1.15) and the requests that came closer than
# host_delay to the previous one on their host (must be 0).
# Usage: crawler/bench_polite.sh [rounds]   (from the repository root; default 5 rounds)
set -euo pipefail
rounds=${1:-5}
cd "$(dirname "$0")"
bin=$(mktemp -d)/crawler.test
go test -c -o "$bin" .
two=() one=() bound=() viol=0
for _ in $(seq "$rounds"); do
	line=$("$bin" -test.run '^$' -test.bench 'BenchmarkPoliteTwoSources$' -test.benchtime 1x | awk '/^BenchmarkPoliteTwoSources/')
	two+=("$(awk '{print $3}' <<<"$line")")
	bound+=("$(awk '{for (i = 1; i <= NF; i++) if ($i == "x-bound") print $(i-1)}' <<<"$line")")
	viol=$((viol + $(awk '{for (i = 1; i <= NF; i++) if ($i == "violations") print $(i-1)}' <<<"$line")))
	one+=("$("$bin" -test.run '^$' -test.bench 'BenchmarkPoliteOneSource$' -test.benchtime 1x | awk '/^BenchmarkPoliteOneSource/ {print $3}')")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mt=$(median "${two[@]}") mo=$(median "${one[@]}")
echo "two directories side by side: median $(awk -v n="$mt" 'BEGIN {printf "%.3f s", n/1e9}') over $rounds runs"
echo "one directory alone:          median $(awk -v n="$mo" 'BEGIN {printf "%.3f s", n/1e9}') over $rounds runs"
echo "ratio two / one:              $(awk -v a="$mt" -v b="$mo" 'BEGIN {printf "%.2f", a/b}')"
echo "two / politeness bound:       median $(median "${bound[@]}") (max $(printf '%s\n' "${bound[@]}" | sort -n | tail -1))"
echo "requests closer than host_delay: $viol"

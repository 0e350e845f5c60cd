#!/usr/bin/env bash
# Starts `clientele run` over N imported leads (default 100,000) with schedules that do not
# fire during the measurement, then reads its resident memory and the CPU time it uses
# while idle, from /proc, next to the same figures for `sleep` as the floor.
#   bench/idle-daemon.sh [N] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
secs=${2:-30}
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

go build -o "$work/clientele" .
go run ./bench/gencsv -n "$n" > "$work/leads.csv"
"$work/clientele" init "$work/cfg" > /dev/null
cfg="$work/cfg/clientele.yaml"
sed -i 's/listen: 127.0.0.1:8090/listen: 127.0.0.1:0/' "$cfg"
"$work/clientele" --config "$cfg" leads import "$work/leads.csv" > /dev/null

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$1/status"; }

"$work/clientele" --config "$cfg" run --log-format json 2> "$work/daemon.log" &
pid=$!
sleep 3
"$work/clientele" --config "$cfg" leads list --limit 1 > /dev/null 2>&1 # one forwarded command
sleep 2
t0=$(ticks "$pid")
sleep "$secs"
t1=$(ticks "$pid")
echo "leads: $n"
echo "daemon RSS after start and one command: $(rss "$pid") MB"
echo "daemon CPU ticks (1/100 s) while idle for ${secs}s: $((t1 - t0))"
sleep "$secs" & sp=$!
echo "baseline: sleep RSS: $(rss "$sp") MB"
kill "$sp"
kill -TERM "$pid"
wait "$pid" && echo "daemon exit status after SIGTERM: 0"
pid=

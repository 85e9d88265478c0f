#!/usr/bin/env bash
# Start-up time of pottery-cli, linked against the shared Swift runtime
# ("dynamic") and with -static-stdlib ("static"), next to redis-cli and a
# Python pottery one-shot, in one hyperfine run against a private redis-server.
#
#   scripts/bench.sh [SWIFT]          (or: make bench)
#
# Builds both variants in their own scratch dirs ($BENCH_SCRATCH-dynamic and
# -static; BENCH_SCRATCH defaults to .build-bench), prints a Markdown table of
# medians and ratios, and leaves hyperfine's JSON in $BENCH_SCRATCH-dynamic/hyperfine.json.
# BENCH_RUNS sets the runs per command (default 200).
set -euo pipefail

swift=${1:-swift}
cd "$(dirname "$0")/.."
runs=${BENCH_RUNS:-200}
scratch=${BENCH_SCRATCH:-.build-bench}
results=$scratch-dynamic/hyperfine.json

build() {  # build SCRATCH [FLAGS...] -> path of the binary
    local scratch=$1
    shift
    "$swift" build -c release --product pottery-cli --scratch-path "$scratch" "$@" >&2
    echo "$("$swift" build -c release --product pottery-cli --scratch-path "$scratch" "$@" --show-bin-path)/pottery-cli"
}
dynamic=$(build "$scratch-dynamic")
static=$(build "$scratch-static" -Xswiftc -static-stdlib)
ls -l "$dynamic" "$static" >&2

measure() {
    local py="from pottery import RedisDict; from redis import Redis; RedisDict(redis=Redis.from_url('$REDIS_URL'), key='bench:py')['f'] = 'v'"
    hyperfine -N --warmup 20 --runs "$runs" --export-json "$results" \
        -n "dynamic --version" "$dynamic --version" \
        -n "static --version" "$static --version" \
        -n "dynamic dict set" "$dynamic --url $REDIS_URL dict set bench:cli f v" \
        -n "static dict set" "$static --url $REDIS_URL dict set bench:cli f v" \
        -n "redis-cli HSET" "redis-cli -u $REDIS_URL HSET bench:redis-cli f v" \
        -n "python pottery" "python3 -W ignore -c \"$py\"" >&2
}
export -f measure
export dynamic static runs results
scripts/with-redis.sh bash -c measure

python3 - "$results" <<'EOF'
import json, statistics, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
med = {name: statistics.median(r["times"]) * 1000 for name, r in results.items()}
base = med["static dict set"]
print("| command | median (ms) | mean ± σ (ms) | relative to static `dict set` |")
print("|---|---:|---:|---:|")
for name, r in results.items():
    print(f"| {name} | {med[name]:.2f} | {r['mean']*1000:.2f} ± {r['stddev']*1000:.2f} | {med[name] / base:.2f} |")
print()
print(f"dynamic/static `--version`: {med['dynamic --version'] / med['static --version']:.2f}x; "
      f"dynamic/static `dict set`: {med['dynamic dict set'] / med['static dict set']:.2f}x")
EOF

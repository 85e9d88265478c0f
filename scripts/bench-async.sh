#!/usr/bin/env bash
# Async PotteryKit against the sync loop and a pipelined C loop, side by side
# on one private redis-server: RedisDict.get by 100 concurrent tasks sharing
# one connection (their calls meet in the connection's group commit), the
# same one at a time, and C hiredis sending HGET in pipelined batches of 100.
#
#   scripts/bench-async.sh [SWIFT] [--smoke]     (or: make bench-async)
set -euo pipefail
swift=${1:-swift}
cd "$(dirname "$0")/.."
seconds=${BENCH_SECONDS:-2}
repeats=${BENCH_REPEATS:-3}
# --smoke (scripts/bench.sh --smoke, for .ci/run): each measurement a fraction of a
# second, once, on a debug build: the harness still builds, runs and prints its tables.
configuration=release
if [ "${2:-}" = --smoke ]; then seconds=0.1; repeats=1; configuration=debug; fi
"$swift" build -c "$configuration" --package-path Benchmarks --product pottery-bench >&2
bench="$("$swift" build -c "$configuration" --package-path Benchmarks --product pottery-bench --show-bin-path)/pottery-bench"
dir=$(mktemp -d "${TMPDIR:-/tmp}/pottery-bench-async.XXXXXX")
pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" --daemonize no >/dev/null &
pid=$!
for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done
url="redis://127.0.0.1:$port/0"
"${CC:-$(command -v cc || command -v clang)}" -O2 -o "$dir/anchor" scripts/bench-anchor.c -lhiredis
for _ in $(seq "$repeats"); do  # interleaved
    echo "sync $("$bench" dict-get-sync "$seconds" "$url")"
    echo "async $("$bench" dict-get-async "$seconds" "$url" 100)"
    echo "c $("$dir/anchor" hget-pipeline "$seconds" "$port")"
done >"$dir/runs"
python3 - "$dir/runs" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    label, data = line.split(' ', 1)
    runs.setdefault(label, []).append(json.loads(data)["per_second"])
med = {k: statistics.median(v) for k, v in runs.items()}
span = {k: f'{min(v):,.0f}-{max(v):,.0f}' for k, v in runs.items()}
print("| measurement | median gets/s | min-max | ratio |")
print("|---|---:|---|---|")
print(f'| RedisDict.get, one at a time (sync) | {med["sync"]:,.0f} | {span["sync"]} | |')
print(f'| RedisDict.get, 100 tasks on one connection (async) | {med["async"]:,.0f} | {span["async"]} | {med["async"]/med["sync"]:.1f}x sync; {med["async"]/med["c"]:.2f}x pipelined C |')
print(f'| C hiredis HGET, pipelined by 100 | {med["c"]:,.0f} | {span["c"]} | |')
PY

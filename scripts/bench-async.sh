#!/usr/bin/env bash
# Async PotteryKit against the sync loop and a pipelined C loop, side by side
# on one private redis-server: RedisDict.get by 100 concurrent tasks sharing
# one connection (their calls meet in the connection's group commit), the
# same one at a time, and C hiredis sending HGET in pipelined batches of 100.
#
#   scripts/bench-async.sh [SWIFT] [--smoke]     (or: make bench-async)
set -euo pipefail
default_seconds=2
. scripts/bench-common.sh "$@"
port=$(free_port)
start_redis "$port"
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

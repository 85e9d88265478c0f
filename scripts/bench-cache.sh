#!/usr/bin/env bash
# The cache (issue 15: "a cache hit costs one round trip"), side by side in one
# run on one private redis-server:
# - library: a function memoized in a RedisCache (`pottery-bench cache-hit`,
#   `cache-miss`), Python pottery 3.0.1's @redis_cache doing the same calls, and
#   a blocking C hiredis loop of HGET (scripts/bench-anchor.c dict-get: one
#   round trip per call, the floor of a hit);
# - shell: one `pottery-cli cache run KEY -- true` that hits, next to
#   `redis-cli HGET` and the C one-shot (scripts/bench-oneshot.c) sending the
#   same HGET (hyperfine -N; median wall).
#
#   scripts/bench-cache.sh [SWIFT] [--smoke]     (or: make bench-cache)
#
# BENCH_SECONDS sets each library measurement's length (default 1), BENCH_REPEATS
# the interleaved repeats (default 3); BENCH_RUNS the hyperfine runs per one-shot
# command (default 100). POTTERY_CLI names the pottery-cli to time (default:
# `make release`'s static executable; the smoke run uses the debug build).
set -euo pipefail

. scripts/bench-common.sh "$@"
port=$(free_port)
start_redis "$port"
url="redis://127.0.0.1:$port/0"
runs=${BENCH_RUNS:-$([ -n "$smoke" ] && echo 3 || echo 100)}
command -v hyperfine >/dev/null || { echo "$0: needs hyperfine (make bench installs it)" >&2; exit 1; }

cc=${CC:-$(command -v cc || command -v clang)}
"$cc" -O2 -o "$dir/bench-anchor" scripts/bench-anchor.c -lhiredis
"$cc" -O2 -o "$dir/bench-oneshot" scripts/bench-oneshot.c -lhiredis
cli=${POTTERY_CLI:-}
if [ -z "$cli" ]; then
    if [ -n "$smoke" ]; then
        "$swift" build --product pottery-cli >&2
        cli="$("$swift" build --show-bin-path)/pottery-cli"
    else
        make --no-print-directory release SWIFT="$swift" >&2
        cli=$(make --no-print-directory -s release-bin-path SWIFT="$swift")
    fi
fi

python_bench() {  # MODE -> JSON like pottery-bench's
    python3 - "$1" "$url" "$seconds" <<'PY'
import json, sys, time, uuid, warnings
warnings.simplefilter('ignore')
from redis import Redis
from pottery import redis_cache
mode, url, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
redis = Redis.from_url(url)
key = 'bench:py:' + uuid.uuid4().hex
@redis_cache(redis=redis, key=key)
def square(n):
    return n * n
square(7)
calls = 0
start = time.monotonic()
while time.monotonic() - start < seconds:
    assert square(7 if mode == 'cache-hit' else 1000 + calls) > 0
    calls += 1
took = time.monotonic() - start
redis.unlink(key)
print(json.dumps({"mode": mode, "operations": calls, "seconds": took, "per_second": calls / took}))
PY
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for repeat in $(seq "$repeats"); do
    echo "repeat $repeat of $repeats" >&2
    for mode in cache-hit cache-miss; do
        echo "swift $mode $("$bench" "$mode" "$seconds" "$url")" >>"$dir/runs"
        echo "python $mode $(python_bench "$mode")" >>"$dir/runs"
    done
    echo "c cache-hit $("$dir/bench-anchor" dict-get "$seconds" "$port")" >>"$dir/runs"
done

# The shell: a `cache run` that hits (its entry made by one untimed run first).
"$cli" --url "$url" cache run bench:cache:cli -- true </dev/null >/dev/null  # (hyperfine's stdin is empty too)
field=$(redis-cli -p "$port" --raw hkeys bench:cache:cli | head -1)  # JSON with spaces: quoted for hyperfine
[ -n "$field" ] || { echo "$0: cache run stored no entry" >&2; exit 1; }
hyperfine -N --style none --runs "$runs" --warmup 3 --export-json "$dir/oneshot.json" \
    -n "pottery-cli cache run (hit)" "$cli --url $url cache run bench:cache:cli -- true" \
    -n "redis-cli HGET" "redis-cli -p $port hget bench:cache:cli '$field'" \
    -n "C hiredis one-shot HGET" "$dir/bench-oneshot 127.0.0.1 $port hget bench:cache:cli '$field'" >&2

echo "Load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores); $repeats interleaved repeats of ${seconds} s per library measurement."
echo
python3 - "$dir/runs" "$dir/oneshot.json" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    label = line[:line.index('{')].strip()
    runs.setdefault(label, []).append(json.loads(line[line.index('{'):])["per_second"])
def cell(label):
    v = runs[label]
    return f"{statistics.median(v):,.0f} ({min(v):,.0f}–{max(v):,.0f})"
med = {k: statistics.median(v) for k, v in runs.items()}
print("| memoized call | PotteryKit, calls/s | Python pottery @redis_cache, calls/s | C HGET loop, calls/s | PotteryKit / pottery | PotteryKit / C |")
print("|---|---:|---:|---:|---:|---:|")
for mode, title in [("cache-hit", "hit (one round trip)"), ("cache-miss", "miss (lookup, compute, store)")]:
    s, p, c = med["swift " + mode], med["python " + mode], med["c cache-hit"]
    print(f"| {title} | {cell('swift ' + mode)} | {cell('python ' + mode)} | {cell('c cache-hit') if mode == 'cache-hit' else '–'} | "
          f"{s / p:.1f}x | {f'{s / c:.2f}x' if mode == 'cache-hit' else '–'} |")
print()
results = json.load(open(sys.argv[2]))["results"]
base = results[1]["median"]
print("| one-shot from a shell | median wall, ms | vs redis-cli |")
print("|---|---:|---:|")
for r in results:
    print(f"| {r['command']} | {r['median'] * 1000:.2f} | {r['median'] / base:.2f}x |")
PY

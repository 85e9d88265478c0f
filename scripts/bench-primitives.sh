#!/usr/bin/env bash
# Throughput of Redlock and NextID over 1 and 5 private redis-servers, side by
# side in one run with the anchors: single SETs sent one at a time (the round
# trip limit), a plain C hiredis program doing the same round trips
# (scripts/bench-anchor.c: the machine's limit for each ratio), and Python
# pottery 3.0.1 on the same servers.
#
#   scripts/bench-primitives.sh [SWIFT] [--smoke]     (or: make bench-primitives)
#
# BENCH_SECONDS sets each measurement's length (default 3). Prints a Markdown
# table; every figure is the median of BENCH_REPEATS runs (default 3).
set -euo pipefail

default_seconds=3
. scripts/bench-common.sh "$@"
urls=()
for _ in 1 2 3 4 5; do
    port=$(free_port)
    start_redis "$port"
    urls+=("redis://127.0.0.1:$port/0")
done
one=${urls[0]}
five=$(IFS=,; echo "${urls[*]}")

python_bench() {  # MODE URLS -> JSON like pottery-bench's
    python3 - "$1" "$2" "$seconds" <<'PY'
import json, logging, sys, time, uuid
logging.disable(logging.CRITICAL)
from redis import Redis
from pottery import NextID, Redlock
mode, urls, seconds = sys.argv[1], sys.argv[2].split(','), float(sys.argv[3])
masters = {Redis.from_url(u, socket_timeout=1) for u in urls}
ops = fails = 0
start = time.monotonic()
if mode == 'redlock':
    lock = Redlock(key='bench:' + uuid.uuid4().hex, masters=masters)
    while time.monotonic() - start < seconds:
        if lock.acquire(blocking=False):
            lock.release(); ops += 1
        else:
            fails += 1
else:
    ids = NextID(key='bench:contended' if mode == 'nextid-contend' else 'bench:' + uuid.uuid4().hex, masters=masters)
    while time.monotonic() - start < seconds:
        try:
            next(ids); ops += 1
        except Exception:
            fails += 1
took = time.monotonic() - start
print(json.dumps({"mode": mode, "masters": len(urls), "operations": ops, "failures": fails,
                  "seconds": took, "per_second": ops / took}))
PY
}

contend() {  # TOOL -> 4 processes drawing at once on 5 masters
    local tool=$1 out=()
    for i in 1 2 3 4; do
        if [ "$tool" = swift ]; then "$bench" nextid-contend "$seconds" "$five" >"$dir/c$i" &
        else python_bench nextid-contend "$five" >"$dir/c$i" & fi
        out+=("$dir/c$i")
    done
    wait %1 %2 %3 %4 2>/dev/null || wait
    python3 -c 'import json,sys; r=[json.load(open(f)) for f in sys.argv[1:]]; o=sum(x["operations"] for x in r); f=sum(x["failures"] for x in r); print(json.dumps({"mode":"contend","operations":o,"failures":f,"per_second":sum(x["per_second"] for x in r),"failure_rate":f/max(1,o+f)}))' "${out[@]}"
}

run() {  # LABEL COMMAND... -> one JSON line into $dir/runs (medians are taken over $repeats rounds)
    local label=$1; shift
    echo "$label $("$@")" >>"$dir/runs"
}

anchor=$dir/bench-anchor  # plain blocking C hiredis doing the same round trips (scripts/bench-anchor.c)
"${CC:-$(command -v cc || command -v clang)}" -O2 -o "$anchor" scripts/bench-anchor.c -lhiredis
ports() { local u out=(); for u in "$@"; do u=${u##*:}; out+=("${u%%/*}"); done; (IFS=,; echo "${out[*]}"); }
# RedisSemaphore's acquire script, as the Swift source has it, for the C anchor of its cycle
python3 - "$dir/semaphore-acquire.lua" <<'PY'
import re, sys, textwrap
source = open("Sources/PotteryKit/Primitives/SemaphoreScripts.swift").read()
body = re.search(r'static let acquire = RedisScript\("""\n(.*?)\n *"""\)', source, re.S).group(1)
open(sys.argv[1], "w").write(textwrap.dedent(body))
PY

# Every measurement once per round, the rounds repeated: the machine's load swings, and
# interleaving spreads a swing over every measurement instead of one.
for _ in $(seq "$repeats"); do
    run "set-loop 1" "$bench" set-loop "$seconds" "$one"
    run "c set-loop 1" "$anchor" set-loop "$seconds" "$(ports "$one")"
    run "c redlock 1" "$anchor" redlock "$seconds" "$(ports "$one")"
    run "c redlock 5" "$anchor" redlock "$seconds" "$(ports "${urls[@]}")"
    run "c fanout 5" "$anchor" fanout "$seconds" "$(ports "${urls[@]}")"
    run "c fanout-script 5" "$anchor" fanout-script "$seconds" "$(ports "${urls[@]}")"
    run "c semaphore 1" "$anchor" semaphore "$seconds" "$(ports "$one")" "$dir/semaphore-acquire.lua"
    run "swift redlock 1" "$bench" redlock "$seconds" "$one"
    run "swift redlock 5" "$bench" redlock "$seconds" "$five"
    run "swift semaphore 1" "$bench" semaphore "$seconds" "$one" 4
    run "swift nextid 5" "$bench" nextid "$seconds" "$five"
    run "swift nextid-block1000 5" "$bench" nextid-block "$seconds" "$five" 1000
    run "swift contend 5x4" contend swift
    run "python redlock 1" python_bench redlock "$one"
    run "python redlock 5" python_bench redlock "$five"
    run "python nextid 5" python_bench nextid "$five"
    run "python contend 5x4" contend python
done

python3 - "$dir/runs" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    label = line[:line.index('{')]
    data = json.loads(line[line.index('{'):])
    runs.setdefault(label.strip(), []).append(data)
med = {k: statistics.median(r["per_second"] for r in v) for k, v in runs.items()}
fail = {k: statistics.median(r.get("failure_rate", 0) for r in v) for k, v in runs.items()}
print("| measurement | median per second | ratio |")
print("|---|---:|---|")
s = med["set-loop 1"]
c = med["c set-loop 1"]
c_redlock = med["c redlock 1"] / c  # the machine's limit for a 2-round-trip cycle with a script
c_fanout = med["c fanout 5"] / c    # ... and for one round trip to 5 servers
c_script = med["c fanout-script 5"] / c  # ... and for NextID's script on 5 servers at once
c_semaphore = med["c semaphore 1"] / c  # ... and for the semaphore's cycle (its acquire script + ZREM)
rows = [
    ("single SET, one at a time, 1 master, PotteryKit (anchor)", "set-loop 1", ""),
    ("single SET, one at a time, 1 master, C hiredis (C anchor)", "c set-loop 1", f'PotteryKit / C: {s/c:.2f}x'),
    ("C hiredis: SET NX PX + EVALSHA release, 1 master", "c redlock 1", f'{c_redlock:.2f}x C single SETs: this machine\'s limit for a Redlock cycle'),
    ("C hiredis: the same Redlock cycle, each step to 5 masters at once", "c redlock 5", f'{med["c redlock 5"]/med["c redlock 1"]:.2f}x its 1-master rate: this machine\'s limit for Redlock on 5'),
    ("C hiredis: one SET to each of 5 masters at once", "c fanout 5", f'{c_fanout:.2f}x C single SETs: this machine\'s limit for one round trip to 5'),
    ("C hiredis: a conditional-set script (EVALSHA) to each of 5 masters at once", "c fanout-script 5", f'{c_script:.2f}x C single SETs: this machine\'s limit for NextID\'s draw'),
    ("C hiredis: RedisSemaphore's acquire script (EVALSHA) + ZREM, 1 server", "c semaphore 1", f'{c_semaphore:.2f}x C single SETs: this machine\'s limit for the semaphore\'s cycle'),
    ("Swift Redlock acquire+release, 1 master", "swift redlock 1", f'{med["swift redlock 1"]/s:.2f}x single SETs (C: {c_redlock:.2f}x); {med["swift redlock 1"]/med["python redlock 1"]:.1f}x Python'),
    ("Swift Redlock acquire+release, 5 masters", "swift redlock 5", f'{med["swift redlock 5"]/med["swift redlock 1"]:.2f}x our 1-master rate (C: {med["c redlock 5"]/med["c redlock 1"]:.2f}x); {med["swift redlock 5"]/med["python redlock 5"]:.1f}x Python'),
    ("Swift RedisSemaphore acquire+release (limit 4), 1 server", "swift semaphore 1", f'{med["swift semaphore 1"]/s:.2f}x single SETs (C, same cycle: {c_semaphore:.2f}x; C Redlock-shaped cycle: {c_redlock:.2f}x)'),
    ("Swift NextID, 5 masters", "swift nextid 5", f'{med["swift nextid 5"]/s:.2f}x single SETs (C fan-out of SETs: {c_fanout:.2f}x, of the script: {c_script:.2f}x); {med["swift nextid 5"]/med["python nextid 5"]:.1f}x Python'),
    ("Swift NextID --count 1000, 5 masters (IDs/s)", "swift nextid-block1000 5", ""),
    ("Swift NextID, 4 processes contending, 5 masters", "swift contend 5x4", f'failures {100*fail["swift contend 5x4"]:.2f}%'),
    ("Python pottery Redlock, 1 master", "python redlock 1", ""),
    ("Python pottery Redlock, 5 masters", "python redlock 5", f'{med["python redlock 5"]/med["python redlock 1"]:.2f}x its 1-master rate'),
    ("Python pottery NextID, 5 masters", "python nextid 5", ""),
    ("Python pottery NextID, 4 processes contending, 5 masters", "python contend 5x4", f'failures {100*fail["python contend 5x4"]:.2f}%'),
]
for title, key, note in rows:
    print(f"| {title} | {med[key]:,.0f} | {note} |")
PY

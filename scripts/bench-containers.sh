#!/usr/bin/env bash
# Throughput of the containers (dict, set, list, deque, counter, queue) through
# PotteryKit, side by side in one run on one private redis-server with the
# anchors: the plain Redis command behind each operation sent by a blocking C
# hiredis loop (scripts/bench-anchor.c: one at a time, pipelined 100 at a time,
# or as one variadic command of 1000), `redis-benchmark -c 1 -P 100` of the same
# command, and Python pottery 3.0.1 doing the same work (scripts/bench-containers.py).
#
#   scripts/bench-containers.sh [SWIFT] [--smoke]     (or: make bench-containers)
#
# BENCH_SECONDS sets each batch measurement's timed length (default 1), BENCH_REPEATS
# the repeats (default 3), interleaved: every tool runs each mode once per
# repeat. The single operations, whose target is a ratio to the C loop, are
# measured in BENCH_PAIRS (default 9) pairs of BENCH_PAIR_SECONDS (default 0.5)
# per tool, PotteryKit and C back to back in alternating order (then Python):
# each pair's ratio sees the same machine, and the order's bias cancels out.
# Prints the load average and Markdown tables of medians (min–max), the single
# operations' median paired ratio (interquartile range), each target met or missed.
set -euo pipefail

. scripts/bench-common.sh "$@"
port=$(free_port)
start_redis "$port"
url="redis://127.0.0.1:$port/0"

anchor=$dir/bench-anchor
"${CC:-$(command -v cc || command -v clang)}" -O2 -o "$anchor" scripts/bench-anchor.c -lhiredis
py=scripts/bench-containers.py

single="dict-set dict-get set-add list-append list-pop deque-appendleft deque-appendleft-maxlen deque-popleft counter-update queue-put queue-get"
batch="dict-update set-add-many list-extend counter-update-many queue-put-many"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s)
pairs=${BENCH_PAIRS:-9}
pair_seconds=${BENCH_PAIR_SECONDS:-0.5}
if [ -n "$smoke" ]; then pairs=1; pair_seconds=$seconds; fi
for pair in $(seq "$pairs"); do
    echo "pair $pair of $pairs (single operations)" >&2
    for mode in $single; do
        swift_run() { echo "swift $("$bench" "$mode" "$pair_seconds" "$url")" >>"$dir/runs"; }
        c_run() { echo "c $("$anchor" "$mode" "$pair_seconds" "$port" 100)" >>"$dir/runs"; }
        if [ $((pair % 2)) = 1 ]; then swift_run; c_run; else c_run; swift_run; fi
        echo "python $(python3 "$py" measure "$mode" "$pair_seconds" "$url")" >>"$dir/runs"
    done
done
for repeat in $(seq "$repeats"); do
    echo "repeat $repeat of $repeats (batches)" >&2
    for mode in $batch; do
        echo "swift $("$bench" "$mode" "$seconds" "$url")" >>"$dir/runs"
        echo "c $("$anchor" "$mode" "$seconds" "$port" 100)" >>"$dir/runs"
        case $mode in
            dict-update|set-add-many|list-extend) echo "c-variadic $("$anchor" "$mode" "$seconds" "$port" 0)" >>"$dir/runs" ;;
        esac
        echo "redis-benchmark $(python3 "$py" redis-benchmark "$mode" "$seconds" "$port")" >>"$dir/runs"
        echo "python $(python3 "$py" measure "$mode" "$seconds" "$url")" >>"$dir/runs"
    done
done

echo "Load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores);" \
     "single operations: $pairs pairs of ${pair_seconds} s per tool, alternating order;" \
     "batches: $repeats interleaved repeats of ${seconds} s per measurement; $(( $(date +%s) - started )) s in all."
echo "redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'), Python pottery $(python3 -c 'import importlib.metadata as m; print(m.version("pottery"))')."
echo
python3 "$py" report "$dir/runs"

#!/usr/bin/env bash
# Client instructions per single operation (valgrind --tool=callgrind), PotteryKit next
# to the C hiredis loop doing the same Redis command: a steady measure on a noisy
# machine, where wall-time ratios swing with the load.
#
#   scripts/bench-instructions.sh [SWIFT]     (or: make bench-instructions)
#
# Counts only inside the measured call (callgrind --toggle-collect): the container method
# for PotteryKit (pottery-bench MODE: RedisDict.set, RedisList.append, RedisSimpleQueue.get, ...),
# redisCommand for C (bench-anchor MODE; a queue get is two commands on both sides).
# Per call = instructions / the calls the tool reports.
# System calls are not instructions: in a loop PotteryKit makes 2 per call (send, a read that
# waits; a socket idle for 1 ms or more is first checked with a poll), the C loop 2 (write, read).
set -euo pipefail
. scripts/bench-common.sh "$@"
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 1; }
port=$(free_port)
start_redis "$port"
url="redis://127.0.0.1:$port/0"
anchor=$dir/bench-anchor
"${CC:-$(command -v cc || command -v clang)}" -O2 -g -o "$anchor" scripts/bench-anchor.c -lhiredis

# measure OUT-PREFIX FUNCTION COMMAND...: "instructions calls" inside FUNCTION (the calls: the
# JSON line's "operations"; for C also one untimed DEL per 1000, which this overcounts by 0.1%)
measure() {
    local out=$1 function=$2
    shift 2
    valgrind --tool=callgrind --callgrind-out-file="$out" --toggle-collect="$function" "$@" 2>/dev/null >"$out.json"
    echo "$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')" \
         "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["operations"])' "$out.json")"
}

echo "| operation | PotteryKit instructions per call | C hiredis loop instructions per call | ratio |"
echo "|---|---:|---:|---:|"
# MODE and the PotteryKit method whose calls are counted (its mangled name).
while read -r mode swift_fn; do
    read -r swift_total swift_calls < <(measure "$dir/swift.out" "$swift_fn" "$bench" "$mode" 0.3 "$url")
    read -r c_total c_calls < <(measure "$dir/c.out" redisCommand "$anchor" "$mode" 0.3 "$port" 100)
    python3 -c "import sys; s = $swift_total / max($swift_calls, 1); c = $c_total / max($c_calls, 1)
print(f'| $mode | {s:,.0f} ({$swift_calls} calls) | {c:,.0f} ({$c_calls} calls) | {s / c:.2f}x |')"
done <<'MODES'
dict-set $s10PotteryKit9RedisDictC3set_3foryq__xtAA0A5ErrorVYKF
dict-get $s10PotteryKit9RedisDictC3getyq_SgxAA0A5ErrorVYKF
list-append $s10PotteryKit9RedisListC6appendyyxAA0A5ErrorVYKF
list-pop $s10PotteryKit9RedisListC3pop2atxSiSg_tAA0A5ErrorVYKF
deque-popleft $s10PotteryKit10RedisDequeC7popLeftxyAA0A5ErrorVYKF
deque-appendleft-maxlen $s10PotteryKit10RedisDequeC10appendLeftyyxAA0A5ErrorVYKF
counter-update $s10PotteryKit12RedisCounterC6updateyySayxGAA0A5ErrorVYKF
queue-put $s10PotteryKit16RedisSimpleQueueC3putyyxAA0A5ErrorVYKF
queue-get $s10PotteryKit16RedisSimpleQueueC3get7timeoutxs8DurationVSg_tAA0A5ErrorVYKF
MODES

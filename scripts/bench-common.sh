# Sourced by the bench scripts (`. scripts/bench-common.sh "$@"`): what they all do first.
#   in:  $1 SWIFT (default swift), $2 --smoke; default_seconds (default 1) set before sourcing
#   out: swift, seconds (BENCH_SECONDS), repeats (BENCH_REPEATS, default 3), smoke (1 or empty),
#        bench (the pottery-bench binary, built from Benchmarks/), dir (a temp dir, removed at exit),
#        free_port, start_redis PORT [REDIS-SERVER ARGS...] (a private redis-server, killed at exit)
# --smoke (scripts/bench.sh --smoke, for .ci/run): each measurement a fraction of a second,
# once, on a debug build: the harness still builds, runs and prints its tables.
swift=${1:-swift}
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${BENCH_SECONDS:-${default_seconds:-1}}
repeats=${BENCH_REPEATS:-3}
smoke=
configuration=release
if [ "${2:-}" = --smoke ]; then smoke=1; seconds=0.1; repeats=1; configuration=debug; fi
# A newer manifest makes SwiftPM list PotteryKit's source files again: it caches that list
# with the manifest, so a file added since the last build would be missing.
touch Benchmarks/Package.swift
"$swift" build -c "$configuration" --package-path Benchmarks --product pottery-bench >&2
bench="$("$swift" build -c "$configuration" --package-path Benchmarks --product pottery-bench --show-bin-path)/pottery-bench"

dir=$(mktemp -d "${TMPDIR:-/tmp}/pottery-bench.XXXXXX")
bench_pids=()
bench_cleanup() {
    for pid in "${bench_pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    rm -rf "$dir"
}
trap bench_cleanup EXIT

free_port() {  # a free loopback port whose cluster bus port (+10000) is valid too
    python3 -c 'import socket
while True:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]
    if p + 10000 < 65536: print(p); break'
}

start_redis() {  # PORT [REDIS-SERVER ARGS...]: started in $dir/PORT and answering PING
    local port=$1
    shift
    mkdir -p "$dir/$port"
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir/$port" \
        --logfile "$dir/$port/redis.log" --daemonize no "$@" >/dev/null &
    bench_pids+=($!)
    for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done
}

#!/usr/bin/env bash
# Runs COMMAND against a private, throw-away redis-server and stops the server
# afterwards, whatever happens (exit, failure, Ctrl-C).
#
#   scripts/with-redis.sh COMMAND [ARGS...]
#
# The server listens on 127.0.0.1 at a free port and on a unix socket in a
# temp dir, is daemonized with a pid file and saves nothing (save "").
# COMMAND sees REDIS_URL (redis://127.0.0.1:PORT/0), REDIS_UNIX_URL
# (unix://DIR/1/redis.sock?db=0) and REDIS_PORT. With REDIS_SERVERS=N (N > 1),
# N independent servers start and COMMAND also sees POTTERY_MASTERS (their
# URLs, space-separated; the first is REDIS_URL). Exits with COMMAND's status.
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/pottery-redis.XXXXXX")

stop_server() {
    local pidfile pid
    for pidfile in "$dir"/*/redis.pid; do
        [ -s "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        # Only our servers: their pid files, and redis-server processes.
        if kill -0 "$pid" 2>/dev/null && grep -q redis-server "/proc/$pid/cmdline" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$pid" 2>/dev/null || true
        fi
    done
    rm -rf "$dir"
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
    # Ask the kernel for a free port (tiny race with other processes; the
    # start-up check below catches it and we try again).
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
        echo $((20000 + RANDOM % 40000))
}

# start_server N: starts server number N (its files in $dir/N); sets $port.
start_server() {
    local n=$1 sdir=$dir/$1 started=
    mkdir -p "$sdir"
    for _ in 1 2 3 4 5; do
        port=$(free_port)
        rm -f "$sdir/redis.pid"
        redis-server - >/dev/null <<EOF
port $port
bind 127.0.0.1
unixsocket $sdir/redis.sock
unixsocketperm 700
dir $sdir
daemonize yes
pidfile $sdir/redis.pid
logfile $sdir/redis.log
loglevel warning
save ""
appendonly no
EOF
        for _ in $(seq 100); do
            if redis-cli -s "$sdir/redis.sock" ping 2>/dev/null | grep -q PONG; then
                started=1
                break
            fi
            sleep 0.05
        done
        [ -n "$started" ] && return 0
        [ -s "$sdir/redis.pid" ] && kill -9 "$(cat "$sdir/redis.pid")" 2>/dev/null || true
    done
    echo "$0: redis-server did not start:" >&2
    tail -5 "$sdir/redis.log" >&2 2>/dev/null || true
    exit 3
}

masters=()
for n in $(seq "${REDIS_SERVERS:-1}"); do
    start_server "$n"
    masters+=("redis://127.0.0.1:$port/0")
    if [ "$n" = 1 ]; then
        export REDIS_PORT=$port
        export REDIS_URL="redis://127.0.0.1:$port/0"
        export REDIS_UNIX_URL="unix://$dir/1/redis.sock?db=0"
    fi
done
if [ "${REDIS_SERVERS:-1}" -gt 1 ]; then
    POTTERY_MASTERS="${masters[*]}"
    export POTTERY_MASTERS
fi

status=0
"$@" || status=$?
exit "$status"

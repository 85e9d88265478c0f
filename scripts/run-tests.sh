#!/usr/bin/env bash
# `make test`: builds the tests and runs them, then kills any redis-server the
# tests left behind (a crashed test process cannot run its atexit clean-up),
# and exits with the status of the build or of `swift test`.
#
#   scripts/run-tests.sh [SWIFT] [swift test ARGS...]
#
# The tests start their servers with their config dir under $TMPDIR
# (pottery-test-redis-*), and redis-server runs inside that dir. Giving the
# tests a private TMPDIR lets us find exactly their servers by working
# directory, without touching anyone else's.
set -uo pipefail

swift=${1:-swift}
shift || true
cd "$(dirname "$0")/.."

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pottery-make-test.XXXXXX")

kill_leftovers() {
    local pid cwd killed=0
    for pid in $(pgrep -x redis-server 2>/dev/null; pgrep -f 'redis-server.*pottery-make-test' 2>/dev/null); do
        cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null) || continue
        case "$cwd" in
            "$tmp"/*)
                kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
                ;;
        esac
    done
    if [ "$killed" -gt 0 ]; then
        echo "make test: killed $killed leftover test redis-server process(es)" >&2
    fi
    rm -rf "$tmp"
}
trap kill_leftovers EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export TMPDIR="$tmp/"

"$swift" build --build-tests || exit $?
"$swift" test "$@"

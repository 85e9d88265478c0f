#!/usr/bin/env bash
# Checks that a pottery-cli binary (the release build: a fully static executable)
# still finds its servers by every kind of name, since a static glibc resolves
# host names without the shared NSS modules a dynamic one would load: run by
# `make test` after the tests.
#
#   scripts/check-static-binary.sh BINARY
#
# Starts a private redis-server on 127.0.0.1, on ::1 (when the machine has IPv6
# loopback) and on a unix socket, then runs `dict set` and `dict get` through:
#   - redis://localhost:PORT                    (/etc/hosts)
#   - redis://NAME:PORT, NAME another /etc/hosts name of a loopback address, else
#     the machine's own host name (the server then listens on its address too)
#   - redis://[::1]:PORT                         (IPv6 literal)
#   - unix://SOCKET?db=0
# and that a name that does not resolve fails with ConnectionError (exit 3).
# Prints one line per check; exits 1 when any fails.
set -euo pipefail

binary=${1:?usage: $0 BINARY}
[ -x "$binary" ] || { echo "$0: $binary is not an executable" >&2; exit 1; }
if readelf -d "$binary" 2>/dev/null | grep -q '(NEEDED)'; then
    echo "check-static-binary: $binary is dynamically linked ($(readelf -d "$binary" | grep -c '(NEEDED)') libraries); checking it anyway"
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/pottery-static-check.XXXXXX")
server=
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$dir"
}
trap cleanup EXIT

ipv6=
if python3 -c 'import socket; s = socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null; then ipv6=1; fi

# Another name of this machine: a non-localhost /etc/hosts name of a loopback
# address, else the host name (whatever address it resolves to; the server
# listens there too).
name=
via=
extra=
while read -r address names; do
    case $address in 127.*|::1) ;; *) continue ;; esac
    for candidate in $names; do
        case $candidate in localhost|localhost.*|ip6-*) continue ;; esac
        [ "$address" = ::1 ] && [ -z "$ipv6" ] && continue
        name=$candidate; via="/etc/hosts, $address"; break 2
    done
done < <(sed 's/#.*//' /etc/hosts)
if [ -z "$name" ]; then
    own=$(hostname)
    address=$(getent ahostsv4 "$own" | awk 'NR == 1 { print $1 }') || true
    [ -n "$address" ] || { echo "check-static-binary: the host name $own does not resolve; give it an /etc/hosts line" >&2; exit 1; }
    name=$own; via="the host name, $address"
    case $address in 127.*) ;; *) extra=$address ;; esac
fi

binds="127.0.0.1${ipv6:+ ::1}${extra:+ $extra}"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind $binds --unixsocket "$dir/redis.sock" --unixsocketperm 700 \
    --save '' --appendonly no --dir "$dir" --logfile "$dir/redis.log" --daemonize no >/dev/null &
server=$!
for _ in $(seq 100); do redis-cli -s "$dir/redis.sock" ping 2>/dev/null | grep -q PONG && break; sleep 0.05; done

failures=0
check() {  # check LABEL URL
    local label=$1 url=$2 value out
    value="\"$label $RANDOM\""
    if out=$("$binary" --url "$url" dict set check:static "\"k\"" "$value" 2>&1) \
        && out=$("$binary" --url "$url" dict get check:static "\"k\"" 2>&1) \
        && [ "$out" = "$value" ]; then
        echo "ok: $label ($url)"
    else
        echo "FAILED: $label ($url): $out"
        failures=$((failures + 1))
    fi
}

check "localhost" "redis://localhost:$port/0"
check "$name via $via" "redis://$name:$port/0"
if [ -n "$ipv6" ]; then
    check "IPv6 loopback" "redis://[::1]:$port/0"
else
    echo "note: no IPv6 loopback on this machine; [::1] not checked"
fi
check "unix socket" "unix://$dir/redis.sock?db=0"

status=0
out=$("$binary" --url "redis://no-such-host.invalid:$port/0" --connect-timeout 2 dict len check:static 2>&1) || status=$?
if [ "$status" = 3 ] && [[ $out == *ConnectionError* ]]; then
    echo "ok: an unknown name is a ConnectionError (exit 3)"
else
    echo "FAILED: an unknown name gave exit $status: $out"
    failures=$((failures + 1))
fi

if [ "$failures" -gt 0 ]; then
    echo "check-static-binary: $failures check(s) failed for $binary" >&2
    exit 1
fi
echo "check-static-binary: $binary resolves every kind of name"

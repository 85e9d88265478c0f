#!/usr/bin/env bash
# Full listings through pottery-cli next to redis-cli printing the same key, in
# one run on one private redis-server: `set members` / SMEMBERS, `dict items` /
# HGETALL, `list items` / LRANGE 0 -1, `keys` / --scan, each over N elements
# (pottery JSON strings; the hash's values are integers).
#
#   scripts/bench-listing.sh [SWIFT] [--smoke]     (or: make bench-listing)
#
# Builds the release pottery-cli (`make release`'s static executable) unless
# POTTERY_CLI names a binary. BENCH_ELEMENTS sets N (default 1000000),
# BENCH_REPEATS the interleaved repeats (default 3). Each run's wall time and
# peak RSS come from /usr/bin/time (output to /dev/null), its server time from
# INFO commandstats. Prints a Markdown table of medians (min-max) and ratios,
# each target (wall <= 1.5x redis-cli, peak RSS < 20 MB) met or missed.
# --smoke: 20000 elements, 1 repeat, and a check that the table came out
# (for .ci/run: the harness keeps working).
set -euo pipefail

swift=${1:-swift}
smoke=
[ "${2:-}" = --smoke ] && smoke=1
cd "$(dirname "$0")/.."
elements=${BENCH_ELEMENTS:-$([ -n "$smoke" ] && echo 20000 || echo 1000000)}
repeats=${BENCH_REPEATS:-$([ -n "$smoke" ] && echo 1 || echo 3)}
cli=${POTTERY_CLI:-}
if [ -z "$cli" ]; then
    make --no-print-directory release SWIFT="$swift" >&2
    cli=$(make --no-print-directory -s release-bin-path SWIFT="$swift")
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/pottery-bench-listing.XXXXXX")
server=
cleanup() {
    if [ -n "$server" ]; then kill -9 "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$dir"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" \
    --logfile "$dir/redis.log" --daemonize no >/dev/null &
server=$!
for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done

# The data: the same N elements as a set, a hash and a list in db 0, and N keys in db 1.
python3 - "$port" "$elements" <<'EOF'
import socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
def command(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out
s = socket.create_connection(("127.0.0.1", port))
sent = 0
def send(data):
    global sent
    s.sendall(data); sent += 1
for start in range(0, n, 1000):
    members = [b'"member-%d"' % i for i in range(start, min(start + 1000, n))]
    send(command("SADD", "bench:set", *members))
    send(command("RPUSH", "bench:list", *members))
    send(command("HSET", "bench:dict", *[x for i, m in enumerate(members, start) for x in (m, str(i))]))
send(command("SELECT", 1))
for start in range(0, n, 1000):
    send(command("MSET", *[x for i in range(start, min(start + 1000, n)) for x in ("bench:key:%d" % i, "v")]))
f = s.makefile("rb")
for _ in range(sent):
    line = f.readline()
    if line.startswith(b"-"): sys.exit("redis: " + line.decode())
EOF

url="redis://127.0.0.1:$port"
scenarios=(
    "set members|$cli --url $url/0 set members bench:set|redis-cli -p $port SMEMBERS bench:set|sscan|smembers"
    "dict items|$cli --url $url/0 dict items bench:dict|redis-cli -p $port HGETALL bench:dict|hscan|hgetall"
    "list items|$cli --url $url/0 list items bench:list|redis-cli -p $port LRANGE bench:list 0 -1|lrange|lrange"
    "keys|$cli --url $url/1 keys|redis-cli -p $port -n 1 --scan|scan|scan"
)

# run LABEL TOOL COMMAND STAT: one timed run, appended to $dir/runs as JSON.
run() {
    local label=$1 tool=$2 command=$3 stat=$4 usec
    redis-cli -p "$port" config resetstat >/dev/null
    /usr/bin/time -f "%e %M" -o "$dir/time" $command >/dev/null
    usec=$(redis-cli -p "$port" info commandstats | sed -n "s/^cmdstat_$stat:calls=[0-9]*,usec=\([0-9]*\),.*/\1/p")
    read -r wall rss <"$dir/time"
    echo "{\"scenario\": \"$label\", \"tool\": \"$tool\", \"wall\": $wall, \"rss_kb\": $rss, \"server_usec\": ${usec:-0}}" >>"$dir/runs"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s)
for repeat in $(seq "$repeats"); do
    echo "repeat $repeat of $repeats" >&2
    for scenario in "${scenarios[@]}"; do
        IFS='|' read -r label ours theirs our_stat their_stat <<<"$scenario"
        run "$label" pottery-cli "$ours" "$our_stat"
        run "$label" redis-cli "$theirs" "$their_stat"
    done
done

echo "Load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores);" \
     "$elements elements per listing, $repeats interleaved repeats, $(( $(date +%s) - started )) s in all."
echo "redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'), $("$cli" --version | sed 's/^/pottery-cli /')."
echo
python3 - "$dir/runs" "$smoke" <<'EOF'
import json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
smoke = sys.argv[2] == "1"
def med(values): return statistics.median(values)
def span(values, fmt): return f"{fmt(med(values))} ({fmt(min(values))}–{fmt(max(values))})"
seconds = lambda v: f"{v:.2f}"
mb = lambda v: f"{v / 1024:.1f}"
print("| listing | pottery-cli wall s | redis-cli wall s | ratio (target ≤ 1.5) | pottery-cli peak RSS MB (target < 20) | redis-cli peak RSS MB | server time s: pottery-cli / redis-cli |")
print("|---|---:|---:|---:|---:|---:|---:|")
missed = 0
for scenario in dict.fromkeys(r["scenario"] for r in runs):
    ours = [r for r in runs if r["scenario"] == scenario and r["tool"] == "pottery-cli"]
    theirs = [r for r in runs if r["scenario"] == scenario and r["tool"] == "redis-cli"]
    ratio = med([r["wall"] for r in ours]) / max(med([r["wall"] for r in theirs]), 1e-3)
    rss = med([r["rss_kb"] for r in ours])
    ok_ratio, ok_rss = ratio <= 1.5, rss < 20 * 1024
    missed += (not ok_ratio) + (not ok_rss)
    print(f"| {scenario} | {span([r['wall'] for r in ours], seconds)} | {span([r['wall'] for r in theirs], seconds)} | "
          f"**{ratio:.2f}x** {'met' if ok_ratio else 'missed'} | {span([r['rss_kb'] for r in ours], mb)} {'met' if ok_rss else 'missed'} | "
          f"{span([r['rss_kb'] for r in theirs], mb)} | {med([r['server_usec'] for r in ours]) / 1e6:.2f} / {med([r['server_usec'] for r in theirs]) / 1e6:.2f} |")
print()
print(f"{missed} target(s) missed." if missed else "Every target met.")
if smoke and len(runs) != 8:
    sys.exit(f"bench-listing smoke: expected 8 runs, got {len(runs)}")
EOF

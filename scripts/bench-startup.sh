#!/usr/bin/env bash
# One-shot calls: pottery-cli's start-up, wall time and peak RSS for `dict set`,
# `nextid`, `lock acquire` and `lock release`, next to redis-cli sending the
# same command, a minimal C hiredis program doing it (scripts/bench-oneshot.c),
# an empty C program (the floor of starting a process here) and a Python pottery
# one-shot, on one private redis-server.
#
#   scripts/bench-startup.sh [SWIFT] [--smoke]     (make bench runs it first)
#
# Variants: "static executable" is `make release` (the Swift runtime, hiredis
# and glibc linked in); "static stdlib" the same sources with -static-stdlib only
# (libc, libstdc++ and libhiredis shared: what `make release` built before),
# in its own scratch dir ($BENCH_SCRATCH, default .build-bench). POTTERY_CLI
# names a binary to measure instead of building (then no "static stdlib" row).
# hyperfine -N, BENCH_ROUNDS (3) rounds of BENCH_RUNS (100) runs per command,
# the rounds interleaved; wall medians over all runs, min-max of the rounds'
# medians; peak RSS from /usr/bin/time (median of 5 runs). `lock acquire` runs
# after an untimed DEL of its key, `lock release` after an untimed SET of the
# lease it releases (hyperfine --prepare).
# --smoke: 1 round of 5 runs, no Python, no "static stdlib" build, and a check
# that the table came out.
set -euo pipefail

swift=${1:-swift}
smoke=
[ "${2:-}" = --smoke ] && smoke=1
cd "$(dirname "$0")/.."
rounds=${BENCH_ROUNDS:-$([ -n "$smoke" ] && echo 1 || echo 3)}
runs=${BENCH_RUNS:-$([ -n "$smoke" ] && echo 5 || echo 100)}
scratch=${BENCH_SCRATCH:-.build-bench}
command -v hyperfine >/dev/null || { echo "$0: needs hyperfine (make bench installs it)" >&2; exit 1; }

static=${POTTERY_CLI:-}
stdlib=
if [ -z "$static" ]; then
    make --no-print-directory release SWIFT="$swift" >&2
    static=$(make --no-print-directory -s release-bin-path SWIFT="$swift")
    if [ -z "$smoke" ]; then
        "$swift" build -c release --product pottery-cli --scratch-path "$scratch" -Xswiftc -static-stdlib >&2
        stdlib="$("$swift" build -c release --product pottery-cli --scratch-path "$scratch" -Xswiftc -static-stdlib --show-bin-path)/pottery-cli"
    fi
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/pottery-bench-startup.XXXXXX")
server=
cleanup() {
    if [ -n "$server" ]; then kill -9 "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$dir"
}
trap cleanup EXIT
oneshot=$dir/bench-oneshot
"${CC:-$(command -v cc || command -v clang)}" -O2 -o "$oneshot" scripts/bench-oneshot.c -lhiredis
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" \
    --logfile "$dir/redis.log" --daemonize no >/dev/null &
server=$!
for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done
url="redis://127.0.0.1:$port/0"
token=0b1c9a52-6c3e-4f43-9d53-2f7c1d2a8e11
release_script="if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"
delete_lock="redis-cli -p $port DEL redlock:bench:lock"
set_lease="redis-cli -p $port SET redlock:bench:lock $token PX 100000"

# name|command|prepare (may be empty)
commands=()
variant() {  # variant LABEL BINARY
    local label=$1 binary=$2
    commands+=("$label --version|$binary --version|"
               "$label dict set|$binary --url $url dict set bench:cli f v|"
               "$label nextid|$binary --url $url nextid bench:cli|"
               "$label lock acquire|$binary --url $url lock acquire bench:lock --no-wait|$delete_lock"
               "$label lock release|$binary --url $url lock release bench:lock --token $token|$set_lease")
}
variant "static executable" "$static"
[ -n "$stdlib" ] && variant "static stdlib" "$stdlib"
commands+=("redis-cli dict set|redis-cli -p $port HSET bench:redis-cli f v|"
           "redis-cli nextid|redis-cli -p $port INCR nextid:bench:redis-cli|"
           "redis-cli lock acquire|redis-cli -p $port SET redlock:bench:lock $token NX PX 10000|$delete_lock"
           "redis-cli lock release|redis-cli -p $port EVAL \"$release_script\" 1 redlock:bench:lock $token|$set_lease"
           "C dict set|$oneshot 127.0.0.1 $port HSET bench:c f v|"
           "C nextid|$oneshot 127.0.0.1 $port INCR nextid:bench:c|"
           "C lock acquire|$oneshot 127.0.0.1 $port SET redlock:bench:lock $token NX PX 10000|$delete_lock"
           "C lock release|$oneshot 127.0.0.1 $port EVAL \"$release_script\" 1 redlock:bench:lock $token|$set_lease"
           "C empty program|$oneshot|")

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s)
for round in $(seq "$rounds"); do
    echo "round $round of $rounds" >&2
    for entry in "${commands[@]}"; do
        IFS='|' read -r name command prepare <<<"$entry"
        arguments=(-N --warmup 3 --runs "$runs" --export-json "$dir/round-$round-${#name}-$RANDOM.json" -n "$name")
        [ -n "$prepare" ] && arguments+=(--prepare "$prepare")
        hyperfine "${arguments[@]}" "$command" >/dev/null 2>&1 || { echo "$0: $name failed: $command" >&2; exit 1; }
    done
done
if [ -z "$smoke" ]; then
    py="from pottery import RedisDict; from redis import Redis; RedisDict(redis=Redis.from_url('$url'), key='bench:py')['f'] = 'v'"
    hyperfine -N --warmup 2 --runs 20 --export-json "$dir/python.json" -n "Python pottery dict set" "python3 -W ignore -c \"$py\"" >/dev/null 2>&1
fi
# Peak RSS: median of 5 runs.
for entry in "${commands[@]}"; do
    IFS='|' read -r name command prepare <<<"$entry"
    for _ in 1 2 3 4 5; do
        [ -n "$prepare" ] && $prepare >/dev/null
        eval "/usr/bin/time -f '%M' -o '$dir/rss' $command" >/dev/null 2>&1 || true
        echo "{\"name\": \"$name\", \"rss_kb\": $(cat "$dir/rss" | tail -1)}" >>"$dir/rss.jsonl"
    done
done

echo "Load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores); $rounds rounds" \
     "of $runs runs per command, $(( $(date +%s) - started )) s in all; hyperfine $(hyperfine --version | cut -d' ' -f2)."
echo "redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'), pottery-cli $("$static" --version)" \
     "($(ls -l "$static" | awk '{printf "%.1f MB", $5 / 1048576}') static executable)."
echo
python3 - "$dir" "$smoke" <<'EOF'
import glob, json, os, statistics, sys
folder, smoke = sys.argv[1], sys.argv[2] == "1"
times, rounds = {}, {}
for path in glob.glob(os.path.join(folder, "*.json")):
    for r in json.load(open(path))["results"]:
        times.setdefault(r["command"], []).extend(r["times"])
        rounds.setdefault(r["command"], []).append(statistics.median(r["times"]))
rss = {}
for line in open(os.path.join(folder, "rss.jsonl")):
    r = json.loads(line); rss.setdefault(r["name"], []).append(r["rss_kb"])
med = {n: statistics.median(t) * 1000 for n, t in times.items()}
def cell(name):
    lo, hi = min(rounds[name]) * 1000, max(rounds[name]) * 1000
    return f"{med[name]:.2f} ({lo:.2f}–{hi:.2f})"
def ratio(a, b): return med[a] / med[b]
print("| command | median wall ms (rounds' min–max) | peak RSS MB | / redis-cli | / C hiredis |")
print("|---|---:|---:|---:|---:|")
variants = [v for v in ("static executable", "static stdlib") if f"{v} dict set" in med]
verbs = ["dict set", "nextid", "lock acquire", "lock release"]
for v in variants:
    print(f"| {v} `--version` | {cell(v + ' --version')} | {statistics.median(rss[v + ' --version']) / 1024:.1f} | | |")
    for verb in verbs:
        n = f"{v} {verb}"
        print(f"| {v} `{verb}` | {cell(n)} | {statistics.median(rss[n]) / 1024:.1f} | {ratio(n, 'redis-cli ' + verb):.2f}x | {ratio(n, 'C ' + verb):.2f}x |")
for tool in ("redis-cli", "C"):
    for verb in verbs:
        n = f"{tool} {verb}"
        print(f"| {n} (anchor) | {cell(n)} | {statistics.median(rss[n]) / 1024:.1f} | | |")
print(f"| C empty program (anchor) | {cell('C empty program')} | {statistics.median(rss['C empty program']) / 1024:.1f} | | |")
if "Python pottery dict set" in med:
    print(f"| Python pottery `dict set` (anchor) | {cell('Python pottery dict set')} | | | |")
print()
missed = []
v = "static executable"
for verb in verbs:
    n = f"{v} {verb}"
    if ratio(n, "redis-cli " + verb) > 0.5: missed.append(f"{verb}: {ratio(n, 'redis-cli ' + verb):.2f}x redis-cli (target ≤ 0.5x)")
    if ratio(n, "C " + verb) > 1.5: missed.append(f"{verb}: {ratio(n, 'C ' + verb):.2f}x C (target ≤ 1.5x)")
    if statistics.median(rss[n]) > 5 * 1024: missed.append(f"{verb}: {statistics.median(rss[n]) / 1024:.1f} MB peak RSS (target ≤ 5 MB)")
pair = med[f"{v} lock acquire"] + med[f"{v} lock release"]
print(f"`lock acquire` + `release`: {pair:.2f} ms = {pair / (med['redis-cli lock acquire'] + med['redis-cli lock release']):.2f}x redis-cli, "
      f"{pair / (med['C lock acquire'] + med['C lock release']):.2f}x C.")
if "static stdlib dict set" in med:
    print(f"static stdlib / static executable: `--version` {ratio('static stdlib --version', 'static executable --version'):.2f}x, "
          f"`dict set` {ratio('static stdlib dict set', 'static executable dict set'):.2f}x.")
print("Targets missed: " + "; ".join(missed) + "." if missed else "Every start-up target met.")
if smoke and "static executable dict set" not in med:
    sys.exit("bench smoke: no table")
EOF

#!/usr/bin/env bash
# Throughput of BloomFilter and HyperLogLog in batches of 1,000 elements, side
# by side in one run with Python pottery 3.0.1 on the same private redis-server,
# and the Bloom filter's measured false-positive rate at its design capacity.
#
#   scripts/bench-probabilistic.sh [SWIFT] [--smoke]     (or: make bench-probabilistic)
#
# BENCH_SECONDS sets each measurement's length (default 3); every figure is the
# median of BENCH_REPEATS runs (default 3). BENCH_ONLY=hll measures only the
# HyperLogLog rows (BENCH_ONLY=bloom only the Bloom rows). Prints a Markdown table.
set -euo pipefail

default_seconds=3
. scripts/bench-common.sh "$@"
port=$(free_port)
start_redis "$port"
url="redis://127.0.0.1:$port/0"

python_bench() {  # MODE N -> JSON like pottery-bench's (hll-update-batch: N is the batch size)
    python3 - "$1" "$2" "$url" "$seconds" <<'PY'
import json, sys, time, uuid, warnings
warnings.simplefilter('ignore')
from redis import Redis
from pottery import BloomFilter, HyperLogLog
mode, n, url, seconds = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
redis = Redis.from_url(url)
key = 'bench:py:' + uuid.uuid4().hex
# Elements made before the clock starts, as in pottery-bench: the calls are measured.
size = n if mode == 'hll-update-batch' else 1000
pool = [['element-%d' % i for i in range(b * size, (b + 1) * size)] for b in range(max(2, 200000 // size))]
batch = lambda first: pool[(first // size) % len(pool)]
if mode.startswith('hll-update'):
    target = HyperLogLog(redis=redis, key=key)
    op = lambda first: target.update(batch(first))
else:
    target = BloomFilter(num_elements=n, false_positives=0.01, redis=redis, key=key)
    if mode == 'bloom-contains':
        # Not pre-filled (pottery adds about 600 elements/s here): contains_many
        # sends one GETBIT per bit whatever the bits hold, so its speed is the same.
        op = lambda first: list(target.contains_many(*batch(first % (2 * n))))
    else:
        op = lambda first: target.update(batch(first))
elements = 0
start = time.monotonic()
while time.monotonic() - start < seconds:
    op(elements)
    elements += size
took = time.monotonic() - start
redis.unlink(key)
print(json.dumps({"mode": mode, "elements": elements, "seconds": took, "per_second": elements / took}))
PY
}

run() {  # LABEL COMMAND... -> one JSON line per run into $dir/runs
    local label=$1; shift
    for _ in $(seq "$repeats"); do
        echo "$label $("$@")" >>"$dir/runs"
    done
}

only=${BENCH_ONLY:-}
# The smoke run skips the filter for 1,000,000 (its 1.2 MB bitmaps are slow in a debug build).
for n in $([ "$only" = hll ] || { [ "$configuration" = debug ] && echo 100000 || echo 100000 1000000; }); do
    run "swift bloom-add $n" "$bench" bloom-add "$seconds" "$url" "$n"
    run "swift bloom-contains $n" "$bench" bloom-contains "$seconds" "$url" "$n"
    run "python bloom-add $n" python_bench bloom-add "$n"
    run "python bloom-contains $n" python_bench bloom-contains "$n"
done
if [ "$only" != bloom ]; then
    # Swift and Python alternate, so a change in the machine's load hits both.
    for _ in $(seq "$repeats"); do
        echo "swift hll-update $("$bench" hll-update "$seconds" "$url")" >>"$dir/runs"
        echo "python hll-update $(python_bench hll-update 0)" >>"$dir/runs"
        echo "swift hll-update-batch $("$bench" hll-update-batch "$seconds" "$url" 10000)" >>"$dir/runs"
        echo "python hll-update-batch $(python_bench hll-update-batch 10000)" >>"$dir/runs"
    done
fi
[ "$only" = hll ] && echo '{}' >"$dir/fpr" || "$bench" bloom-fpr 0 "$url" "$([ "$configuration" = debug ] && echo 2000 || echo 100000)" >"$dir/fpr"

python3 - "$dir/runs" "$dir/fpr" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    label = line[:line.index('{')].strip()
    runs.setdefault(label, []).append(json.loads(line[line.index('{'):])["per_second"])
med = {k: statistics.median(v) for k, v in runs.items()}
print("| measurement (batches of 1,000 elements) | Swift, elements/s | Python pottery, elements/s | Swift / Python |")
print("|---|---:|---:|---:|")
for title, key in [("Bloom add, filter for 100,000 at 1%", "bloom-add 100000"),
                   ("Bloom contains-many, filter for 100,000 at 1%", "bloom-contains 100000"),
                   ("Bloom add, filter for 1,000,000 at 1%", "bloom-add 1000000"),
                   ("Bloom contains-many, filter for 1,000,000 at 1%", "bloom-contains 1000000"),
                   ("HyperLogLog update", "hll-update"),
                   ("HyperLogLog update, batches of 10,000", "hll-update-batch")]:
    if "swift " + key not in med: continue  # (the smoke run's skipped rows)
    s, p = med["swift " + key], med["python " + key]
    print(f"| {title} | {s:,.0f} | {p:,.0f} | {s / p:,.0f}x |")
print()
for label, values in runs.items():
    print(f"{label}: runs {', '.join(f'{v:,.0f}' for v in values)}")
f = json.load(open(sys.argv[2]))
if not f: sys.exit(0)
print()
print(f"False-positive rate at design capacity: {f['num_elements']:,} elements in a filter for {f['num_elements']:,} at "
      f"{f['false_positives']:.0%} (m = {f['size']:,} bits, k = {f['num_hashes']}): {f['false_positive_hits']:,} of "
      f"{f['probes']:,} absent elements answered true = {f['rate']:.4%}; members missed: {f['members_missed']}.")
PY

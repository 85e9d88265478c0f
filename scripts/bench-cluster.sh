#!/usr/bin/env bash
# The container scenarios through PotteryKit on one private redis-server and on
# a private 3-master Redis Cluster (no replicas), side by side in one run: the
# same pottery-bench modes, one client, interleaved. Each mode works on one key,
# so a cluster call goes to one master: the table shows what routing costs
# (slot, map, exchange over the node's socket), not scaling across masters.
#
#   scripts/bench-cluster.sh [SWIFT] [--smoke]     (or: make bench-cluster)
#
# BENCH_SECONDS sets each measurement's timed length (default 1), BENCH_REPEATS
# the repeats (default 3). Prints the load average and a Markdown table of medians (min–max).
set -euo pipefail

. scripts/bench-common.sh "$@"
start() {  # start PORT [cluster]
    if [ "${2:-}" = cluster ]; then
        start_redis "$1" --cluster-enabled yes --cluster-config-file "$dir/$1/nodes.conf"
    else
        start_redis "$1"
    fi
}
single_port=$(free_port)
start "$single_port"
ports=()
for _ in 1 2 3; do port=$(free_port); start "$port" cluster; ports+=("$port"); done
redis-cli --cluster create $(printf '127.0.0.1:%s ' "${ports[@]}") --cluster-yes >/dev/null
for _ in $(seq 200); do
    ok=0
    for port in "${ports[@]}"; do redis-cli -p "$port" cluster info | grep -q 'cluster_state:ok' && ok=$((ok + 1)); done
    [ "$ok" = 3 ] && break
    sleep 0.1
done
single_url="redis://127.0.0.1:$single_port/0"
cluster_url="redis+cluster://$(printf '127.0.0.1:%s,' "${ports[@]}" | sed 's/,$//')"

modes="dict-set dict-get set-add list-append counter-update queue-put dict-update set-add-many list-extend counter-update-many"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s)
for repeat in $(seq "$repeats"); do
    echo "repeat $repeat of $repeats" >&2
    for mode in $modes; do
        echo "single $("$bench" "$mode" "$seconds" "$single_url")" >>"$dir/runs"
        echo "cluster $("$bench" "$mode" "$seconds" "$cluster_url")" >>"$dir/runs"
    done
done

echo "Load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores);" \
     "$repeats interleaved repeats of ${seconds} s per measurement, $(( $(date +%s) - started )) s in all."
echo "redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/')."
echo
python3 - "$dir/runs" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    tool, _, text = line.partition(' ')
    data = json.loads(text)
    runs.setdefault((tool, data['mode']), []).append(data['per_second'])
modes = []
for (_, mode) in runs:
    if mode not in modes: modes.append(mode)
def cell(values): return f"{statistics.median(values):,.0f} ({min(values):,.0f}–{max(values):,.0f})"
print('| mode (operations or elements/s) | one server | 3-master cluster | cluster / server |')
print('|---|---:|---:|---|')
for mode in modes:
    s, c = runs[('single', mode)], runs[('cluster', mode)]
    print(f"| {mode} | {cell(s)} | {cell(c)} | {statistics.median(c) / statistics.median(s):.2f}x |")
PY

#!/usr/bin/env bash
# Every benchmark side by side with its anchors, in one command (`make bench`):
# one-shot start-up, full listings, Redlock/NextID, async, containers, Bloom
# filters and HyperLogLogs, the cache; each script starts its own redis-server(s) and
# prints its Markdown tables (BENCHMARKS.md quotes them, with the analysis).
#
#   scripts/bench.sh [SWIFT] [--smoke]
#
# The whole report also goes to $BENCH_REPORT (default .build-bench/report.md).
# BENCH_ONLY="startup listing" runs only those scripts (startup listing
# primitives async containers probabilistic cache). --smoke (`make bench-smoke`,
# .ci/run): every scenario for a fraction of a second, on a debug build of the
# Benchmarks package, and each script's output must hold a table: the harness
# keeps compiling and working. Each script's own variables (BENCH_SECONDS,
# BENCH_REPEATS, ...) still apply to a full run.
set -euo pipefail

swift=${1:-swift}
mode=${2:-}
cd "$(dirname "$0")/.."
report=${BENCH_REPORT:-.build-bench/report.md}
mkdir -p "$(dirname "$report")"
scripts=${BENCH_ONLY:-startup listing primitives async containers probabilistic cache}

{
    echo "# pottery benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')${mode:+ ($mode)}"
    echo
    echo "Machine: $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), $(. /etc/os-release && echo "$PRETTY_NAME"), $("$swift" --version 2>/dev/null | head -1)."
} >"$report"

failed=()
for name in $scripts; do
    echo "== bench-$name ==" >&2
    started=$(date +%s)
    if output=$(scripts/bench-"$name".sh "$swift" $mode); then
        if ! grep -q '^|---' <<<"$output"; then
            failed+=("$name (no table)")
        fi
    else
        failed+=("$name (exit $?)")
    fi
    { echo; echo "## bench-$name ($(( $(date +%s) - started )) s)"; echo; echo "$output"; } >>"$report"
done
cat "$report"
if [ ${#failed[@]} -gt 0 ]; then
    echo "bench: failed: ${failed[*]}" >&2
    exit 1
fi

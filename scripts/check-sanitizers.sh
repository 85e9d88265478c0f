#!/usr/bin/env bash
# `make check-sanitizers`: the suite's riskiest parts under the sanitizers, and
# valgrind over the CLI. Not part of `make test` / CI (three extra builds).
#
#   scripts/check-sanitizers.sh [SWIFT] [asan|tsan|valgrind ...]   (default: all three)
#
#   asan      AddressSanitizer build (.build/asan) running ASAN_SUITES; the CLI
#             tests among them run the ASan build of pottery-cli too
#   tsan      ThreadSanitizer build (.build/tsan) running TSAN_SUITES (async,
#             pipelined group commit, fan-out, threads sharing connections),
#             each suite in a test process of its own: several together can
#             crash inside the TSan runtime itself (a SEGV in its allocator,
#             then "nested bug"; no race reported; see the README's Reliability)
#   valgrind  memcheck (--leak-check=full --errors-for-leak-kinds=definite) over
#             VALGRIND_COMMANDS of the debug pottery-cli against a private redis-server
#
# Separate scratch paths keep the normal .build untouched. Exits non-zero when
# any step finds something; prints one summary line per step.
set -uo pipefail

swift=${1:-swift}
shift || true
steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(asan tsan valgrind)
cd "$(dirname "$0")/.."

ASAN_SUITES=${ASAN_SUITES:-'ConnectionTests|TransactionAndScriptTests|FanOutTests|NetworkFaultTests|TemporaryKeyReleaseTests|Codec|RedisDictTests|RedisListTests|RedisSetTests|RedisCounterTests|RedisSimpleQueueTests|BloomFilterTests|HyperLogLogTests|RedlockTests|NextIDTests|CLIFuzzTests|StoredDataFuzzTests|DictVerbTests|LockRunTests'}
TSAN_SUITES=${TSAN_SUITES:-'AsyncBatchTests|AsyncConcurrencyTests|AsyncContainerTests|AsyncCreationTests|AsyncListTests|AsyncProbabilisticTests|AsyncQueueAndCacheTests|AsyncSetAndCounterTests|FanOutTests|ConnectionTests|ListConcurrencyTests|TemporaryKeyReleaseTests|ReentranceTests|RedlockTests|NextIDTests|RedisSemaphoreTests'}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pottery-sanitizers.XXXXXX")
cleanup() {
    local pid cwd
    for pid in $(pgrep -x redis-server 2>/dev/null); do
        cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null) || continue
        case "$cwd" in "$tmp"/*) kill -9 "$pid" 2>/dev/null ;; esac
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

failed=0
summary=()

# run_sanitized NAME FLAG SUITES [separately]: with `separately`, one test process per suite
run_sanitized() {
    local name=$1 flag=$2 suites=$3 separately=${4:-} log=".build/$1-check.log" started=$SECONDS status
    mkdir -p .build
    echo "== $name: swift build --build-tests --sanitize=$flag --scratch-path .build/$name"
    if ! "$swift" build --build-tests --sanitize="$flag" --scratch-path ".build/$name" >"$log" 2>&1; then
        tail -40 "$log"
        summary+=("$name: BUILD FAILED")
        failed=1
        return
    fi
    # TSan needs a fixed memory layout on kernels with high mmap entropy.
    local runner=()
    [ "$flag" = thread ] && command -v setarch >/dev/null && runner=(setarch "$(uname -m)" -R)
    local groups=("$suites")
    [ -n "$separately" ] && IFS='|' read -r -a groups <<<"$suites"
    : >"$log"
    status=0
    local group
    for group in "${groups[@]}"; do
        echo "== $name: swift test --filter '$group'"
        TMPDIR="$tmp/" ASAN_OPTIONS=detect_leaks=0 TSAN_OPTIONS=halt_on_error=0 \
            "${runner[@]}" "$swift" test --skip-build --sanitize="$flag" --scratch-path ".build/$name" \
            --filter "$group" >>"$log" 2>&1 || status=$?
    done
    local tests reports
    tests=$(grep -Eo 'Test run with [0-9]+ tests?' "$log" | grep -Eo '[0-9]+' | awk '{ n += $1 } END { print n }')
    reports=$(grep -c "ERROR: AddressSanitizer\|WARNING: ThreadSanitizer\|ERROR: ThreadSanitizer" "$log")
    grep -A30 "ERROR: AddressSanitizer\|WARNING: ThreadSanitizer\|ERROR: ThreadSanitizer" "$log" | head -120
    if [ "$status" -ne 0 ] || [ "$reports" -ne 0 ]; then
        grep -E "✘|error:|failed" "$log" | head -40
        echo "(whole log: $log)"
        failed=1
    fi
    summary+=("$name: ${tests:-?} tests in ${#groups[@]} process(es), exit $status, $reports sanitizer reports, $((SECONDS - started)) s")
}

run_valgrind() {
    local started=$SECONDS
    echo "== valgrind: swift build; memcheck over the CLI"
    "$swift" build --product pottery-cli >"$tmp/valgrind-build.log" 2>&1 || { tail -20 "$tmp/valgrind-build.log"; failed=1; return; }
    local cli
    cli="$("$swift" build --show-bin-path)/pottery-cli"
    # shellcheck disable=SC2016  # expanded by the inner shell, which sees REDIS_URL
    TMPDIR="$tmp/" CLI="$cli" scripts/with-redis.sh bash -c '
        commands=(
            "dict update d a 1 b {\"x\":[1,2.5,null]}"  "dict get d b"  "dict items d"  "dict pop d a"
            "set add s 1 2 3"  "set union s s"  "set members s"
            "list extend l 3 1 2"  "list sort l"  "list get l 0:2"
            "deque appendleft q 0"  "deque rotate q 1"
            "counter update c a a b"  "counter most-common c"
            "queue put u 1 2"  "queue get u --no-wait"
            "bloom add b x y"  "bloom contains-many b x z"
            "hll add h x y"  "hll count h"
            "lock acquire k --no-wait"  "lock status k"  "nextid n --count 3"
            "inspect d"  "keys"  "dict get d missing"  "set add d 1"  "nosuch verb"
            "cache run ck -- true"  "lock run k2 -- true"
        )
        count=0 bad=0
        for line in "${commands[@]}"; do
            eval "args=($line)"
            valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 \
                --log-file="$TMPDIR/vg.%p.log" "$CLI" "${args[@]}" >/dev/null 2>&1
            status=$?
            count=$((count + 1))
            if [ "$status" -eq 99 ]; then
                bad=$((bad + 1))
                echo "valgrind: errors in: pottery-cli $line"
                cat "$TMPDIR"/vg.*.log | head -60
            fi
            rm -f "$TMPDIR"/vg.*.log
        done
        echo "valgrind: $count commands, $bad with errors or definite leaks"
        [ "$bad" -eq 0 ]
    ' | tee "$tmp/valgrind.log"
    local status=${PIPESTATUS[0]}
    [ "$status" -ne 0 ] && failed=1
    summary+=("valgrind: $(tail -1 "$tmp/valgrind.log"), $((SECONDS - started)) s")
}

for step in "${steps[@]}"; do
    case "$step" in
        asan) run_sanitized asan address "$ASAN_SUITES" ;;
        tsan) run_sanitized tsan thread "$TSAN_SUITES" separately ;;
        valgrind) run_valgrind ;;
        *) echo "unknown step: $step (asan, tsan, valgrind)" >&2; exit 2 ;;
    esac
done

echo "== check-sanitizers summary"
printf '%s\n' "${summary[@]}"
exit "$failed"

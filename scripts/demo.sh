#!/usr/bin/env bash
# A short real session of pottery-cli: each command, then what it prints.
#
#   POTTERY_CLI=.build/release/pottery-cli REDIS_URL=redis://127.0.0.1:6390/0 scripts/demo.sh
#
# `make demo` runs it against 3 private redis-servers (scripts/with-redis.sh
# with REDIS_SERVERS=3): the first is REDIS_URL, all three are the lock and ID
# masters (POTTERY_MASTERS; without it the one REDIS_URL is the only master).
# It writes the keys tel, basket, magic, alacazam, nextid:orders and
# redlock:*, so do not point it at a server whose data you care about. Exits 1 if any command exits other than
# as the demo expects.
set -uo pipefail

CLI=${POTTERY_CLI:-pottery-cli}
URL=${REDIS_URL:?set REDIS_URL to the redis-server to use (make demo starts one)}
PYTHON=${PYTHON:-python3}
export POTTERY_MASTERS=${POTTERY_MASTERS:-$URL}
MASTER_COUNT=$(set -- $POTTERY_MASTERS; echo $#)
unexpected=0
errfile=$(mktemp)
trap 'rm -f "$errfile"' EXIT

if [ -t 1 ]; then bold=$'\e[1m' dim=$'\e[2m' plain=$'\e[0m'; else bold='' dim='' plain=''; fi

# Prints a word as you would type it in bash: bare when safe, else single-quoted.
quote() {
    if [[ $1 =~ ^[A-Za-z0-9_:./=@%+,-]+$ ]]; then
        printf '%s' "$1"
    else
        printf "'%s'" "${1//\'/\'\\\'\'}"
    fi
}

# run EXPECTED_STATUS ARGS...: shows `$ pottery-cli --url $URL ARGS`, runs it,
# then shows its stdout, its stderr (marked as such) and its exit status when
# not 0. Notes a status other than EXPECTED_STATUS.
run() {
    local expected=$1 status=0 arg out
    shift
    printf '%s$ pottery-cli --url $URL' "$bold"
    for arg in "$@"; do printf ' %s' "$(quote "$arg")"; done
    printf '%s\n' "$plain"
    out=$("$CLI" --url "$URL" "$@" 2>"$errfile") || status=$?
    if [ -n "$out" ]; then printf '%s\n' "$out"; fi
    report "$expected" "$status" "$(cat "$errfile")"
}

report() {
    local expected=$1 status=$2 err=$3
    if [ -n "$err" ]; then printf '%s(stderr) %s%s\n' "$dim" "$err" "$plain"; fi
    if [ "$status" -ne 0 ]; then printf '%s# exit %s%s\n' "$dim" "$status" "$plain"; fi
    if [ "$status" -ne "$expected" ]; then
        printf '!!! expected exit %s, got %s\n' "$expected" "$status"
        unexpected=1
    fi
}

section() { printf '\n%s# %s%s\n' "$bold" "$*" "$plain"; }

section "A Redis-backed dict, as in pottery's README (URL=$URL)"
run 0 dict update tel jack 4098 sape 4139
run 0 dict set tel guido 4127
run 0 dict items tel
run 0 dict get tel jack
run 0 dict del tel sape
run 0 dict set tel irv 4127
run 0 dict keys tel
run 0 dict len tel
run 0 dict contains tel guido
run 1 dict contains tel sape

section "Python pottery reads what the CLI wrote"
py="from pottery import RedisDict; from redis import Redis; print(dict(RedisDict(redis=Redis.from_url('$URL'), key='tel')))"
printf '%s$ %s -c "%s"%s\n' "$bold" "$PYTHON" "$py" "$plain"
"$PYTHON" -W ignore -c "$py" || { echo '!!! python3 with pottery failed (make deps installs it)'; unexpected=1; }

section "Sets: add, members, membership (exit status 0 or 1), union"
run 0 set add basket apple orange apple pear orange banana
run 0 set members basket
run 0 set contains basket orange
run 1 set contains basket crabgrass
run 0 set add magic a b r a c a d a b r a
run 0 set add alacazam a l a c a z a m
run 0 set union magic alacazam

section "Operators: what is this key, which keys are there"
run 0 inspect tel
run 0 keys

section "The main job: locks and IDs over ${MASTER_COUNT} independent masters (\$POTTERY_MASTERS)"
printf '%s# POTTERY_MASTERS=%s%s\n' "$dim" "$POTTERY_MASTERS" "$plain"
run 0 nextid orders
run 0 nextid orders
run 0 nextid orders --count 5
py="from pottery import NextID; from redis import Redis; print(next(NextID(key='orders', masters={$(for m in $POTTERY_MASTERS; do printf "Redis.from_url('%s'), " "$m"; done)})))"
printf '%s$ %s -c "from pottery import NextID; ... print(next(NextID(key=\x27orders\x27, masters=...)))"%s\n' "$bold" "$PYTHON" "$plain"
"$PYTHON" -W ignore -c "$py" || { echo '!!! python3 with pottery failed'; unexpected=1; }
run 0 nextid orders

section "Two jobs race for one lock: the first runs, the second waits its turn or gives up (exit 75)"
race_log=$(mktemp)
job='echo "job A: has the lock (token ${POTTERY_LOCK_TOKEN%%-*}...)"; sleep 2; echo "job A: done"'
printf '%s$ pottery-cli --url $URL lock run nightly-backup -- sh -c %s &%s\n' "$bold" "$(quote "$job")" "$plain"
"$CLI" --url "$URL" lock run nightly-backup -- sh -c "$job" >"$race_log" 2>&1 &
job_a=$!
for _ in $(seq 50); do grep -q "has the lock" "$race_log" && break; sleep 0.05; done
cat "$race_log"
run 75 lock run nightly-backup --no-wait -- echo "job B: ran"
run 0 lock status nightly-backup
printf '%s$ pottery-cli --url $URL lock run nightly-backup --timeout 10 -- echo %s%s\n' "$bold" "'job B: ran after A'" "$plain"
status=0
"$CLI" --url "$URL" lock run nightly-backup --timeout 10 -- echo "job B: ran after A" >"$race_log.b" 2>&1 || status=$?
wait "$job_a" || { echo '!!! job A failed'; unexpected=1; }
sed 1d "$race_log"; cat "$race_log.b"
report 0 "$status" ""
rm -f "$race_log" "$race_log.b"

section "A lock held from a shell, by token; fencing tokens strictly increase"
token=$("$CLI" --url "$URL" --raw lock acquire report --fencing | "$PYTHON" -c 'import json,sys; d=json.load(sys.stdin); print(d["token"])')
printf '%s$ token=$(pottery-cli --url $URL lock acquire report --fencing | jq -r .token)%s\n' "$bold" "$plain"
run 0 lock locked report --token "$token"
run 1 lock acquire report --no-wait
run 0 lock release report --token "$token"
run 0 lock acquire report --fencing --no-wait

section "Errors: exit status, and one JSON object on stderr"
run 1 dict get tel sape
run 4 set add tel x
run 2 dict frobnicate tel

echo
if [ "$unexpected" -ne 0 ]; then
    echo "demo: some commands did not behave as expected (marked !!!)"
    exit 1
fi
echo "demo: done"

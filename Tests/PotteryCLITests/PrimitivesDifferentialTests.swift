import Foundation
import PotteryTestSupport
import Testing

/// A differential test of the coordination and probabilistic verbs: one
/// python3 process drives Python pottery 3.0.1 and the pottery-cli binary on
/// the same keys (or twin keys `…:py` / `…:cli` where both write) and compares
/// answers, exit statuses, error types and the raw Redis bytes:
/// - BloomFilter: pottery's sizing (m, k) for tiny, odd and random
///   `(num_elements, false_positives)` pairs against `bloom info`; bitmaps
///   identical for identical elements (non-ASCII and astral-plane included);
///   `len` equal to pottery's (or both failing on a saturated filter);
///   `contains-many` in order, on the CLI's filter and on pottery's;
/// - HyperLogLog: bytes identical after the same elements (sparse and dense),
///   after `contains-many` (which must not write) and after `merge`; counts and
///   membership answers equal;
/// - keys of another Redis type: pottery raises `ResponseError`, the CLI exits 4
///   with `WrongTypeError` and changes nothing;
/// - the Bloom sizing record: written on the CLI's first use of pottery's
///   filter, other sizing refused (exit 2, bits unchanged), a stale record
///   beside a filter pottery cleared replaced;
/// - redis_cache: `cache len`, `cache run` and `cache clear` over pottery's hash;
/// - NextID and Redlock over 5 masters and over the one `--url` server: draws
///   interleaved with pottery's are consecutive, stored as plain decimals;
///   `--current`, `--reset`, non-numeric stored bytes and a key of another type;
///   a Python lease seen, extended and released by the CLI, a CLI lease seen,
///   extended (pottery's limit of 3 per object, none in the CLI) and released
///   by pottery, PX = int(auto_release × 1000); `lock run` exits 75 while
///   pottery holds the lock, else gives its command `$POTTERY_LOCK_KEY`,
///   `$POTTERY_LOCK_TOKEN` and the command's own status, leaving no lock behind.
///
/// The seed is fixed (override with `POTTERY_DIFF_SEED=N`) and printed in
/// every failure.
@Suite struct PrimitivesDifferentialTests {
    @Test func cliMatchesPythonPotteryOnLocksIDsBloomFiltersAndHyperLogLogs() throws {
        let seed = ProcessInfo.processInfo.environment["POTTERY_DIFF_SEED"].flatMap { Int($0) } ?? 20_261_130
        #expect(FileManager.default.isExecutableFile(atPath: CLI.binary), "no pottery-cli at \(CLI.binary)")
        let config: [String: Any] = [
            "seed": seed, "url": RedisServer.shared.url, "masters": CLIMasters.shared.urls, "cli": CLI.binary,
            "prefix": uniqueKey("PrimitivesDifferential"),
        ]
        let input = try JSONSerialization.data(withJSONObject: config)
        let started = ContinuousClock.now
        let python = try Python.run(primitivesDifferentialScript, stdin: Array(input))
        let elapsed = ContinuousClock.now - started
        let output = String(decoding: python.stdout, as: UTF8.self)
        #expect(python.status == 0 && output == "ok\n", """
            differential test (seed \(seed), \(elapsed)) exited \(python.status):
            \(output)
            stderr:
            \(python.stderr)
            """)
    }
}

/// The differential script. Reads `{"seed", "url", "masters", "cli", "prefix"}`
/// on stdin; prints `ok`, or the list of mismatches and exits 1.
private let primitivesDifferentialScript = #"""
import json, os, random, subprocess, sys, uuid, warnings

from redis import Redis
from pottery import BloomFilter, HyperLogLog, NextID, Redlock
from pottery import QuorumNotAchieved, ReleaseUnlockedLock, TooManyExtensions

warnings.simplefilter('ignore')
config = json.loads(sys.stdin.read())
SEED, URL, MASTERS, CLI, PREFIX = config['seed'], config['url'], config['masters'], config['cli'], config['prefix']
rng = random.Random(SEED)
r = Redis.from_url(URL)
ENV = {k: v for k, v in os.environ.items() if k not in ('REDIS_URL', 'REDISCLI_AUTH', 'POTTERY_MASTERS', 'POTTERY_CLI')}
ENV['REDIS_URL'] = URL
ENV['POTTERY_MASTERS'] = ' '.join(MASTERS)
failures = []

POOL = [
    0, 1, -1, 42, 2**64, -(2**64), 2**53 + 1, 0.0, -0.0, 1.0, 0.1, 1.5, 1e16, 1e-05,
    float('inf'), float('-inf'), float('nan'), True, False, None,
    '', 'a', 'B', '\u00e9', '\U0001F600', '\U00010348', '\u4e2d\u6587', '"', '\\', '\n', '\u2028', '4098', 'true', 'null',
    [], {}, [1, 'two', [3.5, None, True]], {'b': 1, 'a': [True, None]}, {'\u00e9': 1, '\U0001F600': 2},
]


def check(ok, what):
    if not ok:
        failures.append(what)


def run_cli(*args, stdin=None, env=ENV):
    p = subprocess.run([CLI, *map(str, args)], input=stdin, capture_output=True, env=env)
    out = p.stdout.decode()
    err = p.stderr.decode()
    value = json.loads(out) if out.strip() else None
    etype = json.loads(err)['error']['type'] if err.strip().startswith('{') else None
    return p.returncode, value, etype, err


def cli(*args, stdin=None):
    return run_cli(*args, stdin=stdin)


def lines(values):
    return ''.join(json.dumps(v) + '\n' for v in values).encode()


def K(name):
    return f'{PREFIX}:{name}'


def pyerr(f):
    try:
        return f()
    except Exception as e:
        return type(e).__name__

# ---- BloomFilter: sizing ----------------------------------------------------------------
pairs = [(1, 0.5), (1, 0.999999), (2, 0.9), (3, 0.3), (7, 1 / 3), (10, 0.5), (13, 0.999), (100, 1e-15), (1, 1e-300)]
pairs += [(rng.randint(1, 10 ** rng.randint(1, 6)),
           rng.choice([rng.random(), 10 ** -rng.uniform(0, 12), 1 - 10 ** -rng.uniform(1, 8)])) for _ in range(4)]
sizing_key = K('bloom:sizing')
for n, p in pairs:
    bf = BloomFilter(num_elements=n, false_positives=p, redis=r, key=sizing_key)
    status, value, _, err = cli('bloom', 'info', sizing_key, '--num-elements', n, '--false-positives', repr(p))
    check(status == 0 and (value['size'], value['num_hashes']) == (bf.size(), bf.num_hashes()),
          f'bloom sizing n={n} p={p!r}: pottery m={bf.size()} k={bf.num_hashes()}, cli {status} {value} {err}')

# ---- BloomFilter: bits, len, contains-many ----------------------------------------------
for n, p in [(100, 0.01), (3, 0.3), (37, 0.123456789), (1000, 0.001)]:
    S = ['--num-elements', n, '--false-positives', repr(p)]
    py, mine = K(f'bloom:{n}:py'), K(f'bloom:{n}:cli')
    elements = rng.sample(POOL, rng.randint(1, min(len(POOL), 2 * n)))
    bf = BloomFilter(elements, num_elements=n, false_positives=p, redis=r, key=py)
    status, _, _, err = cli('--json', 'bloom', 'add', mine, '-', *S, stdin=lines(elements))
    check(status == 0 and r.get(py) == r.get(mine), f'bloom {n},{p}: bitmaps differ after adding {elements!r} ({status} {err})')
    expected = pyerr(lambda: len(bf))
    status, value, etype, err = cli('bloom', 'len', mine, *S)
    got = value if status == 0 else etype
    check(got == expected and (status == 0) == isinstance(expected, int), f'bloom {n},{p} len: pottery {expected}, cli {status} {got}')
    probe = rng.sample(POOL, len(POOL)) + ['unseen', 123456, [2]]
    answers = list(bf.contains_many(*probe))
    for key in (py, mine):
        status, value, _, err = cli('--json', 'bloom', 'contains-many', key, '-', *S, stdin=lines(probe))
        check(status == 0 and value == list(answers), f'bloom {n},{p} contains-many on {key}: pottery {list(answers)}, cli {value} {err}')
    # The sizing record: made by the CLI's first use of pottery's filter; other sizing is refused and changes
    # nothing; a record left beside a filter pottery cleared gives way to a new filter's sizing.
    record = json.loads(r.get(py + ':bloom-sizing') or 'null')
    check(record and (record['size'], record['num_hashes']) == (bf.size(), bf.num_hashes()), f'bloom {n},{p}: sizing record {record}')
    bits = r.get(py)
    status, _, etype, _ = cli('bloom', 'add', py, 'other', '--num-elements', 2 * n + 7, '--false-positives', repr(p))
    check((status, etype) == (2, 'ValueError') and r.get(py) == bits, f'bloom {n},{p}: other sizing gave {status} {etype}')
    bf.clear()
    fresh = BloomFilter(['other'], num_elements=2 * n + 7, false_positives=p, redis=r, key=py + ':fresh')
    status, _, _, err = cli('bloom', 'add', py, 'other', '--num-elements', 2 * n + 7, '--false-positives', repr(p))
    check(status == 0 and r.get(py) == r.get(py + ':fresh'), f'bloom {n},{p}: a new filter beside a stale record: {status} {err}')
    cli('bloom', 'clear', py)
    BloomFilter(elements, num_elements=n, false_positives=p, redis=r, key=py)
    element = rng.choice(probe)
    status, value, _, _ = cli('--json', 'bloom', 'contains', py, json.dumps(element), *S)
    check(status == (0 if element in bf else 1) and value == (element in bf), f'bloom contains {element!r}')

# ---- HyperLogLog ------------------------------------------------------------------------
for size in (3, 40, 700, 2500):
    py, mine = K(f'hll:{size}:py'), K(f'hll:{size}:cli')
    elements = POOL + [rng.randint(0, 10 ** 9) for _ in range(size)]
    rng.shuffle(elements)
    h = HyperLogLog(elements, redis=r, key=py)
    status, _, _, err = cli('--json', 'hll', 'add', mine, '-', stdin=lines(elements))
    check(status == 0 and r.get(py) == r.get(mine), f'hll {size}: bytes differ after the same elements ({status} {err}; '
          f'{len(r.get(py) or b"")} vs {len(r.get(mine) or b"")} bytes)')
    probe = POOL[:10] + [rng.randint(0, 10 ** 9) for _ in range(30)]
    answers = list(h.contains_many(*probe))
    before = r.get(mine)
    status, value, _, err = cli('--json', 'hll', 'contains-many', mine, '-', stdin=lines(probe))
    check(status == 0 and value == answers, f'hll {size} contains-many: pottery {answers}, cli {value} {err}')
    check(r.get(mine) == before, f'hll {size}: contains-many changed the HLL\'s bytes')
    status, value, _, _ = cli('hll', 'count', mine)
    check(value == len(h), f'hll {size} count: pottery {len(h)}, cli {value}')
    check(r.get(py) == r.get(mine), f'hll {size}: bytes differ after PFCOUNT on both')
    again = rng.choice(elements)
    h.update([again])
    status, _, _, err = cli('--json', 'hll', 'add', mine, json.dumps(again))
    check(status == 0 and r.get(py) == r.get(mine), f'hll {size}: bytes differ after adding {again!r} again ({err})')
other_py, other_cli = K('hll:other:py'), K('hll:other:cli')
extra = [rng.randint(0, 10 ** 9) for _ in range(50)]
HyperLogLog(extra, redis=r, key=other_py)
cli('hll', 'add', other_cli, *extra)
HyperLogLog(redis=r, key=K('hll:40:py')).update(HyperLogLog(redis=r, key=other_py))
status, _, _, err = cli('hll', 'merge', K('hll:40:cli'), other_cli)
check(status == 0 and r.get(K('hll:40:py')) == r.get(K('hll:40:cli')), f'hll merge: bytes differ ({status} {err})')

# ---- Keys of another type: pottery raises ResponseError, the CLI exits 4 and changes nothing ------
S = ['--num-elements', 10, '--false-positives', '0.1']
for kind, make in (('list', lambda k: r.rpush(k, 'x')), ('hash', lambda k: r.hset(k, 'f', 'v')), ('string', lambda k: r.set(k, 'plain'))):
    key = K(f'typed:{kind}')
    make(key)
    before = (r.type(key), r.dump(key))
    calls = [('hll', 'add', key, 'e'), ('hll', 'contains', key, 'e'), ('hll', 'contains-many', key, 'e'), ('hll', 'count', key),
             ('hll', 'merge', K('typed:dest'), key), ('hll', 'clear', key)]
    if kind != 'string':  # pottery's BloomFilter reads and writes the bits of a plain string
        calls += [('bloom', 'add', key, 'e', *S), ('bloom', 'contains', key, 'e', *S), ('bloom', 'len', key, *S), ('bloom', 'clear', key)]
    for call in calls:
        status, _, etype, err = cli(*call)
        check((status, etype) == (4, 'WrongTypeError'), f'{call} over a {kind}: {status} {err}')
    check((r.type(key), r.dump(key)) == before and not r.exists(K('typed:dest')), f'a {kind} changed')
    check(pyerr(lambda: HyperLogLog(['e'], redis=r, key=key)) == 'ResponseError', f'pottery hll over a {kind}')
    if kind != 'string':
        check(pyerr(lambda: BloomFilter(['e'], num_elements=10, false_positives=0.1, redis=r, key=key)) == 'ResponseError',
              f'pottery bloom over a {kind}')

# ---- redis_cache: the CLI's cache verbs over pottery's hash -------------------------------------
cache_key = K('cache')
from pottery import redis_cache


@redis_cache(redis=r, key=cache_key)
def square(x):
    return x * x


square(2), square(3), square(2)
status, value, _, _ = cli('cache', 'len', cache_key)
check((status, value) == (0, square.cache_info().currsize) and value == 2, f'cache len of pottery\'s cache: {status} {value}')
p = subprocess.run([CLI, 'cache', 'run', cache_key, '--', 'echo', 'hi'], stdin=subprocess.DEVNULL, capture_output=True, env=ENV)
check(p.returncode == 0 and p.stdout == b'hi\n' and square.cache_info().currsize == 3, f'cache run beside pottery\'s entries: {p}')
check(55 <= r.ttl(cache_key) <= 60 and square(3) == 9 and square.cache_info().hits == 2, 'cache run keeps the entries 60 s, as pottery')
status, value, _, _ = cli('cache', 'clear', cache_key)
check((status, value) == (0, None) and not r.exists(cache_key) and square.cache_info().currsize == 0, 'cache clear')

# ---- NextID and Redlock, over several masters and over the one --url server --------------
def ids_and_locks(label, urls, env):
    mr = [Redis.from_url(u) for u in urls]
    masters = set(mr)
    def cli(*args, stdin=None):
        return run_cli(*args, stdin=stdin, env=env)
    def check(ok, what):
        if not ok:
            failures.append(f'{label}: {what}')
    nid = K(label + ':ids')
    ids = NextID(key=nid, masters=masters)
    drawn = []
    for _ in range(12):
        choice = rng.randrange(3)
        if choice == 0:
            drawn.append(next(ids))
        elif choice == 1:
            status, value, _, err = cli('nextid', nid)
            check(status == 0 and isinstance(value, int), f'nextid: {status} {err}')
            drawn.append(value)
        else:
            count = rng.randint(1, 5)
            status, value, _, err = cli('nextid', nid, '--count', count)
            check(status == 0 and isinstance(value, list) and len(value) == count, f'nextid --count {count}: {status} {value} {err}')
            drawn.extend(value or [])
    check(drawn == list(range(1, len(drawn) + 1)), f'nextid interleaved draws: {drawn}')
    # A draw returns once a majority took it (pottery's and ours), so a minority may still be behind.
    stored = [m.get('nextid:' + nid) for m in mr]
    check(stored.count(str(len(drawn)).encode()) > len(mr) // 2 and all(v is None or int(v) <= len(drawn) for v in stored),
          f'nextid stored bytes {stored} after {drawn}')
    status, value, _, _ = cli('nextid', nid, '--current')
    check((status, value) == (0, len(drawn)),
          f'nextid --current: {status} {value} after {drawn}, masters {[m.get("nextid:" + nid) for m in mr]}')
    status, value, _, _ = cli('nextid', nid, '--reset')
    check((status, value) == (0, None) and all(m.get('nextid:' + nid) is None for m in mr), 'nextid --reset')
    check(next(ids) == 1, 'pottery after --reset')
    for stored in (b'garbage', b'5.5'):
        for m in mr:
            m.set('nextid:' + nid, stored)
        status, _, etype, _ = cli('nextid', nid)
        check((status, etype) == (4, 'TypeError') and pyerr(lambda: next(ids)) == 'ValueError', f'nextid over {stored!r}: {status} {etype}')
    for m in mr:
        m.delete('nextid:' + nid)
        m.hset('nextid:' + nid, 'a', '1')
    status, _, etype, _ = cli('nextid', nid)
    check((status, etype) == (4, 'WrongTypeError'), f'nextid over a hash: {status} {etype}')
    check(pyerr(lambda: next(ids)) == 'QuorumNotAchieved', 'pottery nextid over a hash')

    lk = K(label + ':lock')
    py = Redlock(key=lk, masters=masters, auto_release_time=rng.choice([20.5, 27.3, 30]))
    check(py.acquire(blocking=False), 'pottery acquires a free lock')
    status, value, _, _ = cli('lock', 'locked', lk)
    check(status == 0 and 0 < value <= py.auto_release_time * 1000, f'lock locked of a Python lease: {status} {value}')
    status, value, _, _ = cli('lock', 'locked', lk, '--token', py._uuid)
    check(status == 0 and 0 < value <= py.auto_release_time * 1000, f'lock locked --token of a Python lease: {status} {value}')
    status, value, _, _ = cli('lock', 'status', lk)
    check(status == 0 and value['held'] and py._uuid not in json.dumps(value), f'lock status of a Python lease: {value}')
    status, value, _, _ = cli('lock', 'acquire', lk, '--no-wait')
    check(status == 1 and value['acquired'] is False, f'lock acquire --no-wait of a held lock: {status} {value}')
    status, _, etype, _ = cli('lock', 'extend', lk, '--token', str(uuid.uuid4()))
    check((status, etype) == (1, 'ExtendUnlockedLock'), f'extend with a wrong token: {status} {etype}')
    status, value, _, _ = cli('lock', 'extend', lk, '--token', py._uuid, '--auto-release', '90')
    check((status, value) == (0, None) and all(py.auto_release_time * 1000 < m.pttl('redlock:' + lk) <= 90000 for m in mr), 'extend of a Python lease')
    status, _, etype, _ = cli('lock', 'release', lk, '--token', str(uuid.uuid4()))
    check((status, etype) == (1, 'ReleaseUnlockedLock') and py.locked() > 0, f'release with a wrong token: {status} {etype}')
    status, value, _, _ = cli('lock', 'release', lk, '--token', py._uuid)
    check((status, value) == (0, None) and py.locked() == 0, 'release of a Python lease')
    check(pyerr(py.release) == 'ReleaseUnlockedLock', 'pottery release after the CLI released')
    # lock run: 75 while pottery holds the lock (the command does not run), else the command's status and environment.
    check(py.acquire(blocking=False), 'pottery acquires again')
    run = ['lock', 'run', lk, '--no-wait', '--', 'sh', '-c', 'printf "%s %s" "$POTTERY_LOCK_KEY" "$POTTERY_LOCK_TOKEN"; exit 7']
    p = subprocess.run([CLI, *run], capture_output=True, env=env)
    check(p.returncode == 75 and p.stdout == b'', f'lock run while pottery holds the lock: {p}')
    py.release()
    p = subprocess.run([CLI, *run], capture_output=True, env=env)
    seen = p.stdout.decode().rsplit(' ', 1)
    check(p.returncode == 7 and seen[0] == lk and len(seen) == 2 and str(uuid.UUID(seen[1])) == seen[1]
          and all(not m.exists('redlock:' + lk) for m in mr), f'lock run: {p}')
    status, value, _, _ = cli('lock', 'locked', lk)
    check((status, value) == (1, 0), f'lock locked of a free lock: {status} {value}')

    auto = rng.choice(['15.0119', '17.2345', '20'])
    status, value, _, err = cli('lock', 'acquire', lk, '--auto-release', auto)
    check(status == 0 and value['acquired'] and value['key'] == lk and value['auto_release_time'] == float(auto), f'lock acquire: {status} {value} {err}')
    if not (status == 0 and value):
        return
    token = value['token']
    ms = int(float(auto) * 1000)
    check(all(m.get('redlock:' + lk) == token.encode() for m in mr), 'token stored on every master')
    check(all(0 <= m.pttl('redlock:' + lk) <= ms for m in mr), f'PX is int(auto_release*1000) = {ms}')
    other = Redlock(key=lk, masters=masters)
    check(other.acquire(blocking=False) is False, 'pottery cannot take a CLI lease')
    mine = Redlock(key=lk, masters=masters, auto_release_time=30)
    mine._uuid = token
    check(mine.locked() > 0, 'pottery sees the CLI lease with its token')
    for _ in range(3):
        mine.extend()
    check(pyerr(mine.extend) == 'TooManyExtensions', 'pottery: a fourth extension')
    for _ in range(4):
        status, _, _, _ = cli('lock', 'extend', lk, '--token', token)
        check(status == 0, 'the CLI does not count extensions')
    mine.release()
    status, value, _, _ = cli('lock', 'locked', lk, '--token', token)
    check((status, value) == (1, 0), f'lock locked --token after pottery released: {status} {value}')



ids_and_locks('5 masters', MASTERS, ENV)
ONE = dict(ENV)
del ONE['POTTERY_MASTERS']
ids_and_locks('1 master', [URL], ONE)

print(json.dumps(failures, indent=1) if failures else 'ok')
sys.exit(1 if failures else 0)
"""#

import Foundation
import PotteryTestSupport
import Testing

/// A differential test: one python3 process applies the same random sequence
/// of dict and set operations to Python pottery (keys `…:py`) and to the
/// pottery-cli binary (keys `…:cli`), and after every operation compares the
/// CLI's stdout and exit status with pottery's return value, and the raw Redis
/// bytes of both keys.
///
/// The seed is fixed (override with `POTTERY_DIFF_SEED=N`) and printed in
/// every failure. Where the contract has the CLI print more than pottery (a
/// count for `set add`/`set discard`, `null` for `None`), the script checks
/// that. Where pottery cannot give Python's answer, the expected value comes
/// from Python's own set semantics on the members as Redis holds them:
/// - `intersection_update`, `symmetric_difference(_update)`: pottery raises
///   `NotImplementedError` (docs/ARCHITECTURE.md lists these as ours);
/// - `union`/`intersection`/`difference`/`isdisjoint` return or build a
///   Python set, which cannot hold list/dict members (`TypeError`) and merges
///   `1`, `1.0` and `true`, three distinct Redis members (pottery-format §19.19);
/// - `dict update` with list/dict or Python-equal fields (`1`, `1.0`, `true`):
///   pottery first builds a Python dict of the pairs; Python's
///   `MutableMapping.update` is `d[k] = v` for each pair in order.
/// `pop`/`popitem` run on the CLI first; the member it chose is then removed
/// on the Python side, so both keys stay equal.
@Suite struct DifferentialTests {
    @Test func cliMatchesPythonPotteryOnRandomDictAndSetOperations() throws {
        let seed = ProcessInfo.processInfo.environment["POTTERY_DIFF_SEED"].flatMap { Int($0) } ?? 20_250_601
        #expect(FileManager.default.isExecutableFile(atPath: CLI.binary), "no pottery-cli at \(CLI.binary)")
        let config: [String: Any] = [
            "seed": seed, "url": RedisServer.shared.url, "cli": CLI.binary,
            "prefix": uniqueKey("DifferentialTests"), "ops": 300,
        ]
        let input = try JSONSerialization.data(withJSONObject: config)
        let started = ContinuousClock.now
        let python = try Python.run(differentialScript, stdin: Array(input))
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

/// The differential script. Reads `{"seed", "url", "cli", "prefix", "ops"}` on
/// stdin; prints `ok`, or a mismatch report and exits 1.
private let differentialScript = #"""
import json, os, random, shlex, subprocess, sys, time, warnings

from redis import Redis
from pottery import RedisDict, RedisSet

warnings.simplefilter('ignore')
config = json.loads(sys.stdin.read())
SEED, URL, CLI, PREFIX, NOPS = config['seed'], config['url'], config['cli'], config['prefix'], config['ops']
rng = random.Random(SEED)
r = Redis.from_url(URL)
ENV = {k: v for k, v in os.environ.items() if k not in ('REDIS_URL', 'REDISCLI_AUTH', 'POTTERY_MASTERS', 'POTTERY_CLI')}
ENV['REDIS_URL'] = URL

POOL = [
    0, 1, -1, 42, 2**64, -(2**64), 2**53 + 1,
    0.0, -0.0, 1.0, 0.1, 1.5, 1e16, 1e-05, float('inf'), float('-inf'), float('nan'),
    True, False, None,
    '', 'a', 'B', '\u00e9', '\U0001F600', '"', '\\', '\n', 'say "hi"\\\n\t\u2028/', '4098', 'true', 'null', '-1',
    [], {}, [1, 'two', [3.5, None, True]], [[]], {'b': 1, 'a': [True, None]},
    {'\u00e9': 1, '\U0001F600': 2, '\uffff': 3, 'B': 4, 'a': {'z': -0.0, 'y': '\u00e9'}},
]


def enc(value):
    'pottery\'s encoding: json.dumps(value, sort_keys=True) as bytes.'
    return json.dumps(value, sort_keys=True).encode()


def norm(value):
    return json.dumps(value, sort_keys=True)


def unordered(values):
    return sorted(norm(v) for v in values)


def desc(*parts):
    'An op as a shell command line (KEY and OTHERs are A or B).'
    return ' '.join(shlex.quote(str(p)) for p in parts)


def J(value):
    'A CLI element argument: the JSON text of the value.'
    return json.dumps(value)


KEYS = {}
for kind in ('dict', 'set'):
    for name in ('A', 'B'):
        KEYS[kind, name] = (f'{PREFIX}:{kind}:{name}:py', f'{PREFIX}:{kind}:{name}:cli')
r.delete(*[k for pair in KEYS.values() for k in pair])


def raw(kind, key):
    return r.hgetall(key) if kind == 'dict' else r.smembers(key)


def resync(kind, name):
    'After a mismatch: copy the py key onto the cli key so later ops test afresh.'
    py, cli = KEYS[kind, name]
    r.delete(cli)
    data = raw(kind, py)
    if data:
        if kind == 'dict':
            r.hset(cli, mapping=data)
        else:
            r.sadd(cli, *data)


log = []          # every op, as text
mismatches = []   # (op index, text)
fallbacks = {}    # why the expected value did not come from pottery itself, with counts


def note_fallback(why):
    fallbacks[why] = fallbacks.get(why, 0) + 1


def cli(*args):
    p = subprocess.run([CLI, *args], env=ENV, stdin=subprocess.DEVNULL, capture_output=True, timeout=30)
    return p.returncode, p.stdout, p.stderr.decode(errors='replace')


class Expect:
    'What the CLI must do: exit status, stdout value (or KeyError with empty stdout).'

    def __init__(self, status=0, value=None, compare=norm, key_error=False):
        self.status, self.value, self.compare, self.key_error = status, value, compare, key_error


MISSING = object()


def check(expect, result):
    status, out, err = result
    problems = []
    if status != expect.status:
        problems.append(f'exit status: expected {expect.status}, got {status}')
    if expect.key_error:
        if out != b'':
            problems.append(f'stdout: expected nothing (KeyError), got {out!r}')
        try:
            error_type = json.loads(err)['error']['type']
        except Exception:
            error_type = None
        if error_type != 'KeyError':
            problems.append(f'stderr: expected a KeyError object, got {err!r}')
    else:
        try:
            got = json.loads(out)
        except Exception:
            got = MISSING
            problems.append(f'stdout is not one JSON document: {out!r} (stderr {err!r})')
        if got is not MISSING and expect.compare(got) != expect.compare(expect.value):
            problems.append(f'stdout: expected {expect.compare(expect.value)}, got {expect.compare(got)} '
                            f'(raw {out!r}, stderr {err!r})')
    return problems


def compare_states(kind):
    problems = []
    for name in ('A', 'B'):
        py, cli_key = KEYS[kind, name]
        want, got = raw(kind, py), raw(kind, cli_key)
        if want != got:
            if kind == 'dict':
                detail = (f'only py: {[(k, want[k]) for k in want if k not in got]}, '
                          f'only cli: {[(k, got[k]) for k in got if k not in want]}, '
                          f'differing values: {[(k, want[k], got[k]) for k in want if k in got and want[k] != got[k]]}')
            else:
                detail = f'only py: {sorted(want - got)}, only cli: {sorted(got - want)}'
            problems.append(f'Redis bytes of {kind} {name} differ: {detail}')
            resync(kind, name)
    return problems


def pick(kind, name, hit=0.5):
    'A value from the pool, or (with probability hit) one stored in the py key now.'
    stored = list(raw(kind, KEYS[kind, name][0]))
    if stored and rng.random() < hit:
        return json.loads(rng.choice(stored))
    return rng.choice(POOL)


def hashable_distinct(values):
    'Whether Python can hold these values as distinct dict keys / set members.'
    try:
        return len(set(values)) == len({enc(v) for v in values})
    except TypeError:
        return False


# ---------------------------------------------------------------- dict ops

def dict_op():
    name = rng.choice('AB')
    py_key, ck = KEYS['dict', name]
    d = RedisDict(redis=r, key=py_key)
    verb = rng.choices(
        ['set', 'get', 'del', 'contains', 'len', 'keys', 'values', 'items', 'update', 'pop', 'popitem',
         'setdefault', 'clear'],
        weights=[6, 4, 3, 3, 1, 1, 1, 1, 3, 3, 2, 3, 1])[0]
    if verb == 'set':
        k, v = pick('dict', name), rng.choice(POOL)
        d[k] = v
        return desc('dict', 'set', name, J(k), J(v)), cli('dict', 'set', ck, J(k), J(v)), Expect(0, None)
    if verb == 'get':
        k = pick('dict', name)
        if rng.random() < 0.3:
            default = rng.choice(POOL)
            return (desc('dict', 'get', name, J(k), '--default', J(default)),
                    cli('dict', 'get', ck, J(k), '--default', J(default)), Expect(0, d.get(k, default)))
        try:
            expect = Expect(0, d[k])
        except KeyError:
            expect = Expect(1, key_error=True)
        return desc('dict', 'get', name, J(k)), cli('dict', 'get', ck, J(k)), expect
    if verb == 'del':
        fields = []
        for _ in range(rng.choice([1, 1, 2, 3])):
            k = pick('dict', name, hit=0.7)
            if enc(k) not in {enc(f) for f in fields}:
                fields.append(k)
        missing = []
        for k in fields:
            try:
                del d[k]
            except KeyError:
                missing.append(k)
        expect = Expect(1, key_error=True) if missing else Expect(0, None)
        return (desc('dict', 'del', name, *[J(k) for k in fields]),
                cli('dict', 'del', ck, *[J(k) for k in fields]), expect)
    if verb == 'contains':
        k = pick('dict', name)
        found = k in d
        return desc('dict', 'contains', name, J(k)), cli('dict', 'contains', ck, J(k)), Expect(0 if found else 1, found)
    if verb == 'len':
        return desc('dict', 'len', name), cli('dict', 'len', ck), Expect(0, len(d))
    if verb == 'keys':
        return desc('dict', 'keys', name), cli('dict', 'keys', ck), Expect(0, list(d.keys()), unordered)
    if verb == 'values':
        return desc('dict', 'values', name), cli('dict', 'values', ck), Expect(0, list(d.values()), unordered)
    if verb == 'items':
        return (desc('dict', 'items', name), cli('dict', 'items', ck),
                Expect(0, [[k, v] for k, v in d.items()], unordered))
    if verb == 'update':
        pairs = [(pick('dict', name), rng.choice(POOL)) for _ in range(rng.choice([1, 2, 3, 4]))]
        if hashable_distinct([k for k, _ in pairs]):
            d.update(pairs)
        else:
            # pottery's update() first builds a Python dict of the pairs: it fails on
            # list/dict fields (unhashable) and merges 1/1.0/True into one field.
            # Python's MutableMapping.update is d[k] = v for each pair, in order.
            note_fallback('dict update: pairs with unhashable or Python-equal fields applied as d[k] = v in order')
            for k, v in pairs:
                d[k] = v
        args = [a for k, v in pairs for a in (J(k), J(v))]
        return desc('dict', 'update', name, *args), cli('dict', 'update', ck, *args), Expect(0, None)
    if verb == 'pop':
        k = pick('dict', name)
        if rng.random() < 0.4:
            default = rng.choice(POOL)
            return (desc('dict', 'pop', name, J(k), '--default', J(default)),
                    cli('dict', 'pop', ck, J(k), '--default', J(default)), Expect(0, d.pop(k, default)))
        try:
            expect = Expect(0, d.pop(k))
        except KeyError:
            expect = Expect(1, key_error=True)
        return desc('dict', 'pop', name, J(k)), cli('dict', 'pop', ck, J(k)), expect
    if verb == 'popitem':
        before = raw('dict', py_key)
        result = cli('dict', 'popitem', ck)
        status, out, _ = result
        if not before:
            try:
                d.popitem()
                raise AssertionError('popitem of an empty RedisDict did not raise')
            except KeyError:
                pass
            return desc('dict', 'popitem', name), result, Expect(1, key_error=True)
        try:
            field, value = json.loads(out)
        except Exception:
            return desc('dict', 'popitem', name), result, Expect(0, '<a [field, value] pair>')
        if enc(field) not in before:
            return (desc('dict', 'popitem', name), result,
                    Expect(0, f'<a pair whose field is one of {sorted(before)}>'))
        return desc('dict', 'popitem', name), result, Expect(0, [field, d.pop(field)])
    if verb == 'setdefault':
        k = pick('dict', name)
        if rng.random() < 0.3:
            return desc('dict', 'setdefault', name, J(k)), cli('dict', 'setdefault', ck, J(k)), Expect(0, d.setdefault(k))
        v = rng.choice(POOL)
        return (desc('dict', 'setdefault', name, J(k), J(v)), cli('dict', 'setdefault', ck, J(k), J(v)),
                Expect(0, d.setdefault(k, v)))
    if verb == 'clear':
        d.clear()
        return desc('dict', 'clear', name), cli('dict', 'clear', ck), Expect(0, None)
    raise AssertionError(verb)


# ----------------------------------------------------------------- set ops

def decoded(members):
    return [json.loads(m) for m in members]


def set_op():
    name = rng.choice('AB')
    py_key, ck = KEYS['set', name]
    s = RedisSet(redis=r, key=py_key)
    before = raw('set', py_key)
    verb = rng.choices(
        ['add', 'remove', 'discard', 'contains', 'contains-many', 'len', 'members', 'pop', 'clear',
         'union', 'intersection', 'difference', 'symmetric-difference', 'isdisjoint', 'issubset', 'issuperset',
         'update', 'difference-update', 'intersection-update', 'symmetric-difference-update'],
        weights=[8, 3, 3, 3, 2, 1, 1, 2, 1, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1])[0]
    if verb == 'add':
        elems = [pick('set', name, hit=0.2) for _ in range(rng.choice([1, 1, 2, 3]))]
        for e in elems:
            s.add(e)
        added = len({enc(e) for e in elems} - before)
        return (desc('set', 'add', name, *[J(e) for e in elems]), cli('set', 'add', ck, *[J(e) for e in elems]),
                Expect(0, added))
    if verb == 'remove':
        e = pick('set', name)
        try:
            s.remove(e)
            expect = Expect(0, None)
        except KeyError:
            expect = Expect(1, key_error=True)
        return desc('set', 'remove', name, J(e)), cli('set', 'remove', ck, J(e)), expect
    if verb == 'discard':
        elems = [pick('set', name) for _ in range(rng.choice([1, 1, 2, 3]))]
        for e in elems:
            s.discard(e)
        removed = len({enc(e) for e in elems} & before)
        return (desc('set', 'discard', name, *[J(e) for e in elems]),
                cli('set', 'discard', ck, *[J(e) for e in elems]), Expect(0, removed))
    if verb == 'contains':
        e = pick('set', name)
        found = e in s
        return desc('set', 'contains', name, J(e)), cli('set', 'contains', ck, J(e)), Expect(0 if found else 1, found)
    if verb == 'contains-many':
        elems = [pick('set', name) for _ in range(rng.choice([1, 2, 3, 4]))]
        return (desc('set', 'contains-many', name, *[J(e) for e in elems]),
                cli('set', 'contains-many', ck, *[J(e) for e in elems]), Expect(0, list(s.contains_many(*elems))))
    if verb == 'len':
        return desc('set', 'len', name), cli('set', 'len', ck), Expect(0, len(s))
    if verb == 'members':
        return desc('set', 'members', name), cli('set', 'members', ck), Expect(0, list(s), unordered)
    if verb == 'pop':
        result = cli('set', 'pop', ck)
        if not before:
            try:
                s.pop()
                raise AssertionError('pop of an empty RedisSet did not raise')
            except KeyError:
                pass
            return desc('set', 'pop', name), result, Expect(1, key_error=True)
        try:
            member = json.loads(result[1])
        except Exception:
            return desc('set', 'pop', name), result, Expect(0, '<a member>')
        if enc(member) not in before:
            return desc('set', 'pop', name), result, Expect(0, f'<one of {sorted(before)}>')
        s.remove(member)
        return desc('set', 'pop', name), result, Expect(0, member)
    if verb == 'clear':
        s.clear()
        return desc('set', 'clear', name), cli('set', 'clear', ck), Expect(0, None)

    # Set algebra with the other keys of the pair (the same one may come twice, or be KEY itself).
    def other_names(low, high):
        return [rng.choice('AB') for _ in range(rng.randint(low, high))]

    def pys(names):
        return [RedisSet(redis=r, key=KEYS['set', n][0]) for n in names]

    def clis(names):
        return [KEYS['set', n][1] for n in names]

    def raws(names):
        return [raw('set', KEYS['set', n][0]) for n in names]

    if verb in ('union', 'intersection', 'difference'):
        others = other_names(0, 2)
        # Python's set algebra on the members as Redis holds them (bytes).
        by_bytes = getattr(set(before), verb)(*raws(others))
        try:
            value = getattr(s, verb)(*pys(others))
            if len(value) != len(by_bytes):
                note_fallback(f'set {verb}: pottery returns a Python set, which merges 1/1.0/true'
                              ' (distinct Redis members); compared with the Redis members instead')
                value = decoded(by_bytes)
        except TypeError:
            note_fallback(f'set {verb}: pottery returns a Python set, which cannot hold list/dict members'
                          ' (TypeError); compared with the Redis members instead')
            value = decoded(by_bytes)
        return (desc('set', verb, name, *others), cli('set', verb, ck, *clis(others)),
                Expect(0, list(value), unordered))
    if verb == 'symmetric-difference':
        other = other_names(1, 1)
        try:
            s.symmetric_difference(*pys(other))
            raise AssertionError('pottery implements symmetric_difference now')
        except NotImplementedError:
            pass
        value = decoded(set(before).symmetric_difference(*raws(other)))
        return (desc('set', verb, name, other[0]), cli('set', verb, ck, *clis(other)),
                Expect(0, value, unordered))
    if verb in ('isdisjoint', 'issubset', 'issuperset'):
        other = other_names(1, 1)
        by_bytes = getattr(set(before), verb)(*raws(other))
        try:
            value = getattr(s, verb)(*pys(other))
        except TypeError:
            note_fallback(f'set {verb}: pottery fails with TypeError on list/dict members;'
                          ' compared with the Redis members instead')
            value = by_bytes
        return (desc('set', verb, name, other[0]), cli('set', verb, ck, *clis(other)),
                Expect(0 if value else 1, value))
    if verb in ('update', 'difference-update'):
        others = other_names(0, 2)
        getattr(s, verb.replace('-', '_'))(*pys(others))
        return desc('set', verb, name, *others), cli('set', verb, ck, *clis(others)), Expect(0, None)
    if verb in ('intersection-update', 'symmetric-difference-update'):
        others = other_names(0, 2) if verb == 'intersection-update' else other_names(1, 1)
        method = verb.replace('-', '_')
        try:
            getattr(s, method)(*pys(others))
            raise AssertionError(f'pottery implements {method} now')
        except NotImplementedError:
            pass
        work = set(before)
        getattr(work, method)(*raws(others))
        pipe = r.pipeline()
        pipe.delete(py_key)
        if work:
            pipe.sadd(py_key, *work)
        pipe.execute()
        return desc('set', verb, name, *others), cli('set', verb, ck, *clis(others)), Expect(0, None)
    raise AssertionError(verb)


def report(header, upto):
    print(f'seed {SEED}: {header} (keys {PREFIX}:*)')
    for index, text, problems in mismatches:
        print(f'- op {index}: {text}')
        for p in problems:
            print(f'    {p}')
    print('Ops so far (A and B stand for the keys; after a mismatch the CLI key was reset to the py key):')
    print('\n'.join(log[:upto + 1]))


started = time.monotonic()
index = 0
try:
    for index in range(NOPS):
        kind = rng.choice(['dict', 'set'])
        text, result, expect = dict_op() if kind == 'dict' else set_op()
        log.append(f'{index}: {text}')
        problems = check(expect, result) + compare_states(kind)
        if problems:
            mismatches.append((index, text, problems))
except BaseException:
    report(f'the script failed at op {index}', index)
    raise
finally:
    r.delete(*[k for pair in KEYS.values() for k in pair])
if mismatches:
    report(f'{len(mismatches)} of {NOPS} ops mismatched', mismatches[-1][0])
    sys.exit(1)
print('ok')
for why, count in sorted(fallbacks.items()):
    print(f'note ({count}x): {why}', file=sys.stderr)
print(f'{NOPS} ops in {time.monotonic() - started:.2f} s', file=sys.stderr)
"""#

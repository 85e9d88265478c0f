"""Differential test of pottery-cli's list, deque, counter and queue verbs.

Reads {"seed", "url", "cli", "prefix", "ops"} as JSON on stdin (or the
command line: differential-containers.py URL CLI [SEED] [OPS]); prints `ok`,
or a report of every mismatch and exits 1.

Each random operation runs three times: on Python pottery 3.0.1 (key `...:py`),
on a model made of Python's own `list`, `collections.deque`,
`collections.Counter` semantics and `queue.SimpleQueue` over the values as
Redis holds them (bytes), and through the pottery-cli binary (key `...:cli`).
The CLI must give the model's answer (stdout as JSON, exit status, error type)
and leave the model's bytes in Redis. pottery must give the model's answer
too, except in the cases pottery-format.md section 19 lists as pottery's bugs
(docs/ARCHITECTURE.md: "Where we differ from pottery, on purpose"), each
named in KNOWN_POTTERY_BUGS; any other disagreement between pottery and the
model fails the run, so the model cannot drift away from pottery unnoticed.
"""
import collections
import json
import os
import random
import subprocess
import sys
import time
import warnings

from redis import Redis, ResponseError
from pottery import RedisCounter, RedisDeque, RedisList, RedisSimpleQueue
from pottery.exceptions import QueueEmptyError

warnings.simplefilter('ignore')
if len(sys.argv) > 2:
    config = {'url': sys.argv[1], 'cli': sys.argv[2], 'seed': int(sys.argv[3]) if len(sys.argv) > 3 else 1,
              'ops': int(sys.argv[4]) if len(sys.argv) > 4 else 400, 'prefix': f'diffc{os.getpid()}'}
else:
    config = json.loads(sys.stdin.read())
SEED, URL, CLI, PREFIX, NOPS = config['seed'], config['url'], config['cli'], config['prefix'], config['ops']
rng = random.Random(SEED)
r = Redis.from_url(URL)
ENV = {k: v for k, v in os.environ.items() if k not in ('REDIS_URL', 'REDISCLI_AUTH', 'POTTERY_MASTERS', 'POTTERY_CLI')}
ENV['REDIS_URL'] = URL

POOL = [
    0, 1, -1, 2, 42, 2**64, -(2**64), 2**53 + 1, 2**53,
    0.0, -0.0, 1.0, 0.5, 1.5, 1e16, 1e-05, 9007199254740992.0, float('inf'), float('-inf'), float('nan'),
    True, False, None,
    '', 'a', 'B', 'b', '\u00e9', 'e\u0301', '\U0001F600', '\uffff', '"', '\\', '\n', 'two words', '4098', '1', 'null',
    [], [1], [1.0], [True, 'x'], [1, [2, [3.5]]], ['a', 'b'], {}, {'a': 1}, {'a': True}, {'b': [None], 'a': -0.0},
]
NUMBERS = [0, 1, -1, 2, 3, 7, 2**53 + 1, 0.0, -0.0, 1.0, 1.5, 2.5, -3.25, 1e16, True, False, float('inf')]
STRINGS = ['', 'a', 'B', 'b', 'ab', '\u00e9', 'e\u0301', '\U0001F600', '\uffff', 'z z']


def _as_read(values):
    'The values as json.loads gives them back (one NaN object, as in every value pottery reads).'
    return [json.loads(json.dumps(v, sort_keys=True)) for v in values]


POOL, NUMBERS, STRINGS = _as_read(POOL), _as_read(NUMBERS), _as_read(STRINGS)


def enc(value):
    return json.dumps(value, sort_keys=True).encode()


def dec(raw):
    return json.loads(raw)


def norm(value):
    return json.dumps(value, sort_keys=True)


def J(value):
    return json.dumps(value)


def values(count_range=(1, 3), pool=None):
    pool = pool or POOL
    return [rng.choice(pool) for _ in range(rng.randint(*count_range))]


def cli(*args):
    p = subprocess.run([CLI, *map(str, args)], env=ENV, stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    return p.returncode, p.stdout, p.stderr.decode(errors='replace')


class Raised:
    'An exception as an outcome: its class name and the CLI exit status it maps to.'

    def __init__(self, name, status):
        self.name, self.status = name, status

    def __repr__(self):
        return f'<raises {self.name}>'


EXIT = {'IndexError': 1, 'ValueError': 1, 'KeyError': 1, 'QueueEmptyError': 1, 'TypeError': 4}


def outcome(thunk):
    'The value thunk() returns, or a Raised for the exceptions a container raises on bad input.'
    try:
        return thunk()
    except (IndexError, ValueError, KeyError, TypeError) as error:
        name = 'QueueEmptyError' if isinstance(error, QueueEmptyError) else type(error).__name__
        if name == 'JSONDecodeError':
            raise
        return Raised(name, EXIT[name])
    except ResponseError as error:
        return Raised(f'ResponseError: {error}', 3)


def same(a, b):
    if isinstance(a, Raised) or isinstance(b, Raised):
        return isinstance(a, Raised) and isinstance(b, Raised) and a.name == b.name
    return norm(a) == norm(b)


def check_cli(want, result, predicate=False):
    'The CLI result against the model outcome: problems, as text.'
    status, out, err = result
    if isinstance(want, Raised):
        problems = []
        if status != want.status:
            problems.append(f'exit status: expected {want.status} ({want.name}), got {status}')
        try:
            kind = json.loads(err)['error']['type']
        except Exception:
            kind = None
        if kind != want.name:
            problems.append(f'stderr: expected a {want.name}, got {err!r} (stdout {out!r})')
        if out:
            problems.append(f'stdout: expected nothing, got {out!r}')
        return problems
    expected_status = (0 if want else 1) if predicate else 0
    problems = []
    if status != expected_status:
        problems.append(f'exit status: expected {expected_status}, got {status} (stderr {err!r})')
    try:
        got = json.loads(out)
    except Exception:
        return problems + [f'stdout is not one JSON document: {out!r} (stderr {err!r})']
    if norm(got) != norm(want):
        problems.append(f'stdout: expected {norm(want)}, got {norm(got)}')
    return problems


# ------------------------------------------------------------------ the model

def py_index(n, i):
    'Python\'s normalisation of an index for item access; None when out of range.'
    j = i + n if i < 0 else i
    return j if 0 <= j < n else None


def model_count(items, value):
    return sum(1 for v in items if v is value or v == value)


def python_sorted(items, reverse):
    return sorted(items, reverse=reverse)


# ------------------------------------------------------------------- structures

KEYS = {}
for kind in ('list', 'deque', 'counter', 'queue'):
    KEYS[kind] = (f'{PREFIX}:{kind} \u00e9 \U0001F600:py', f'{PREFIX}:{kind} \u00e9 \U0001F600:cli')
ALL_KEYS = [k for pair in KEYS.values() for k in pair]


def raw_list(key):
    return r.lrange(key, 0, -1)


def raw_hash(key):
    'The hash as (field, value) pairs in Redis\' order (listpack: insertion order).'
    return list(r.hgetall(key).items())


def raw_stream(key):
    return [fields for _, fields in r.xrange(key)]


def raw(kind, key):
    return {'list': raw_list, 'deque': raw_list, 'counter': raw_hash, 'queue': raw_stream}[kind](key)


def store(kind, key, state):
    'Writes the model state (as Redis holds it) onto key.'
    r.delete(key)
    if not state:
        return
    if kind in ('list', 'deque'):
        r.rpush(key, *state)
    elif kind == 'counter':
        for field, value in state:
            r.hset(key, field, value)
    else:
        for fields in state:
            r.xadd(key, fields)


# Categories where pottery 3.0.1 is known not to follow Python (pottery-format.md
# section 19, docs/ARCHITECTURE.md); the model, not pottery, is then the reference.
KNOWN_POTTERY_BUGS = {
    'list slice assignment': '19.3: extra items dropped, tombstone 0',
    'list insert negative': '19.4: a negative index inserts at the front',
    'list sort': '19.5: Redis numeric SORT (fails on strings/bools/null, ties in byte order)',
    'list get empty slice': 'a slice whose range is empty but whose LRANGE is not (l[0:0] gives everything)',
    'list remove nan': 'pottery compares with == only; Python\'s list.remove also takes identity (NaN)',
    'deque maxlen 0': '19.8: appendleft/extendleft keep the items',
    'deque rotate beyond len': 'rotate(n) with |n| > len does nothing (Python rotates n mod len)',
    'counter double count': '19.1: update/subtract add 2*old +- n',
    'counter python-equal elements': '19.19: 1, 1.0 and true stored apart merge in Python (most_common)',
    'counter unhashable elements': 'update/subtract build a Python Counter: list and object elements raise TypeError '
                                   '(RedisCounter counts them by their bytes)',
    'queue': 'pottery\'s get() without block waits for a socket timeout',
}
pottery_divergences = collections.Counter()
unexplained = []


def against_pottery(category, op_text, pottery_value, model_value, pottery_state, model_state):
    'Records a disagreement between pottery and the model; returns whether pottery must be resynced.'
    if same(pottery_value, model_value) and pottery_state == model_state:
        return False
    if category in KNOWN_POTTERY_BUGS:
        pottery_divergences[category] += 1
    else:
        unexplained.append(f'{op_text}: pottery gave {pottery_value!r} leaving {pottery_state!r}; '
                           f'the model {model_value!r} leaving {model_state!r}')
    return True


# ------------------------------------------------------------------------ list

def slice_text(s):
    def part(p):
        return '' if p is None else str(p)
    text = f'{part(s.start)}:{part(s.stop)}'
    if s.step is not None or rng.random() < 0.2:
        text += f':{part(s.step)}'
    return text


def random_slice(n):
    def bound():
        return None if rng.random() < 0.25 else rng.randint(-n - 3, n + 3)
    step = rng.choice([None, None, 1, 2, 3, -1, -2, -3])
    return slice(bound(), bound(), step)


def random_index(n):
    return rng.randint(-n - 2, n + 1)


def pick_item(items):
    if items and rng.random() < 0.5:
        return rng.choice(items)
    return rng.choice(POOL)


def list_like_op(kind, model, py, maxlen):
    """One random op on a list or deque. Returns (op text, CLI args, model outcome,
    pottery thunk, category, predicate)."""
    n = len(model)
    verbs = ['get', 'get-slice', 'set', 'del', 'del-slice', 'append', 'extend', 'insert', 'pop', 'pop-index',
             'remove', 'index', 'count', 'len', 'items', 'reverse', 'sort', 'clear']
    weights = [4, 5, 3, 2, 3, 5, 4, 3, 3, 3, 3, 3, 3, 1, 1, 1, 3, 1]
    if kind == 'deque':
        verbs += ['appendleft', 'extendleft', 'popleft', 'rotate']
        weights += [4, 3, 3, 5]
    verb = rng.choices(verbs, weights)[0]
    category = f'{kind} {verb}'
    bounded = kind == 'deque' and maxlen is not None
    opts = ['--maxlen', maxlen] if bounded and verb in ('append', 'extend', 'insert', 'appendleft', 'extendleft') else []

    def grow(thunk):
        'A deque verb that adds: a stored deque longer than maxlen is refused.'
        if bounded and n > maxlen:
            return Raised('IndexError', 1)
        return thunk()

    if verb == 'get':
        i = random_index(n)
        j = py_index(n, i)
        want = model[j] if j is not None else Raised('IndexError', 1)
        return f'get {i}', ['get', i], want, lambda: py[i], category, False
    if verb == 'get-slice':
        s = random_slice(n)
        if kind == 'deque':
            py_thunk = lambda: RedisList.__getitem__(py, s)
        else:
            py_thunk = lambda: py[s]
        if len(range(*s.indices(n))) == 0:
            category = 'list get empty slice'
        return f'get {slice_text(s)}', ['get', slice_text(s)], model[s], py_thunk, category, False
    if verb == 'set':
        i, v = random_index(n), rng.choice(POOL)
        j = py_index(n, i)
        if j is not None:
            model[j] = v
            want = None
        else:
            want = Raised('IndexError', 1)

        def py_set():
            py[i] = v
        return f'set {i} {J(v)}', ['set', i, J(v)], want, py_set, category, False
    if verb == 'del':
        i = random_index(n)
        j = py_index(n, i)
        if j is not None:
            del model[j]
            want = None
        else:
            want = Raised('IndexError', 1)

        def py_del():
            del py[i]
        return f'del {i}', ['del', i], want, py_del, category, False
    if verb == 'del-slice':
        s = random_slice(n)
        del model[s]

        def py_del_slice():
            del py[s]
        return f'del {slice_text(s)}', ['del', slice_text(s)], None, py_del_slice, category, False
    if verb in ('append', 'appendleft'):
        v = rng.choice(POOL)

        def model_append():
            d = collections.deque(model, maxlen) if kind == 'deque' else model
            getattr(d, verb)(v)
            model[:] = list(d)
        want = grow(model_append)
        if bounded and maxlen == 0:
            category = 'deque maxlen 0'
        return f'{verb} {J(v)}', [verb, J(v), *opts], want, lambda: getattr(py, verb)(v), category, False
    if verb in ('extend', 'extendleft'):
        vs = values((1, 4))

        def model_extend():
            d = collections.deque(model, maxlen) if kind == 'deque' else model
            getattr(d, verb)(vs)
            model[:] = list(d)
        want = grow(model_extend)
        if bounded and maxlen == 0:
            category = 'deque maxlen 0'
        return (f'{verb} {" ".join(J(v) for v in vs)}', [verb, *[J(v) for v in vs], *opts], want,
                lambda: getattr(py, verb)(vs), category, False)
    if verb == 'insert':
        i, v = random_index(n), rng.choice(POOL)
        if i < 0 and i + n > 0:
            category = 'list insert negative'

        def model_insert():
            if bounded and n >= maxlen:
                raise IndexError('deque already at its maximum size')
            model.insert(i, v)
        want = outcome(lambda: grow(model_insert))
        return f'insert {i} {J(v)}', ['insert', i, J(v), *opts], want, lambda: py.insert(i, v), category, False
    if verb == 'pop':
        want = outcome(model.pop)
        return 'pop', ['pop'], want, py.pop, category, False
    if verb == 'pop-index':
        i = random_index(n)
        want = outcome(lambda: model.pop(i))
        if kind == 'deque':
            return f'pop {i}', ['pop', i], want, lambda: RedisList.pop(py, i), category, False
        return f'pop {i}', ['pop', i], want, lambda: py.pop(i), category, False
    if verb == 'popleft':
        want = outcome(lambda: model.pop(0))
        return 'popleft', ['popleft'], want, py.popleft, category, False
    if verb == 'remove':
        v = dec(J(pick_item(model)))
        if isinstance(v, float) and v != v:
            category = 'list remove nan'
        want = outcome(lambda: model.remove(v))
        return f'remove {J(v)}', ['remove', J(v)], want, lambda: py.remove(v), category, False
    if verb == 'index':
        v = dec(J(pick_item(model)))
        args, kwargs = [], {}
        if rng.random() < 0.4:
            start = rng.randint(-n - 2, n + 2)
            args = ['--start', start]
            bounds = [start]
            if rng.random() < 0.5:
                stop = rng.randint(-n - 2, n + 2)
                args += ['--stop', stop]
                bounds.append(stop)
        else:
            bounds = []
        want = outcome(lambda: model.index(v, *bounds))
        return (f'index {J(v)} {" ".join(map(str, args))}', ['index', J(v), *args], want,
                lambda: py.index(v, *bounds), category, False)
    if verb == 'count':
        v = dec(J(pick_item(model)))
        return f'count {J(v)}', ['count', J(v)], model_count(model, v), lambda: py.count(v), category, False
    if verb == 'len':
        return 'len', ['len'], n, lambda: len(py), category, False
    if verb == 'items':
        return 'items', ['items'], list(model), lambda: list(py), category, False
    if verb == 'reverse':
        model.reverse()
        return 'reverse', ['reverse'], None, py.reverse, category, False
    if verb == 'sort':
        reverse = rng.random() < 0.4

        def model_sort():
            model[:] = python_sorted(model, reverse)
        want = outcome(model_sort)
        category = 'list sort'
        return (f'sort{" --reverse" if reverse else ""}', ['sort', *(['--reverse'] if reverse else [])], want,
                lambda: py.sort(reverse=reverse), category, False)
    if verb == 'clear':
        model.clear()
        return 'clear', ['clear'], None, py.clear, category, False
    if verb == 'rotate':
        k = rng.choice([None, 0, 1, -1, 2, -2, 3, -3, n, -n, n + 1, -(n + 2), 2 * n + 1, 17, -17])
        d = collections.deque(model)
        d.rotate(1 if k is None else k)
        model[:] = list(d)
        if model and abs(1 if k is None else k) >= n:
            category = 'deque rotate beyond len'
        args = ['rotate'] + ([] if k is None else [k])
        return (f'rotate {"" if k is None else k}', args, None,
                lambda: py.rotate() if k is None else py.rotate(k), category, False)
    raise AssertionError(verb)


def list_fill(kind, model):
    'Occasionally give the list items that sort (numbers only, or strings only).'
    if rng.random() < 0.5:
        items = values((0, 6), rng.choice([NUMBERS, STRINGS]))
        model[:] = items
        for key in KEYS[kind]:
            store(kind, key, [enc(v) for v in items])


# ---------------------------------------------------------------------- counter

def counter_model(state):
    'The counter as Redis holds it: an ordered dict of encoded field -> int count.'
    return collections.OrderedDict((f, int(v)) for f, v in state)


def counter_state(model):
    return [(f, str(c).encode()) for f, c in model.items()]


def counter_op(model, py):
    verbs = ['get', 'update', 'subtract', 'set', 'del', 'most-common', 'elements', 'total', 'items', 'len', 'clear']
    verb = rng.choices(verbs, [3, 6, 4, 3, 2, 4, 2, 2, 2, 1, 1])[0]
    category = f'counter {verb}'
    pool = [0, 1, 1.0, True, 2, 'a', 'b', '\u00e9', '\U0001F600', None, [1], {'a': 1}, -0.0, 2**64, '']
    fields = list(model)

    def element():
        if fields and rng.random() < 0.4:
            return dec(rng.choice(fields))
        return rng.choice(pool)

    if verb == 'get':
        e = element()
        return f'get {J(e)}', ['get', J(e)], model.get(enc(e), 0), lambda: py[e], category
    if verb in ('update', 'subtract'):
        es = [element() for _ in range(rng.randint(1, 4))]
        sign = 1 if verb == 'update' else -1
        # As pottery, a Python Counter of the call's elements first (1, 1.0 and True are one
        # element, named by the first occurrence's bytes; lists and dicts, unhashable, by
        # their bytes), then each added to the stored count of its field.
        merged = {}
        for e in es:
            k = ('unhashable', enc(e)) if isinstance(e, (list, dict)) else e
            merged.setdefault(k, [enc(e), 0])[1] += sign
        for f, n in merged.values():
            model[f] = model.get(f, 0) + n
        if any(enc(e) in fields for e in es):
            category = 'counter double count'
        if any(isinstance(e, (list, dict)) for e in es):
            category = 'counter unhashable elements'
        return (f'{verb} {" ".join(J(e) for e in es)}', [verb, *[J(e) for e in es]], None,
                lambda: getattr(py, verb)(es), category)
    if verb == 'set':
        e, c = element(), rng.choice([0, 1, 5, -3, 12])
        model[enc(e)] = c

        def py_set():
            py[e] = c
        return f'set {J(e)} {c}', ['set', J(e), c], None, py_set, category
    if verb == 'del':
        e = element()
        model.pop(enc(e), None)

        def py_del():
            del py[e]
        return f'del {J(e)}', ['del', J(e)], None, py_del, category
    if verb == 'most-common':
        k = rng.choice([None, 0, 1, 2, 3, 10, -1])
        pairs = sorted(([dec(f), c] for f, c in model.items()), key=lambda p: p[1], reverse=True)
        want = pairs if k is None else (pairs[:k] if k >= 0 else [])
        decoded = [dec(f) for f in model]
        try:
            merges = len(collections.Counter(decoded)) != len(decoded)
        except TypeError:
            merges = True
        if merges:
            category = 'counter python-equal elements'
        return (f'most-common {"" if k is None else k}', ['most-common', *([] if k is None else [k])], want,
                lambda: [list(p) for p in py.most_common(k)], category)
    if verb == 'elements':
        want = [dec(f) for f, c in model.items() for _ in range(max(c, 0))]
        return 'elements', ['elements'], want, lambda: list(py.elements()), category
    if verb == 'total':
        return 'total', ['total'], sum(model.values()), lambda: py.total(), category
    if verb == 'items':
        return 'items', ['items'], [[dec(f), c] for f, c in model.items()], \
            lambda: [[k, v] for k, v in py.items()], category
    if verb == 'len':
        return 'len', ['len'], len(model), lambda: len(py), category
    if verb == 'clear':
        model.clear()
        return 'clear', ['clear'], None, py.clear, category
    raise AssertionError(verb)


# ------------------------------------------------------------------------ queue

def queue_op(model, py):
    verb = rng.choices(['put', 'get', 'qsize', 'empty'], [5, 4, 1, 1])[0]
    if verb == 'put':
        vs = values((1, 3))
        model.extend(enc(v) for v in vs)

        def py_put():
            for v in vs:
                py.put(v)
        return f'put {" ".join(J(v) for v in vs)}', ['put', *[J(v) for v in vs]], None, py_put, 'queue put', False
    if verb == 'get':
        # pottery's get(block=False) on an empty queue waits for its socket timeout: model only.
        py_get = (lambda: py.get(block=False)) if model else (lambda: Raised('QueueEmptyError', 1))
        want = dec(model.pop(0)) if model else Raised('QueueEmptyError', 1)
        return 'get --no-wait', ['get', '--no-wait'], want, py_get, 'queue get', False
    if verb == 'qsize':
        return 'qsize', ['qsize'], len(model), py.qsize, 'queue qsize', False
    return 'empty', ['empty'], not model, py.empty, 'queue empty', True


# ------------------------------------------------------------------------- run

log, mismatches = [], []


def run():
    r.delete(*ALL_KEYS)
    models = {'list': [], 'deque': [], 'counter': collections.OrderedDict(), 'queue': []}
    maxlen = None
    for index in range(NOPS):
        kind = rng.choice(['list', 'list', 'deque', 'deque', 'counter', 'counter', 'queue'])
        py_key, cli_key = KEYS[kind]
        model = models[kind]
        if kind in ('list', 'deque') and rng.random() < 0.06:
            list_fill(kind, model)
        if kind == 'deque' and rng.random() < 0.15:
            maxlen = rng.choice([None, None, 0, 1, 2, 3, 5, 8])
        predicate = False
        if kind in ('list', 'deque'):
            py = RedisList(redis=r, key=py_key) if kind == 'list' else None
            refused = False
            if kind == 'deque':
                try:
                    py = RedisDeque(redis=r, key=py_key, maxlen=maxlen)
                except IndexError:
                    refused = True
                    py = RedisDeque(redis=r, key=py_key)
            before = [dec(x) for x in raw(kind, py_key)]
            assert norm(before) == norm(model), (before, model)
            text, args, want, py_thunk, category, predicate = list_like_op(kind, model, py, maxlen)
            if refused and args[0] in ('append', 'extend', 'insert', 'appendleft', 'extendleft'):
                py_thunk = lambda: Raised('IndexError', 1)  # pottery refused to open it; other verbs read it unbounded
            if kind == 'deque' and maxlen is not None and args[0] in (
                    'append', 'extend', 'insert', 'appendleft', 'extendleft'):
                text += f' --maxlen {maxlen}'
            model_state = [enc(v) for v in model]
        elif kind == 'counter':
            py = RedisCounter(redis=r, key=py_key)
            text, args, want, py_thunk, category = counter_op(model, py)
            model_state = counter_state(model)
        else:
            py = RedisSimpleQueue(redis=r, key=py_key)
            text, args, want, py_thunk, category, predicate = queue_op(model, py)
            model_state = [{b'item': x} for x in model]
        text = f'{kind} {text}'
        log.append(f'{index}: {text}')
        result = cli(kind, *args[:1], cli_key, *args[1:])
        problems = check_cli(want, result, predicate)
        cli_state = raw(kind, cli_key)
        if cli_state != model_state:
            problems.append(f'Redis bytes: expected {model_state!r}, got {cli_state!r}')
            store(kind, cli_key, model_state)
        if problems:
            mismatches.append((index, text, problems))
        pottery_value = outcome(py_thunk)
        pottery_state = raw(kind, py_key)
        if kind == 'counter':
            # pottery stores counts as JSON ints; compare as the model holds them.
            pottery_state = [(f, v) for f, v in pottery_state]
        if against_pottery(category, text, pottery_value, want, pottery_state, model_state):
            store(kind, py_key, model_state)


def report(header):
    print(f'seed {SEED}: {header} (keys {PREFIX}:*)')
    for index, text, problems in mismatches:
        print(f'- op {index}: {text}')
        for p in problems:
            print(f'    {p}')
    for text in unexplained:
        print(f'- pottery disagrees with the model outside its known bugs: {text}')
    print('Ops (the CLI key is reset to the model after a mismatch):')
    print('\n'.join(log))


started = time.monotonic()
try:
    run()
except BaseException:
    report('the script failed')
    raise
finally:
    r.delete(*ALL_KEYS)
if mismatches or unexplained:
    report(f'{len(mismatches)} CLI mismatches, {len(unexplained)} unexplained pottery disagreements in {NOPS} ops')
    sys.exit(1)
print('ok')
for category, count in sorted(pottery_divergences.items()):
    print(f'note ({count}x): pottery differs from Python here: {category} ({KNOWN_POTTERY_BUGS[category]})',
          file=sys.stderr)
print(f'{NOPS} ops in {time.monotonic() - started:.2f} s', file=sys.stderr)

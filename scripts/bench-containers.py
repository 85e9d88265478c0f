#!/usr/bin/env python3
"""The Python side of scripts/bench-containers.sh.

    bench-containers.py measure MODE SECONDS URL   Python pottery 3.0.1 doing MODE
    bench-containers.py redis-benchmark MODE SECONDS PORT   redis-benchmark -c 1 -P 100
    bench-containers.py report RUNS                the Markdown tables from the runs file

MODE names pottery-bench's container modes (Benchmarks/Sources/pottery-bench/Containers.swift):
the same elements ("v0".."v9999", stored as JSON strings), chunks of 1000 single
operations or 10 batches of 1000 elements (here cut short when the time is up),
each from a fresh key (filled, untimed,
for the pops and gets); only chunks are timed. Each measurement prints
{"mode", "operations", "seconds", "per_second"}.
"""
import json
import logging
import statistics
import subprocess
import sys
import time
import uuid
import warnings

SINGLE = ['dict-set', 'dict-get', 'set-add', 'list-append', 'list-pop', 'deque-appendleft',
          'deque-appendleft-maxlen', 'deque-popleft', 'counter-update', 'queue-put', 'queue-get']
BATCH = ['dict-update', 'set-add-many', 'list-extend', 'counter-update-many', 'queue-put-many']

# What redis-benchmark runs for each batch mode: the single-element command pipelined.
REDIS_BENCHMARK = {
    'dict-update': ['-r', '10000', 'HSET', '{key}', '__rand_int__', '"v"'],
    'set-add-many': ['-r', '100000000', 'SADD', '{key}', '__rand_int__'],
    'list-extend': ['RPUSH', '{key}', '"v"'],
    'counter-update-many': ['-r', '1000', 'HINCRBY', '{key}', '__rand_int__', '1'],
    'queue-put-many': ['XADD', '{key}', '*', 'item', '"v"'],
}


def result(mode, operations, seconds):
    print(json.dumps({'mode': mode, 'operations': operations, 'seconds': seconds,
                      'per_second': operations / seconds}))


def measure(mode, seconds, url):
    logging.disable(logging.CRITICAL)
    warnings.simplefilter('ignore')
    from redis import Redis
    from pottery import RedisCounter, RedisDeque, RedisDict, RedisList, RedisSet, RedisSimpleQueue
    redis = Redis.from_url(url, socket_timeout=5)
    key = f'bench:py:{mode}:{uuid.uuid4().hex}'
    items = [f'v{i}' for i in range(10_000)]
    first = items[:1000]
    batches = [items[i * 1000:(i + 1) * 1000] for i in range(10)]
    dict_batches = [{x: x for x in batch} for batch in batches]
    d = RedisDict(redis=redis, key=key)
    s = RedisSet(redis=redis, key=key)
    lst = RedisList(redis=redis, key=key)
    dq = RedisDeque(redis=redis, key=key)
    bounded = RedisDeque(redis=redis, key=key, maxlen=100)
    c = RedisCounter(redis=redis, key=key)
    q = RedisSimpleQueue(redis=redis, key=key)

    # Python is slow enough that a chunk may stop at the time budget (checked between operations).
    def single(body, fill=None):
        def chunk(deadline):
            for n, x in enumerate(first):
                if time.monotonic() >= deadline:
                    return n
                body(x)
            return len(first)
        return fill, chunk

    def batch(body):
        def chunk(deadline):
            for b in range(len(batches)):
                if time.monotonic() >= deadline:
                    return 1000 * b
                body(b)
            return 10_000
        return None, chunk

    def put_each(b):  # pottery's RedisSimpleQueue has no batch put
        for x in batches[b]:
            q.put(x)

    fill, chunk = {
        'dict-set': lambda: single(lambda x: d.__setitem__(x, x)),
        'dict-get': lambda: single(d.get, lambda: d.update({x: x for x in first})),
        'set-add': lambda: single(s.add),
        'list-append': lambda: single(lst.append),
        'list-pop': lambda: single(lambda x: lst.pop(), lambda: lst.extend(first)),
        'deque-appendleft': lambda: single(dq.appendleft),
        'deque-appendleft-maxlen': lambda: single(bounded.appendleft),
        'deque-popleft': lambda: single(lambda x: dq.popleft(), lambda: lst.extend(first)),
        'counter-update': lambda: single(lambda x: c.update([x])),
        'queue-put': lambda: single(q.put),
        'queue-get': lambda: single(lambda x: q.get(), lambda: [q.put(x) for x in first]),
        'dict-update': lambda: batch(lambda b: d.update(dict_batches[b])),
        'set-add-many': lambda: batch(lambda b: s.update(batches[b])),
        'list-extend': lambda: batch(lambda b: lst.extend(batches[b])),
        'counter-update-many': lambda: batch(lambda b: c.update(batches[b])),
        'queue-put-many': lambda: batch(put_each),
    }[mode]()
    operations, timed = 0, 0.0
    while timed < seconds:
        redis.delete(key)
        if fill:
            fill()
        start = time.monotonic()
        operations += chunk(start + seconds - timed)
        timed += time.monotonic() - start
    redis.delete(key)
    result(mode, operations, timed)


def redis_benchmark(mode, seconds, port):
    key = f'bench:rb:{mode}:{uuid.uuid4().hex}'
    requests = str(int(300_000 * seconds))
    command = [a.replace('{key}', key) for a in REDIS_BENCHMARK[mode]]
    start = time.monotonic()
    out = subprocess.run(['redis-benchmark', '-p', port, '-c', '1', '-P', '100', '-n', requests, '--csv', *command],
                         check=True, capture_output=True, text=True).stdout
    took = time.monotonic() - start
    subprocess.run(['redis-cli', '-p', port, 'DEL', key], check=True, capture_output=True)
    rps = float(out.strip().splitlines()[-1].split(',')[1].strip('"'))
    print(json.dumps({'mode': mode, 'operations': int(requests), 'seconds': took, 'per_second': rps}))


def report(path):
    runs = {}
    for line in open(path):
        tool, rest = line.split(' ', 1)
        data = json.loads(rest)
        runs.setdefault((tool, data['mode']), []).append(data['per_second'])

    def cell(tool, mode):
        v = runs.get((tool, mode))
        if not v:
            return '–'
        return f'{statistics.median(v):,.0f} ({min(v):,.0f}–{max(v):,.0f})'

    def ratio(a, b, mode, target=None):
        x, y = runs.get((a, mode)), runs.get((b, mode))
        if not x or not y:
            return '–'
        r = statistics.median(x) / statistics.median(y)
        paired = [p / q for p, q in zip(x, y)]  # the repeats are interleaved: pair them
        text = f'{r:.2f}x ({min(paired):.2f}–{max(paired):.2f})'
        if target is not None:
            text = f'**{text}** met' if r >= target else f'{text} missed'
        return text

    def paired_ratio(a, b, mode, target):
        """The median of the ratios of measurements taken back to back, with their interquartile range."""
        x, y = runs.get((a, mode)), runs.get((b, mode))
        if not x or not y:
            return '–'
        paired = sorted(p / q for p, q in zip(x, y))
        r = statistics.median(paired)
        if len(paired) >= 4:
            q = statistics.quantiles(paired, n=4)
            spread = f'{q[0]:.2f}–{q[2]:.2f}'
        else:
            spread = f'{paired[0]:.2f}–{paired[-1]:.2f}'
        text = f'{r:.2f}x ({spread})'
        return f'**{text}** met' if r >= target else f'{text} missed'

    print('Single operations, one at a time (operations/s: median (min–max); PotteryKit / C: the median of the '
          'ratios of back-to-back pairs (interquartile range); the other ratios: ratios of medians (min–max of the pairs)):')
    print()
    print('| operation | PotteryKit | C hiredis loop | Python pottery | PotteryKit / C (target ≥ 0.9) | PotteryKit / Python | Python / C |')
    print('|---|---:|---:|---:|---|---|---|')
    for mode in SINGLE:
        print(f'| {mode} | {cell("swift", mode)} | {cell("c", mode)} | {cell("python", mode)} | '
              f'{paired_ratio("swift", "c", mode, 0.9)} | {ratio("swift", "python", mode)} | {ratio("python", "c", mode)} |')
    print()
    print('Batches of 1000 elements per call (elements/s: median (min–max)):')
    print()
    print('| batch | PotteryKit | C pipelined 100 | C one variadic command | redis-benchmark -P 100 | Python pottery '
          '| / C pipelined (≥ 0.5) | / redis-benchmark (≥ 2) | / Python (≥ 3) |')
    print('|---|---:|---:|---:|---:|---:|---|---|---|')
    for mode in BATCH:
        print(f'| {mode} | {cell("swift", mode)} | {cell("c", mode)} | {cell("c-variadic", mode)} | '
              f'{cell("redis-benchmark", mode)} | {cell("python", mode)} | {ratio("swift", "c", mode, 0.5)} | '
              f'{ratio("swift", "redis-benchmark", mode, 2)} | {ratio("swift", "python", mode, 3)} |')


if __name__ == '__main__':
    command = sys.argv[1]
    if command == 'measure':
        measure(sys.argv[2], float(sys.argv[3]), sys.argv[4])
    elif command == 'redis-benchmark':
        redis_benchmark(sys.argv[2], float(sys.argv[3]), sys.argv[4])
    elif command == 'report':
        report(sys.argv[2])
    else:
        sys.exit(f'usage: {sys.argv[0]} measure|redis-benchmark|report ...')

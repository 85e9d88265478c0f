import Foundation
import PotteryTestSupport
import Testing

/// Python pottery 3.0.1 and pottery-cli taking turns on the same keys, step by
/// step, for every structure, and pottery's own edge behaviour read from its
/// source. Each test is one python3 process driving both (the CLI through
/// `subprocess`) and printing `ok`, or the steps that disagreed.
@Suite struct BehaviourAuditTests {
    // MARK: discrepancies found (each failed before its fix)

    /// pottery's `acquire(blocking=False)` of a lease too short to be valid by
    /// the time the masters answered is `False`. The CLI's first attempt
    /// connects within the lease's life, so a 1 ms lease ran out while
    /// connecting and was reported as masters failing (exit 3,
    /// `QuorumIsImpossible`, "cannot connect: timed out") on healthy servers.
    @Test func aLeaseThatRunsOutWhileConnectingIsNotAcquiredRatherThanAServerFailure() throws {
        try audit("""
            for label, urls in (('1 master', [URL]), ('3 masters', MASTERS[:3])):
                k = K('short')
                env = with_masters(urls)
                lock = Redlock(key=k, masters={Redis.from_url(u) for u in urls}, auto_release_time=0.001)
                check(lock.acquire(blocking=False) is False, f'{label}: pottery acquired a 1 ms lease')
                status, value, etype, err = cli('lock', 'acquire', k, '--auto-release', '0.001', '--no-wait', env=env)
                check((status, etype) == (1, None) and value and value['acquired'] is False,
                      f'{label}: lock acquire of a 1 ms lease: {status} {value} {err}')
                check(all(not Redis.from_url(u).exists('redlock:' + k) for u in urls), f'{label}: a 1 ms lease was left behind')
            """)
    }

    /// pottery stores no sizing, so the CLI's first use of a filter pottery made
    /// recorded whatever sizing that call gave. A wrong one (a bitmap far longer
    /// than its m bits) answered `false` for elements pottery had added (a Bloom
    /// filter must never answer a false negative), recorded itself, and refused the
    /// filter's real sizing from then on. A filter longer than `ceil(m/8)` bytes
    /// cannot have m bits: the call is refused (exit 2) and nothing is recorded.
    @Test func aFilterLongerThanTheGivenSizingIsRefusedNotMisread() throws {
        try audit("""
            k = K('bloom')
            bf = BloomFilter(range(200), num_elements=1000, false_positives=0.01, redis=r, key=k)
            bits = r.get(k)
            for verb in (('contains', '5'), ('contains-many', '5', '6'), ('add', 'x'), ('len',), ('info',)):
                status, value, etype, err = cli('bloom', *verb[:1], k, *verb[1:], '--num-elements', 10, '--false-positives', '0.1')
                check((status, etype) == (2, 'ValueError'), f'bloom {verb} with other sizing: {status} {value} {err}')
            check(r.get(k) == bits and not r.exists(k + ':bloom-sizing'), 'a refused call changed the filter or recorded a sizing')
            S = ('--num-elements', 1000, '--false-positives', '0.01')
            status, value, _, err = cli('bloom', 'contains-many', k, '5', '199', *S)
            check((status, value) == (0, [True, True]), f'the right sizing: {status} {value} {err}')
            record = json.loads(r.get(k + ':bloom-sizing') or 'null')
            check(record and (record['size'], record['num_hashes']) == (bf.size(), bf.num_hashes()), f'record {record}')
            status, _, _, err = cli('bloom', 'add', k, '"new"', *S)
            check(status == 0 and 'new' in bf, f'pottery sees the CLI\\'s element: {status} {err}')
            # pottery clears and makes a larger filter: the record is stale, the length tells.
            bf.clear()
            BloomFilter(range(50), num_elements=5000, false_positives=0.001, redis=r, key=k)
            r.set(k + ':bloom-sizing', json.dumps(record))
            status, _, etype, err = cli('bloom', 'contains', k, '5', *S)
            check((status, etype) == (2, 'ValueError'), f'a stale record beside a longer filter: {status} {err}')
            # ...and gives way to the sizing the filter was made with.
            status, value, _, err = cli('bloom', 'contains-many', k, '5', '49', '--num-elements', 5000, '--false-positives', '0.001')
            record = json.loads(r.get(k + ':bloom-sizing') or 'null')
            check((status, value) == (0, [True, True]) and record['num_elements'] == 5000, f'the remade filter: {status} {value} {err} {record}')
            for add in (['"one"'], [str(i) for i in range(60, 400)]):  # scattered bits, and a dense batch
                r.set(k + ':bloom-sizing', json.dumps(dict(record, num_elements=1, size=8, num_hashes=1)))
                status, _, _, err = cli('bloom', 'add', k, *add, '--num-elements', 5000, '--false-positives', '0.001')
                check(status == 0 and json.loads(r.get(k + ':bloom-sizing'))['num_elements'] == 5000, f'add beside an outgrown record: {status} {err}')
            # Large filters, whose writes go as BITFIELDs rather than a bitmap: the same two rules.
            big = K('bigbloom')
            BloomFilter(range(20), num_elements=10**6, false_positives=0.001, redis=r, key=big)
            length = r.strlen(big)
            status, _, etype, err = cli('bloom', 'add', big, '"x"', '--num-elements', 10**5, '--false-positives', '0.01')
            check((status, etype) == (2, 'ValueError') and r.strlen(big) == length and not r.exists(big + ':bloom-sizing'),
                  f'a large add with other sizing: {status} {err}')
            r.set(big + ':bloom-sizing', json.dumps(dict(record, num_elements=1, size=8, num_hashes=1)))
            status, _, _, err = cli('bloom', 'add', big, '"x"', '--num-elements', 10**6, '--false-positives', '0.001')
            check(status == 0 and json.loads(r.get(big + ':bloom-sizing'))['num_elements'] == 10**6
                  and 'x' in BloomFilter(num_elements=10**6, false_positives=0.001, redis=r, key=big), f'a large add beside an outgrown record: {status} {err}')
            """)
    }

    /// Python's `float()` reads no hexadecimal; Swift's `Double("0x10")` is 16,
    /// so `--auto-release 0x10` took a 16 s lease. Seconds and rates are decimal.
    @Test func hexadecimalNumbersAreNotSecondsOrRates() throws {
        for arguments in [
            ["lock", "acquire", uniqueKey(), "--auto-release", "0x10", "--no-wait"],
            ["queue", "get", uniqueKey(), "--timeout", "0x1"],
            ["bloom", "add", uniqueKey(), "x", "--num-elements", "10", "--false-positives", "0x0.1p0"],
            ["--connect-timeout", "0x1", "dict", "len", uniqueKey()],
        ] {
            let result = try CLI.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result)")
            #expect(result.out.isEmpty, "\(arguments): \(result)")
        }
    }

    /// pottery's PX is `int(auto_release_time * 1000)`: the product of doubles,
    /// truncated, so 1.005 s is `PX 1004` (1.005 × 1000 = 1004.99…). The CLI
    /// rounded the seconds to nanoseconds first and sent `PX 1005`. Seen with
    /// `MONITOR`, command by command, beside pottery's own `SET`.
    @Test func theLeaseTTLIsPotterysMilliseconds() throws {
        try audit("""
            k = K('ttl')
            watcher = Redis.from_url(URL, socket_timeout=30)
            for seconds in ('1.005', '2.002', '15.0119', '0.29'):
                sent = {}
                with watcher.monitor() as m:
                    Redlock(key=k + ':py', masters={r}, auto_release_time=float(seconds)).acquire()
                    status, value, _, err = cli('lock', 'acquire', k + ':cli', '--auto-release', seconds)
                    check(status == 0 and value['auto_release_time'] == float(seconds), f'lock acquire --auto-release {seconds}: {value} {err}')
                    for command in m.listen():
                        words = command['command'].split()
                        if words[:1] == ['SET'] and words[1] in ('redlock:' + k + ':py', 'redlock:' + k + ':cli'):
                            sent[words[1].rsplit(':', 1)[1]] = words[-1]
                            if len(sent) == 2:
                                break
                check(sent['py'] == sent['cli'] == str(int(float(seconds) * 1000)), f'PX for {seconds} s: {sent}')
                r.delete('redlock:' + k + ':py', 'redlock:' + k + ':cli')
            """)
    }

    // MARK: interleavings that agree (regression guards)

    /// Python writes every JSON kind into each container; the CLI reads them
    /// (plain, `--raw`, `--pretty`), changes them, and Python reads back equal values.
    @Test func containersPassEveryJSONKindBackAndForth() throws {
        try audit("""
            from pottery import RedisDict, RedisList, RedisSet, RedisCounter, RedisDeque, RedisSimpleQueue
            KINDS = [{'a': [1, {'b': None}], '\\u00e9': '\\U0001F600'}, 'h\\u00e9llo \\u2028 \\U0001F600', 1e16, -0.0, 1.0, 1,
                     2**64 + 3, -(2**70), True, False, None, 1e-07, 3.141592653589793, [], {}, float('inf')]
            k = K('dict')
            d = RedisDict({f'f{i}': v for i, v in enumerate(KINDS)}, redis=r, key=k)
            status, value, _, err = cli('dict', 'items', k)
            check(status == 0 and sorted(map(json.dumps, value)) == sorted(json.dumps([f'f{i}', v]) for i, v in enumerate(KINDS)),
                  f'dict items: {value} {err}')
            for i, v in enumerate(KINDS):
                status, out = raw('dict', 'get', k, f'f{i}')
                check(status == 0 and out == json.dumps(v) + '\\n', f'dict get f{i}: {out!r}, pottery stored {r.hget(k, json.dumps(f"f{i}"))!r}')
            check(raw('--raw', 'dict', 'get', k, 'f1') == (0, KINDS[1] + '\\n'), 'dict get --raw of a string')
            check(raw('--pretty', 'dict', 'get', k, 'f0') == (0, json.dumps(KINDS[0], indent=2) + '\\n'), 'dict get --pretty')
            for i, text in enumerate(['1e16', '-0.0', '1.0', '1', '18446744073709551619', 'true', 'null', '{"z": [1.5, "\\u00e9"]}']):
                cli('dict', 'set', k, f'cli{i}', text)
                check(repr(d[f'cli{i}']) == repr(json.loads(text)), f'pottery reads dict set {text}: {d[f"cli{i}"]!r}')
            # Keys that are not strings: pottery encodes them as JSON too.
            dk = RedisDict(redis=r, key=K('dictkeys'))
            for key in (1, 1.5, None, True, (1, 2), 2**64, -0.0):
                dk[key] = repr(key)
            for text, key in (('1', 1), ('1.5', 1.5), ('null', None), ('true', True), ('[1, 2]', (1, 2)), ('18446744073709551616', 2**64), ('-0.0', -0.0)):
                status, value, _, _ = cli('dict', 'get', dk.key, text)
                check((status, value) == (0, repr(key)), f'dict get of key {text}: {status} {value}')
            cli('dict', 'set', dk.key, '[3, "x"]', '7')
            check(dk[(3, 'x')] == 7, 'pottery reads a CLI pair with a list key')

            l = RedisList(KINDS, redis=r, key=K('list'))
            status, value, _, _ = cli('list', 'items', l.key)
            check(status == 0 and json.dumps(value) == json.dumps(KINDS), f'list items: {value}')
            check(cli('list', 'count', l.key, '1')[1] == KINDS.count(1) == 3 and cli('list', 'index', l.key, 'false')[1] == KINDS.index(False) == 3,
                  'Python == in count/index')
            cli('list', 'append', l.key, '18446744073709551619')
            cli('list', 'insert', l.key, '-2', '"x"')
            cli('list', 'set', l.key, '0', '{"z": 1e16}')
            cli('list', 'remove', l.key, '1.0')
            expected = [{'z': 1e16}] + KINDS[1:4] + KINDS[5:-1] + ['x', KINDS[-1], 18446744073709551619]
            check(json.dumps(list(l)) == json.dumps(expected), f'pottery reads the changed list: {list(l)}')

            s = RedisSet(['a', 1, 1.5, None, True, 2**64, (1, 'x'), -0.0, 1e16], redis=r, key=K('set'))
            for text, member in (('true', True), ('1.0', 1.0), ('[1, "x"]', (1, 'x')), ('0.0', 0.0), ('-0.0', -0.0), ('1e16', 1e16)):
                status, value, _, _ = cli('set', 'contains', s.key, text)
                check((status, value) == ((0, True) if member in s else (1, False)), f'set contains {text}: {status} {value}')
            cli('set', 'add', s.key, '2.5', '"\\u00e9"')
            check(2.5 in s and '\\u00e9' in s, 'pottery sees the CLI\\'s members')

            c = RedisCounter(['a', 'a', 1, 1.5, None, (1, 2), '\\u00e9'], redis=r, key=K('counter'))
            check(cli('counter', 'get', c.key, '[1, 2]')[1] == 1 and cli('counter', 'get', c.key, 'null')[1] == 1, 'counter get of encoded elements')
            check(cli('counter', 'most-common', c.key, '1')[1] == [['a', 2]], 'counter most-common')
            cli('counter', 'update', c.key, 'a', '1', '[1, 2]')
            cli('counter', 'subtract', c.key, '\\u00e9')
            check((c['a'], c[1], c[(1, 2)], c['\\u00e9']) == (3, 2, 2, 0), f'pottery reads the CLI\\'s counts: {r.hgetall(c.key)}')
            """)
    }

    /// pottery keeps a deque's maxlen per object; `--maxlen` does the same per
    /// call, on the list Python made. The queue stays FIFO across both.
    @Test func dequesAndQueuesInterleaveInOrder() throws {
        try audit("""
            from pottery import RedisDeque, RedisSimpleQueue
            k = K('deque')
            dq = RedisDeque([1, 2, 3], maxlen=4, redis=r, key=k)
            check(r.keys(k + '*') == [k.encode()], 'pottery stores no maxlen')
            cli('deque', 'append', k, '4', '--maxlen', '4')
            dq.append(5)
            cli('deque', 'appendleft', k, '0', '--maxlen', '4')
            check(list(dq) == [0, 2, 3, 4], f'deque after both: {list(dq)}')
            status, _, etype, _ = cli('deque', 'extend', k, '8', '--maxlen', '3')
            check((status, etype) == (1, 'IndexError') and list(dq) == [0, 2, 3, 4], 'a list longer than --maxlen, as pottery\\'s IndexError')
            cli('deque', 'rotate', k, '1')
            dq.rotate(-2)
            check(list(dq) == [2, 3, 4, 0] and cli('deque', 'popleft', k)[1] == 2, f'rotate: {list(dq)}')

            q = RedisSimpleQueue(redis=r, key=K('queue'))
            q.put({'id': 1}); q.put('two')
            cli('queue', 'put', q.key, '3', '"four"')
            q.put(2**64)
            got = [cli('queue', 'get', q.key, '--no-wait')[1], q.get(block=False), cli('queue', 'get', q.key, '--no-wait')[1],
                   q.get(block=False), cli('queue', 'get', q.key, '--no-wait')[1]]
            check(got == [{'id': 1}, 'two', 3, 'four', 2**64], f'FIFO across Python and the CLI: {got}')
            check(cli('queue', 'empty', q.key)[:2] == (0, True) and q.empty(), 'both see the queue empty')
            # A CLI consumer blocked in `queue get` takes what Python puts later.
            waiting = subprocess.Popen([CLI, 'queue', 'get', q.key, '--timeout', '60'], stdout=subprocess.PIPE, env=ENV)
            time.sleep(0.3)
            q.put([7, None])
            out, _ = waiting.communicate(timeout=60)
            check(waiting.returncode == 0 and json.loads(out) == [7, None], f'blocked get: {waiting.returncode} {out!r}')
            """)
    }

    /// A Python lease over three (and five) masters, one dead, is seen, refused, extended
    /// and released by the CLI with Python's token; a CLI lease is seen and
    /// refused by Python and runs out when its auto-release time says.
    @Test func locksInterleaveOverThreeAndFiveMastersWithOneDown() throws {
        try audit("""
            urls = MASTERS[:2] + [DEAD[0]]
            env = with_masters(urls)
            ms = {Redis.from_url(u, socket_connect_timeout=1, socket_timeout=1) for u in urls}
            live = [Redis.from_url(u) for u in MASTERS[:2]]
            k = K('lock')
            py = Redlock(key=k, masters=ms, auto_release_time=12.5)
            check(py.acquire(blocking=False), 'pottery acquires over 2 of 3 masters')
            status, value, _, err = cli('lock', 'locked', k, env=env)
            check(status == 0 and 0 < value <= 12500, f'lock locked of the Python lease: {status} {value} {err}')
            status, value, _, _ = cli('lock', 'locked', k, '--token', py._uuid, env=env)
            check(status == 0 and abs(value - py.locked() * 1000) < 2000, f'lock locked --token vs pottery locked(): {value}')
            status, value, _, _ = cli('lock', 'status', k, env=env)
            check(status == 0 and value['held'] and [m['held'] for m in value['masters']] == [True, True, False]
                  and value['masters'][2]['error'] and py._uuid not in json.dumps(value), f'lock status: {value}')
            check(cli('lock', 'acquire', k, '--no-wait', env=env)[0] == 1, 'lock acquire --no-wait of a held lock')
            check(cli('lock', 'release', k, '--token', str(uuid.uuid4()), env=env)[2] == 'ReleaseUnlockedLock', 'another token')
            check(cli('lock', 'extend', k, '--token', py._uuid, '--auto-release', '30', env=env)[0] == 0
                  and all(12500 < m.pttl('redlock:' + k) <= 30000 for m in live), 'extend with Python\\'s token')
            check(py.locked() > 12.5, 'pottery sees the extension')
            check(cli('lock', 'release', k, '--token', py._uuid, env=env)[0] == 0 and py.locked() == 0, 'release with Python\\'s token')

            # Five masters, one down: the same answers.
            urls5 = MASTERS[:4] + [DEAD[1]]
            env5 = with_masters(urls5)
            ms5 = {Redis.from_url(u, socket_connect_timeout=1, socket_timeout=1) for u in urls5}
            k5 = K('lock5')
            py5 = Redlock(key=k5, masters=ms5)
            check(py5.acquire(blocking=False), 'pottery acquires over 4 of 5 masters')
            check(cli('lock', 'locked', k5, env=env5)[0] == 0 and cli('lock', 'acquire', k5, '--no-wait', env=env5)[0] == 1, '5 masters: held')
            check(cli('lock', 'release', k5, '--token', py5._uuid, env=env5)[0] == 0 and py5.locked() == 0, '5 masters: released')
            status, value, _, _ = cli('lock', 'acquire', k5, env=env5)
            check(status == 0 and Redlock(key=k5, masters=ms5).acquire(blocking=False) is False, '5 masters: the CLI holds')

            status, value, _, err = cli('lock', 'acquire', k, '--auto-release', '4', env=env)
            check(status == 0 and value['acquired'], f'lock acquire: {status} {value} {err}')
            other = Redlock(key=k, masters=ms)
            check(other.acquire(blocking=False) is False and other.locked() == 0, 'pottery cannot take the CLI lease')
            other._uuid = value['token']
            check(0 < other.locked() <= 4, f'pottery with the CLI token: {other.locked()}')
            check(all(0 < m.pttl('redlock:' + k) <= 4000 for m in live), 'PX is the auto-release time')
            time.sleep(4.1)
            check(other.locked() == 0 and cli('lock', 'locked', k, env=env)[:2] == (1, 0), 'both see the lease run out')
            check(Redlock(key=k, masters=ms).acquire(blocking=False), 'pottery acquires after the auto-release')
            """)
    }

    /// Python and the CLI draw alternately on three masters: IDs strictly
    /// increase without duplicates; a master lowered by hand is brought up by
    /// the next draw of either, and `--current` is pottery's reading when the
    /// masters agree.
    @Test func nextIDsInterleaveOverThreeMasters() throws {
        try audit("""
            urls = MASTERS[:3]
            env = with_masters(urls)
            ml = [Redis.from_url(u) for u in urls]
            name = K('ids')
            rk = 'nextid:' + name
            ids = NextID(key=name, masters=set(ml))

            def settled(masters, key, value):
                # A draw returns once a majority took it (pottery's and ours): the last master may lag a moment.
                give_up = time.monotonic() + 20
                while any(m.get(key) != value for m in masters) and time.monotonic() < give_up:
                    time.sleep(0.02)
                return all(m.get(key) == value for m in masters)

            drawn = []
            for i in range(4):
                drawn.append(next(ids))
                drawn.append(cli('nextid', name, env=env)[1])
                drawn.extend(cli('nextid', name, '--count', 2, env=env)[1])
            check(drawn == list(range(1, 17)), f'interleaved draws: {drawn}')
            check(cli('nextid', name, '--current', env=env)[1] == 16, '--current after the draws')
            ml[0].set(rk, 2)
            check(cli('nextid', name, env=env)[1] == 17, 'the CLI draws above a lowered master')
            check(settled(ml, rk, b'17'), f'the lowered master was brought up: {[m.get(rk) for m in ml]}')
            ml[1].set(rk, 3)
            check(next(ids) == 18 and settled(ml, rk, b'18'), f'and by pottery\\'s draw: {[m.get(rk) for m in ml]}')
            check(cli('nextid', name, '--current', env=env)[1] == ids._NextID__current_id == 18, '--current is pottery\\'s reading')
            """)
    }

    /// Bloom filters and HyperLogLogs made on one side and used on the other:
    /// the CLI's sizing record does not disturb pottery, merges go both ways.
    @Test func bloomFiltersAndHyperLogLogsInterleave() throws {
        try audit("""
            from pottery import HyperLogLog
            S = ('--num-elements', 300, '--false-positives', '0.02')
            mine = K('bloom:cli')
            cli('bloom', 'add', mine, 'a', '1', '[true, null]', '"\\u00e9"', *S)
            bf = BloomFilter(num_elements=300, false_positives=0.02, redis=r, key=mine)
            check(list(bf.contains_many('a', 1, [True, None], '\\u00e9', 'b')) == [True, True, True, True, False], 'pottery reads the CLI\\'s filter')
            bf.update(['b', 2.5])
            check(cli('bloom', 'contains-many', mine, 'b', '2.5', 'c', *S)[1] == [True, True, False], 'the CLI reads pottery\\'s additions')
            check(cli('bloom', 'len', mine, *S)[1] == len(bf), 'len agrees')
            bf.clear()
            check(r.exists(mine + ':bloom-sizing') and cli('bloom', 'add', mine, 'x', '--num-elements', 50, '--false-positives', '0.1')[0] == 0,
                  'a filter pottery cleared is sized anew by the next add')

            py, cl, merged = K('hll:py'), K('hll:cli'), K('hll:merged')
            h = HyperLogLog(['x', 1, None, '\\u00e9'] + list(range(100)), redis=r, key=py)
            cli('hll', 'add', cl, 'y', '2', 'x', '-', stdin_text=''.join(f'{i}\\n' for i in range(50, 150)))
            check(cli('hll', 'count', py)[1] == len(h), 'hll count of pottery\\'s HLL')
            other = HyperLogLog(redis=r, key=cl)
            check(list(other.contains_many('y', 2, 149, 'z')) == [True, True, True, False] and len(other) == cli('hll', 'count', cl)[1], 'pottery reads the CLI\\'s HLL')
            check(cli('hll', 'contains-many', py, 'x', '1', 'null', '"\\u00e9"', 'y')[1] == [True, True, True, True, False], 'hll contains-many')
            cli('hll', 'merge', merged, py, cl)
            union = h.union(other, redis=r)
            check(cli('hll', 'count', merged)[1] == len(union), 'hll merge equals pottery\\'s union')
            h.update(other)
            r.pfcount(py), r.pfcount(merged)  # both headers cache their count
            check(r.get(py) == r.get(merged), 'pottery\\'s update of the CLI\\'s HLL has the bytes of hll merge')
            """)
    }

    /// Keys Python made, as `inspect` and `keys` see them, and the `cache`
    /// verbs over pottery's `redis_cache` and `CachedOrderedDict` hashes.
    @Test func inspectKeysAndCacheOverWhatPythonMade() throws {
        try audit("""
            from pottery import RedisDict, RedisSet, RedisList, RedisCounter, RedisSimpleQueue, HyperLogLog, redis_cache, CachedOrderedDict
            p = K('inspect')
            Redlock(key=p + ':lock', masters={r}).acquire()
            next(NextID(key=p + ':id', masters={r}))
            RedisSimpleQueue(redis=r, key=p + ':queue').put({'a': 1})
            HyperLogLog(['x', 1], redis=r, key=p + ':hll')
            BloomFilter(['x'], num_elements=10, false_positives=0.1, redis=r, key=p + ':bloom')
            RedisDict({1: [True]}, redis=r, key=p + ':dict')
            RedisSet({'a'}, redis=r, key=p + ':set')
            RedisList([1.5], redis=r, key=p + ':list')
            RedisCounter(['a', 'a'], redis=r, key=p + ':counter')
            kinds = {}
            for key in (f'redlock:{p}:lock', f'nextid:{p}:id', p + ':queue', p + ':hll', p + ':bloom', p + ':dict',
                        p + ':set', p + ':list', p + ':counter'):
                status, value, _, err = cli('inspect', key)
                check(status == 0 and value['key'] == key, f'inspect {key}: {status} {err}')
                kinds[key] = value and (value['kind'], value['contents'] if value['kind'] not in ('Redlock', 'BloomFilter') else None)
            check(kinds == {f'redlock:{p}:lock': ('Redlock', None), f'nextid:{p}:id': ('NextID', 1),
                            p + ':queue': ('RedisSimpleQueue', [{'a': 1}]), p + ':hll': ('HyperLogLog', None),
                            p + ':bloom': ('BloomFilter', None), p + ':dict': ('RedisDict', [[1, [True]]]),
                            p + ':set': ('RedisSet', ['a']), p + ':list': ('RedisList', [1.5]),
                            p + ':counter': ('RedisDict', [['a', 2]])}, f'inspect: {kinds}')
            status, value, _, _ = cli('keys', '*' + p + '*')
            check(status == 0 and sorted(value) == sorted(k.decode() for k in r.keys('*' + p + '*')), f'keys: {value}')

            ck = K('cache')
            @redis_cache(redis=r, key=ck, timeout=100)
            def square(x):
                return {'v': x * x}
            square(2), square(3)
            check(cli('cache', 'len', ck)[:2] == (0, 2) and 95 <= r.ttl(ck) <= 100, 'cache len of pottery\\'s cache')
            status, value, _, _ = cli('dict', 'items', ck)
            check(status == 0 and sorted(v['v'] for _, v in value) == [4, 9], f'its entries: {value}')
            od = K('ordered')
            cod = CachedOrderedDict(redis_client=r, redis_key=od, dict_keys=('a', 'b'), timeout=50)
            cod['a'] = 1
            cli('dict', 'set', od, 'b', '{"x": null}')
            cod2 = CachedOrderedDict(redis_client=r, redis_key=od, dict_keys=('a', 'b', 'c'))
            check(list(cod2.items())[:2] == [('a', 1), ('b', {'x': None})] and cod2.misses() == {'c'}, f'CachedOrderedDict: {cod2}')
            check(cli('cache', 'len', od)[1] == 2 and cli('cache', 'clear', od)[0] == 0 and not r.exists(od), 'cache clear')
            """)
    }

    // MARK: the harness

    /// Runs `body` after a prelude that defines `cli(*args, env=ENV)` → `(status, value, error type, stderr)`,
    /// `raw(*args)` → `(status, stdout text)`, `check(ok, what)`, `K(name)`, `with_masters(urls)`,
    /// `r` (the shared server), `URL`, `MASTERS`, `DEAD`, `CLI`; expects it to print `ok`.
    private func audit(_ body: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let config: [String: Any] = [
            "url": RedisServer.shared.url, "masters": CLIMasters.shared.urls, "dead": CLIMasters.dead, "cli": CLI.binary,
            "prefix": uniqueKey("BehaviourAudit"),
        ]
        let indented = body.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
        let script = Self.prelude + "try:\n" + indented + "\nexcept Exception:\n    failures.append(traceback.format_exc())\n" + Self.epilogue
        let python = try Python.run(script, stdin: Array(try JSONSerialization.data(withJSONObject: config)))
        let output = String(decoding: python.stdout, as: UTF8.self)
        #expect(python.status == 0 && output == "ok\n", "\(output)\nstderr:\n\(python.stderr)", sourceLocation: sourceLocation)
    }

    private static let prelude = #"""
        import json, os, subprocess, sys, time, traceback, uuid, warnings, logging
        from redis import Redis
        from pottery import Redlock, NextID, BloomFilter
        warnings.simplefilter('ignore')
        logging.disable(logging.CRITICAL)
        config = json.loads(sys.stdin.read())
        URL, MASTERS, DEAD, CLI, PREFIX = config['url'], config['masters'], config['dead'], config['cli'], config['prefix']
        r = Redis.from_url(URL)
        ENV = {k: v for k, v in os.environ.items() if k not in ('REDIS_URL', 'REDISCLI_AUTH', 'POTTERY_MASTERS', 'POTTERY_CLI')}
        ENV['REDIS_URL'] = URL
        failures = []

        def check(ok, what):
            if not ok:
                failures.append(what)

        def K(name):
            return f'{PREFIX}:{name}'

        def with_masters(urls):
            env = dict(ENV)
            env['POTTERY_MASTERS'] = ' '.join(urls)
            return env

        def raw(*args, env=None):
            p = subprocess.run([CLI, *map(str, args)], capture_output=True, env=env or ENV, stdin=subprocess.DEVNULL)
            return p.returncode, p.stdout.decode()

        def cli(*args, env=None, stdin_text=None):
            p = subprocess.run([CLI, *map(str, args)], capture_output=True, env=env or ENV,
                               **({'input': stdin_text.encode()} if stdin_text is not None else {'stdin': subprocess.DEVNULL}))
            out, err = p.stdout.decode(), p.stderr.decode()
            value = json.loads(out) if out.strip() else None
            etype = json.loads(err)['error']['type'] if err.strip().startswith('{"error"') else None
            return p.returncode, value, etype, err.strip()

        """#

    private static let epilogue = #"""
        print(json.dumps(failures, indent=1) if failures else 'ok')
        sys.exit(1 if failures else 0)
        """#
}

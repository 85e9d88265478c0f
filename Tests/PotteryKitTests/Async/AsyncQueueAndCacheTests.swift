import PotteryKit
import PotteryTestSupport
import Testing

/// `queue.async` and the caches' async forms give what the sync forms give;
/// a cancelled waiting `get` stops and takes nothing.
@Suite struct AsyncQueueAndCacheTests {
    let connection = RedisServer.shared.connection()

    @Test func everyQueueCallsAsyncFormMatchesItsSyncForm() async throws {
        let (syncKey, asyncKey) = (uniqueKey("queue-sync"), uniqueKey("queue-async"))
        let (s, a) = (RedisSimpleQueue<Int>(connection, key: syncKey), RedisSimpleQueue<Int>(connection, key: asyncKey))
        await expectSame("isEmpty", { try s.isEmpty() }, { try await a.async.isEmpty() })
        await expectSame("get empty", { try s.get(timeout: .zero) }, { try await a.async.get(timeout: .zero) })
        await expectSame("get waits", { try s.get(timeout: .milliseconds(20)) }, { try await a.async.get(timeout: .milliseconds(20)) })
        await expectSame("negative timeout", { try s.get(timeout: .seconds(-1)) }, { try await a.async.get(timeout: .seconds(-1)) })
        await expectSame("oldestEntry empty", { try s.oldestEntry(timeout: .zero)?.element },
                         { try await a.async.oldestEntry(timeout: .zero)?.element })
        await expectSame("put", { try s.put(1) }, { try await a.async.put(1) })
        await expectSame("put many", { try s.put(contentsOf: [2, 3, 4]) }, { try await a.async.put(contentsOf: [2, 3, 4]) })
        await expectSame("qsize", { try s.qsize() }, { try await a.async.qsize() })
        await expectSame("elements", { try s.elements() }, { try await a.async.elements() })
        try expectSameBytes(connection, syncKey, asyncKey)
        await expectSame("get", { try s.get() }, { try await a.async.get() })
        await expectSame("getNoWait", { try s.getNoWait() }, { try await a.async.getNoWait() })
        let (syncEntry, asyncEntry) = (try s.oldestEntry(timeout: .zero)!, try await a.async.oldestEntry(timeout: .zero)!)
        #expect(asyncEntry.element == syncEntry.element)
        await expectSame("claim", { try s.claim(syncEntry) }, { try await a.async.claim(asyncEntry) })
        await expectSame("claim again", { try s.claim(syncEntry) }, { try await a.async.claim(asyncEntry) })
        try expectSameBytes(connection, syncKey, asyncKey)
        #expect(try await a.async.elements() == [4])
        await expectSame("clear", { try s.clear() }, { try await a.async.clear() })
        #expect(try storedBytes(connection, asyncKey) == ["none"])
        // Entries not in pottery's shape are a data error and stay.
        for key in [syncKey, asyncKey] { try connection.send(RedisCommand("XADD", key: key).appending(["1-1", "other", "1"])) }
        await expectSame("foreign entry", { try s.get() }, { try await a.async.get() })
        try expectSameBytes(connection, syncKey, asyncKey)
        try s.clear()
        try await a.async.clear()
    }

    @Test func aCancelledWaitingGetStopsAndTakesNothing() async throws {
        let queue = RedisSimpleQueue<Int>(RedisServer.shared.connection(), key: uniqueKey())
        let waiting = Task { try await queue.async.get() }
        try await Task.sleep(for: .milliseconds(300))  // waiting in XREAD BLOCK by now
        // Should the wait not stop, this element ends it: the test fails rather than hangs.
        let rescue = Task {
            try await Task.sleep(for: .seconds(30))
            try queue.put(-1)
        }
        let clock = ContinuousClock()
        let start = clock.now
        waiting.cancel()
        let outcome = await waiting.result
        rescue.cancel()
        #expect(throws: CancellationError.self) { try outcome.get() }
        // It stops (a wait that did not would get the rescue element, not CancellationError), in
        // 250 ms blocks; the bound leaves room for a loaded machine and only catches a wait that never ends.
        #expect(clock.now - start < .seconds(25), "the cancelled get took \(clock.now - start) to stop")
        try queue.put(7)
        try await Task.sleep(for: .milliseconds(300))  // a waiter that did not stop would take it now
        #expect(try queue.elements() == [7])
        try queue.clear()
    }

    @Test func aGetCalledCancelledSendsNothingAndTheElementStays() async throws {
        let queue = RedisSimpleQueue<Int>(RedisServer.shared.connection(), key: uniqueKey())
        try queue.put(contentsOf: [1, 2])
        let cancelled = Task {
            while !Task.isCancelled { await Task.yield() }
            let get = await Outcome { try await queue.async.get() }
            let look = await Outcome { try await queue.async.oldestEntry()?.element }
            return (get, look)
        }
        cancelled.cancel()
        let (get, look) = await cancelled.value
        #expect(get == .other("CancellationError"))
        #expect(look == .other("CancellationError"))
        #expect(try queue.elements() == [1, 2])
        try queue.clear()
    }

    @Test func queueAndCacheAsyncFormsOnAKeyOfAnotherTypeThrowWrongTypeAndChangeNothing() async throws {
        let key = uniqueKey()
        try makeString(connection, key)
        let queue = RedisSimpleQueue<Int>(connection, key: key)
        let cache = RedisCache(connection, key: key)
        let memo = cache.memoize { (n: Int) in n }
        let calls: [(String, () async throws -> Void)] = [
            ("queue.put", { try await queue.async.put(1) }),
            ("queue.get", { _ = try await queue.async.get(timeout: .seconds(1)) }),
            ("queue.qsize", { _ = try await queue.async.qsize() }),
            ("queue.forEachBatch", { try await queue.async.forEachBatch { _ in } }),
            ("cache.store", { try await cache.async.store(1, forField: 1) }),
            ("cache.value", { _ = try await cache.async.value(forField: 1) }),
            ("memo", { _ = try await memo.async(1) }),
        ]
        for (label, call) in calls {
            let error = await #expect(throws: PotteryError.self, "\(label)") { try await call() }
            #expect(error?.code == .wrongType, "\(label)")
            #expect(error?.key == key.description, "\(label)")
        }
        #expect(try connection.send(RedisCommand("GET", key: key)) == .bulk(Array("not a container".utf8)))
        #expect(try connection.send(RedisCommand("PTTL", key: key)) == .integer(-1))
    }

    @Test func redisCacheAsyncFormsMatchTheSyncForms() async throws {
        let (syncKey, asyncKey) = (uniqueKey("cache-sync"), uniqueKey("cache-async"))
        // An hour's expiry: a loaded test machine may take longer than the default minute.
        let (s, a) = (RedisCache(connection, key: syncKey, timeout: .seconds(3600)), RedisCache(connection, key: asyncKey, timeout: .seconds(3600)))
        await expectSame("miss", { try s.value(forField: ["n": 1]) }, { try await a.async.value(forField: ["n": 1]) })
        await expectSame("store", { try s.store([1, "one"], forField: ["n": 1]) }, { try await a.async.store([1, "one"], forField: ["n": 1]) })
        await expectSame("hit", { try s.value(forField: ["n": 1]) }, { try await a.async.value(forField: ["n": 1]) })
        await expectSame("count", { try s.count() }, { try await a.async.count() })
        try expectSameBytes(connection, syncKey, asyncKey)
        #expect(try connection.send(RedisCommand("PTTL", key: asyncKey)).integer ?? 0 > 0)
        await expectSame("clear", { try s.clear() }, { try await a.async.clear() })
        #expect(try storedBytes(connection, asyncKey) == ["none"])
    }

    @Test func cachedFunctionAsyncFormMatchesTheSyncForm() async throws {
        let (syncKey, asyncKey) = (uniqueKey("memo-sync"), uniqueKey("memo-async"))
        let calls = OrderLog()
        let square: (Int) throws -> Int = { n in calls.append(n); return n * n }
        let s = RedisCache(connection, key: syncKey, timeout: .seconds(3600)).memoize(square)
        let a = RedisCache(connection, key: asyncKey, timeout: .seconds(3600)).memoize(square)
        await expectSame("miss", { try s(12) }, { try await a.async(12) })
        await expectSame("hit", { try s(12) }, { try await a.async(12) })
        await expectSame("bypass", { try s.bypass(3) }, { try await a.async.bypass(3) })
        await expectSame("info", { try s.cacheInfo() }, { try await a.async.cacheInfo() })
        #expect(calls.values == [12, 12, 3, 3])
        try expectSameBytes(connection, syncKey, asyncKey)
        await expectSame("clear", { try s.cacheClear() }, { try await a.async.cacheClear() })
        await expectSame("info cleared", { try s.cacheInfo() }, { try await a.async.cacheInfo() })
    }

    @Test func cachedOrderedDictAsyncFormsMatchTheSyncForms() async throws {
        let (syncKey, asyncKey) = (uniqueKey("cod-sync"), uniqueKey("cod-async"))
        for key in [syncKey, asyncKey] { try connection.send(RedisCommand("HSET", key: key).appending(["\"tea\"", "2.5"])) }
        let s = try CachedOrderedDict<String, Double>(connection, key: syncKey, dictKeys: ["tea", "coffee"], timeout: .seconds(3600))
        let a = try await CachedOrderedDict<String, Double>.load(connection, key: asyncKey, dictKeys: ["tea", "coffee"],
                                                                 timeout: .seconds(3600))
        #expect(a.keys == s.keys && a.misses == s.misses && a["tea"] == 2.5)
        await expectSame("set", { try s.set(3, for: "coffee") }, { try await a.async.set(3, for: "coffee") })
        await expectSame("update", { try s.update([(key: "milk", value: 1)]) }, { try await a.async.update([(key: "milk", value: 1)]) })
        await expectSame("setDefault present", { try s.setDefault(9, for: "tea") }, { try await a.async.setDefault(9, for: "tea") })
        await expectSame("setDefault new", { try s.setDefault(9, for: "sugar") }, { try await a.async.setDefault(9, for: "sugar") })
        #expect(a.keys == s.keys && a.misses == s.misses && a.keys == ["tea", "coffee", "milk", "sugar"])
        try expectSameBytes(connection, syncKey, asyncKey)
        try makeString(connection, asyncKey)
        let error = await #expect(throws: PotteryError.self) { try await a.async.set(1, for: "x") }
        #expect(error?.code == .wrongType)
        #expect(a["x"] == nil)
        for key in [syncKey, asyncKey] { try connection.send(RedisCommand("DEL", key: key)) }
    }
}

import PotteryKit
import PotteryTestSupport
import Testing

/// `hll.async` and `bloom.async` give what the sync forms give, value or
/// error, and leave the same bytes in Redis.
@Suite struct AsyncProbabilisticTests {
    let connection = RedisServer.shared.connection()

    @Test func everyHyperLogLogCallsAsyncFormMatchesItsSyncForm() async throws {
        let (syncKey, asyncKey) = (uniqueKey("hll-sync"), uniqueKey("hll-async"))
        let (s, a) = (HyperLogLog<String>(connection, key: syncKey), HyperLogLog<String>(connection, key: asyncKey))
        let other = HyperLogLog<String>(connection, key: uniqueKey("hll-other"))
        try other.update(["x", "y"])
        await expectSame("add", { try s.add("a") }, { try await a.async.add("a") })
        await expectSame("add again", { try s.add("a") }, { try await a.async.add("a") })
        await expectSame("update small", { try s.update(["b", "c"]) }, { try await a.async.update(["b", "c"]) })
        let many = (0..<600).map { "m\($0)" }
        await expectSame("update large", { try s.update(many) }, { try await a.async.update(many) })
        await expectSame("count", { try s.count() }, { try await a.async.count() })
        await expectSame("contains", { try s.contains("b") }, { try await a.async.contains("b") })
        await expectSame("containsMany", { try s.containsMany(["a", "zz", "m5"]) }, { try await a.async.containsMany(["a", "zz", "m5"]) })
        await expectSame("merge", { try s.merge([other]) }, { try await a.async.merge([other]) })
        await expectSame("union", { try s.union([other]).count() }, { try await a.async.union([other]).count() })
        try expectSameBytes(connection, syncKey, asyncKey)
        #expect(try connection.send(RedisCommand("GET", key: asyncKey)) == connection.send(RedisCommand("GET", key: syncKey)))
        await expectSame("clear", { try s.clear() }, { try await a.async.clear() })
        #expect(try storedBytes(connection, asyncKey) == ["none"])
        try other.clear()
        let wrong = uniqueKey()
        try connection.send(RedisCommand("SADD", key: wrong).appending(["1"]))
        let error = await #expect(throws: PotteryError.self) { try await HyperLogLog<String>(connection, key: wrong).async.add("a") }
        #expect(error?.code == .wrongType)
        #expect(error?.key == wrong.description)
        try connection.send(RedisCommand("DEL", key: wrong))
    }

    @Test func everyBloomFiltersCallsAsyncFormMatchesItsSyncForm() async throws {
        let (syncKey, asyncKey) = (uniqueKey("bloom-sync"), uniqueKey("bloom-async"))
        let s = try BloomFilter<String>(connection, key: syncKey, numElements: 100, falsePositives: 0.01)
        let a = try BloomFilter<String>(connection, key: asyncKey, numElements: 100, falsePositives: 0.01)
        await expectSame("add", { try s.add("a") }, { try await a.async.add("a") })
        await expectSame("update", { try s.update(["b", "c"]) }, { try await a.async.update(["b", "c"]) })
        await expectSame("contains", { try s.contains("b") }, { try await a.async.contains("b") })
        await expectSame("containsMany", { try s.containsMany(["a", "zz"]) }, { try await a.async.containsMany(["a", "zz"]) })
        await expectSame("count", { try s.count() }, { try await a.async.count() })
        await expectSame("bitsSet", { try s.bitsSet() }, { try await a.async.bitsSet() })
        await expectSame("checkSizing", { try s.checkSizing() }, { try await a.async.checkSizing() })
        #expect(try connection.send(RedisCommand("GET", key: asyncKey)) == connection.send(RedisCommand("GET", key: syncKey)))
        await expectSame("clear", { try s.clear() }, { try await a.async.clear() })
        #expect(try storedBytes(connection, asyncKey) == ["none"])
    }
}

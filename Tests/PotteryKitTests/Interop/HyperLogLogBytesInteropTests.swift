import PotteryKit
import PotteryTestSupport
import Testing

/// The raw bytes of an HLL written by PotteryKit equal those Python pottery
/// 3.0.1 writes for the same elements, in Redis' sparse encoding (a few hundred
/// distinct elements) and dense one, and a membership test writes nothing.
@Suite struct HyperLogLogBytesInteropTests {
    var connection: RedisConnection { RedisServer.shared.connection() }

    func get(_ key: RedisKey) throws -> [UInt8]? {
        try connection.send(RedisCommand("GET", key: key)).bytes
    }

    /// `HYLL`, then the encoding byte: 0 dense, 1 sparse.
    func encoding(_ key: RedisKey) throws -> UInt8? {
        try get(key).map { $0[4] }
    }

    /// Python pottery's `HyperLogLog(['e0', ..., 'e<count-1>'])` at `key`.
    func pythonAdds(_ count: Int, to key: RedisKey) throws {
        _ = try Interop.python("""
            HyperLogLog(['e%d' % i for i in range(\(count))], redis=redis, key='\(key)')
            """, importing: "HyperLogLog")
    }

    @Test(arguments: [(700, UInt8(1)), (2_500, UInt8(0))])
    func aLargeBatchStoresTheBytesPotteryStores(count: Int, encoding expected: UInt8) throws {
        // PFADD in a transaction (700), or the merge's fall-back to it for a missing HLL (2,500).
        #expect(count >= HyperLogLog<JSONValue>.scriptBatchSize)
        let (pythonKey, swiftKey) = (uniqueKey(), uniqueKey())
        try pythonAdds(count, to: pythonKey)
        let hll = HyperLogLog<String>(connection, key: swiftKey)
        try hll.update((0..<count).map { "e\($0)" })
        #expect(try encoding(pythonKey) == expected)
        #expect(try encoding(swiftKey) == expected)
        #expect(try get(swiftKey) == get(pythonKey))
        try connection.send(RedisCommand("DEL", key: pythonKey))
        try hll.clear()
    }

    @Test func containsManyLeavesTheBytesAsPotteryDoes() throws {
        let key = uniqueKey()
        try pythonAdds(40, to: key)
        let before = try get(key)
        let hll = HyperLogLog<String>(connection, key: key)
        #expect(try hll.containsMany(["e1", "e39", "never added"]) == [true, true, false])
        #expect(try hll.contains("e2"))
        // PFCOUNT would have stored its estimate in the header; the test only reads.
        #expect(try get(key) == before)
        try hll.clear()
    }

    @Test func addingAnElementAgainMarksTheCachedCountStaleAsPotteryDoes() throws {
        let (pythonKey, swiftKey) = (uniqueKey(), uniqueKey())
        _ = try Interop.python("""
            h = HyperLogLog(['a', 'b'], redis=redis, key='\(pythonKey)')
            len(h)
            h.add('a')
            """, importing: "HyperLogLog")
        let hll = HyperLogLog<String>(connection, key: swiftKey)
        try hll.update(["a", "b"])
        #expect(try hll.count() == 2)
        #expect(try hll.add("a") == false)
        // pottery's PFMERGE before PFADD sets the stale flag (the high bit of the header's last byte).
        #expect(try get(swiftKey).map { $0[15] & 0x80 } == 0x80)
        #expect(try get(swiftKey) == get(pythonKey))
        try connection.send(RedisCommand("DEL", key: pythonKey))
        try hll.clear()
    }

    @Test func batchesFromAStreamKeepTheStaleCachedCountPotteryKeeps() throws {
        let (pythonKey, swiftKey) = (uniqueKey(), uniqueKey())
        _ = try Interop.python("""
            h = HyperLogLog(['s%d' % i for i in range(100)], redis=redis, key='\(pythonKey)')
            len(h)
            h.add('x')
            h.update(['e%d' % i for i in range(3000)])
            """, importing: "HyperLogLog")
        let hll = HyperLogLog<String>(connection, key: swiftKey)
        try hll.update((0..<100).map { "s\($0)" })
        _ = try hll.count()
        try hll.add("x")
        var batches = [(0..<1500).map { "e\($0)" }, (1500..<3000).map { "e\($0)" }]
        try hll.update(batches: { () throws(PotteryError) -> [String]? in batches.isEmpty ? nil : batches.removeFirst() })
        #expect(try encoding(swiftKey) == 0)
        #expect(try get(swiftKey) == get(pythonKey))
        try connection.send(RedisCommand("DEL", key: pythonKey))
        try hll.clear()
    }

    @Test func containsManyOnAStringThatIsNoHLLIsAWrongTypeErrorAndWritesNothing() throws {
        let key = uniqueKey()
        var set = RedisCommand("SET", key: key)
        set.append("not an HLL")
        try connection.send(set)
        let hll = HyperLogLog<String>(connection, key: key)
        let error = #expect(throws: PotteryError.self) { try hll.containsMany(["a"]) }
        #expect(error?.code == .wrongType)
        #expect(try get(key) == Array("not an HLL".utf8))
        try connection.send(RedisCommand("DEL", key: key))
    }
}

import PotteryKit
import PotteryTestSupport
import Testing

/// HyperLogLog against a real redis-server.
@Suite struct HyperLogLogTests {
    let connection = RedisServer.shared.connection()

    func exists(_ key: RedisKey) throws -> Bool {
        try connection.send(RedisCommand("EXISTS", key: key)) == .integer(1)
    }

    @Test func addCountContainsAndClear() throws {
        let key = uniqueKey()
        let hll = HyperLogLog<JSONValue>(connection, key: key)
        #expect(try hll.count() == 0)
        #expect(try hll.contains("a") == false)
        #expect(try exists(key) == false)
        #expect(try hll.add("google in 1981"))
        #expect(try hll.count() == 1)
        try hll.update(["google in 1998", "minesweeper", "joey tribbiani", "wizard of oz", "rgb to hex", "pac-man",
                        "breathing exercise", "do a barrel roll", "snake"])
        #expect(try hll.count() == 10)
        // 1 and "1" are different elements, as in pottery.
        try hll.update([1, "1", 1])
        #expect(try hll.count() == 12)
        #expect(try hll.containsMany(["joey tribbiani", "jack", 1, "1", 2]) == [true, false, true, true, false])
        #expect(try hll.containsMany([]) == [])
        try hll.update([])
        let bytes = try connection.send(RedisCommand("GET", key: key)).bytes ?? []
        #expect(bytes.starts(with: Array("HYLL".utf8)))
        try hll.clear()
        #expect(try exists(key) == false)
    }

    @Test func mergeAndUnion() throws {
        let a = HyperLogLog<Int>(connection, key: uniqueKey())
        let b = HyperLogLog<Int>(connection, key: uniqueKey())
        try a.update(Array(0..<100))
        try b.update(Array(50..<200))
        var pfcount = RedisCommand("PFCOUNT", key: a.key)
        pfcount.append(key: b.key)
        let together = Int(try connection.send(pfcount).integer ?? -1)
        #expect(abs(together - 200) <= 4)
        let union = try a.union([b])
        #expect(union.key.hasPrefix("pottery:"))
        #expect(try union.count() == together)
        let named = uniqueKey()
        #expect(try a.union([b], key: named).count() == together)
        try a.merge([b])
        #expect(try a.count() == together)
        let elsewhere = HyperLogLog<Int>(try RedisConnection(url: RedisServer.shared.url.replacingOccurrences(of: "/0", with: "/3")), key: "x")
        let error = #expect(throws: PotteryError.self) { try a.merge([elsewhere]) }
        #expect(error?.code == .valueError)
        for hll in [a, b, HyperLogLog<Int>(connection, key: named)] { try hll.clear() }
    }

    /// Database `database` of the shared server, emptied, holding a list `list`, a
    /// plain string `text`, and what `extra` writes.
    static func databaseWithWrongTypes(_ database: Int, also extra: [RedisCommand] = []) throws -> RedisConnection {
        let isolated = try RedisConnection(url: RedisServer.shared.url.replacingOccurrences(of: "/0", with: "/\(database)"))
        try isolated.send(RedisCommand("FLUSHDB"))
        var rpush = RedisCommand("RPUSH", key: "list")
        rpush.append("x")
        var plain = RedisCommand("SET", key: "text")
        plain.append("plain")
        for reply in try isolated.pipeline([rpush, plain] + extra) { _ = try reply.get() }
        return isolated
    }

    @Test func wrongTypesChangeNothingAndLeaveNoTemporaryKey() throws {
        let isolated = try Self.databaseWithWrongTypes(10)
        let good = HyperLogLog<String>(isolated, key: "good")
        try good.add("a")
        for name in ["list", "text"] {
            let hll = HyperLogLog<String>(isolated, key: RedisKey(name))
            var n = 0
            let calls: [() throws -> Void] = [
                { try hll.add("a") }, { try hll.update(["a", "b"]) }, { _ = try hll.count() }, { _ = try hll.contains("a") },
                { _ = try hll.containsMany(["a", "b"]) }, { try hll.merge([good]) }, { try good.merge([hll]) },
                { n = 0; try hll.update(batches: { n += 1; return n < 4 ? ["x\(n)"] : nil }) }, { try hll.clear() },
            ]
            for call in calls {
                let error = #expect(throws: PotteryError.self) { try call() }
                #expect(error?.code == .wrongType, "\(name): \(String(describing: error))")
            }
        }
        #expect(try isolated.send(RedisCommand("GET", key: "text")) == .bulk(Array("plain".utf8)))
        #expect(try isolated.send(RedisCommand("LLEN", key: "list")) == .integer(1))
        #expect(try good.count() == 1)
        #expect(try isolated.send(RedisCommand("DBSIZE")) == .integer(3))

        // Batches: all or nothing, no staged key left behind.
        var next = 0
        try good.update(batches: { () -> [String]? in
            defer { next += 1 }
            return next < 20 ? (0..<500).map { "e\(next)-\($0)" } : nil
        })
        let counted = try good.count()
        #expect(abs(counted - 10_001) < 300)
        next = 0
        let error = #expect(throws: PotteryError.self) {
            try good.update(batches: { () throws(PotteryError) -> [String]? in
                next += 1
                if next == 4 { throw PotteryError(.valueError, "bad line") }
                return (0..<500).map { "f\(next)-\($0)" }
            })
        }
        #expect(error?.message == "bad line")
        #expect(try good.count() == counted)
        #expect(try isolated.send(RedisCommand("DBSIZE")) == .integer(3))
        try isolated.send(RedisCommand("FLUSHDB"))
    }

    /// Every size of batch (one script, `PFADD` in a transaction, the merge into a dense
    /// HLL) refuses a key that is no HLL (another type, a plain string, a string that
    /// starts like a dense HLL but is not one) with `WRONGTYPE`, changing nothing and
    /// leaving no temporary key; an element that cannot be encoded writes nothing.
    @Test(arguments: [(10, 11), (100, 12), (HyperLogLog<String>.localBatchSize + 1, 13)])
    func everyBatchSizeRefusesWhatIsNoHLLAndChangesNothing(size: Int, database: Int) throws {
        var fake = RedisCommand("SET", key: "fake")  // "HYLL", dense, but not 12,304 bytes
        fake.append(bytes: Array("HYLL".utf8) + [UInt8](repeating: 0, count: 100))
        let isolated = try Self.databaseWithWrongTypes(database, also: [fake])
        let elements = (0..<size).map { "e\($0)" }
        for name in ["list", "text", "fake"] {
            let error = #expect(throws: PotteryError.self) { try HyperLogLog<String>(isolated, key: RedisKey(name)).update(elements) }
            #expect(error?.code == .wrongType, "\(name): \(String(describing: error))")
        }
        #expect(try isolated.send(RedisCommand("LPOP", key: "list")) == .bulk(Array("x".utf8)))
        #expect(try isolated.send(RedisCommand("GET", key: "text")) == .bulk(Array("plain".utf8)))
        #expect(try isolated.send(RedisCommand("GET", key: "fake")) == .bulk(Array("HYLL".utf8) + [UInt8](repeating: 0, count: 100)))
        #expect(try isolated.send(RedisCommand("DBSIZE")) == .integer(2))

        // An element that cannot be encoded: nothing written, whether the HLL is missing or dense.
        let dense = HyperLogLog<BloomFilterTests.Element>(isolated, key: "dense")
        try dense.update((0..<3000).map { .good("d\($0)") })
        let before = try isolated.send(RedisCommand("GET", key: "dense"))
        for key in ["dense", "missing"] {
            let hll = HyperLogLog<BloomFilterTests.Element>(isolated, key: RedisKey(key))
            let error = #expect(throws: PotteryError.self) { try hll.update(elements.map { .good($0) } + [.bad]) }
            #expect(error?.code == .typeError)
        }
        #expect(try isolated.send(RedisCommand("GET", key: "dense")) == before)
        #expect(try isolated.send(RedisCommand("DBSIZE")) == .integer(3))

        // An empty batch writes nothing.
        try HyperLogLog<String>(isolated, key: "empty").update([])
        #expect(try isolated.send(RedisCommand("DBSIZE")) == .integer(3))
        try isolated.send(RedisCommand("FLUSHDB"))
    }

    /// Large batches are hashed here and merged (PFMERGE): exactly the registers PFADD sets.
    @Test func registersBuiltHereAreThoseOfPFADD() throws {
        let local = HyperLogLog<JSONValue>(connection, key: uniqueKey())
        let server = uniqueKey()
        // Both dense first (PFADD), so that the batch below is merged.
        let first: [JSONValue] = (0..<3000).map { .string("first \($0)") }
        try local.update(first)
        try HyperLogLog<JSONValue>(connection, key: server).update(first)
        var elements: [JSONValue] = (0..<3000).map { .string("e\($0) é😀") }
        elements += [1, 1.5, nil, true, ["a": [1]], "", "12345678", "1234567", "123456789"]
        #expect(elements.count >= HyperLogLog<JSONValue>.localBatchSize)
        try local.update(elements)  // registers computed here, merged into the dense HLL
        for chunk in stride(from: 0, to: elements.count, by: 100) {
            var pfadd = RedisCommand("PFADD", key: server)
            for element in elements[chunk..<min(chunk + 100, elements.count)] { pfadd.append(bytes: PotteryJSON.encode(element)) }
            try connection.send(pfadd)
        }
        let registers = { (key: RedisKey) throws -> RedisReply in
            var getreg = RedisCommand("PFDEBUG")
            getreg.append("GETREG")
            getreg.append(key: key)
            return try connection.send(getreg)
        }
        #expect(try registers(local.key) == registers(server))
        #expect(try local.count() == HyperLogLog<JSONValue>(connection, key: server).count())
        #expect(try local.containsMany(Array(elements.prefix(50))).allSatisfy { $0 })
        try local.clear()
        try connection.send(RedisCommand("DEL", key: server))
    }
}

import PotteryKit
import PotteryTestSupport
import Testing

/// BloomFilter against a real redis-server: pottery's sizing and bits, the
/// sizing guard, atomic batches, wrong types.
@Suite struct BloomFilterTests {
    let connection = RedisServer.shared.connection()

    func get(_ key: RedisKey) throws -> [UInt8]? {
        try connection.send(RedisCommand("GET", key: key)).bytes
    }

    func exists(_ key: RedisKey) throws -> Bool {
        try connection.send(RedisCommand("EXISTS", key: key)) == .integer(1)
    }

    @Test func sizingIsPotterys() throws {
        let table: [(Int, Double, Int, Int)] = [
            (100, 0.1, 480, 4), (1000, 0.1, 4793, 4), (100, 0.01, 959, 7), (1000, 0.01, 9586, 7), (1000, 0.001, 14378, 10),
            (5000, 0.01, 47926, 7), (1, 0.5, 2, 2), (3, 0.3, 8, 2), (10, 0.5, 15, 2), (1_000_000, 0.0001, 19_170_117, 14),
        ]
        for (n, p, m, k) in table {
            let sizing = try BloomFilterSizing(numElements: n, falsePositives: p)
            #expect(sizing.size == m && sizing.numHashes == k, "\(n), \(p)")
        }
        for (n, p) in [(0, 0.01), (-5, 0.01), (10, 0.0), (10, 1.0), (10, -0.1), (10, 1.5), (10, .nan), (Int.max, 1e-300)] {
            #expect(throws: PotteryError.self, "\(n), \(p)") { try BloomFilterSizing(numElements: n, falsePositives: p) }
        }
        let error = #expect(throws: PotteryError.self) { try BloomFilterSizing(numElements: 0, falsePositives: 0.5) }
        #expect(error?.code == .valueError)
    }

    @Test func offsetsArePotterys() throws {
        let cases: [(Int, Double, JSONValue, [Int])] = [
            (100, 0.01, "rajiv", [183, 319, 787, 585, 8, 471, 711]), (100, 0.01, "raj", [482, 875, 725, 667, 109, 714, 595]),
            (100, 0.01, "dan", [687, 925, 954, 707, 615, 914, 620]), (100, 0.1, "rajiv", [17, 271, 189, 242]),
            (1000, 0.01, 42, [8020, 3062, 4969, 3236, 4494, 4310, 7745]),
            (1000, 0.001, "é", [1837, 1992, 12716, 2312, 11362, 13175, 12772, 7747, 10172, 13288]),
            (5000, 0.01, [1, "a", nil], [33871, 41670, 46038, 6230, 38213, 476, 23760]),
            (100, 0.01, ["b": 1, "a": true], [217, 372, 94, 713, 383, 648, 94]), (10, 0.5, 1.5, [13, 6]),
        ]
        for (n, p, value, offsets) in cases {
            let sizing = try BloomFilterSizing(numElements: n, falsePositives: p)
            #expect(sizing.offsets(ofEncoded: PotteryJSON.encode(value)) == offsets, "\(value)")
        }
    }

    @Test func addContainsLenAndTheBitmapAsPotteryWritesIt() throws {
        let key = uniqueKey()
        let filter = try BloomFilter<String>(connection, key: key, numElements: 100, falsePositives: 0.01)
        #expect(try filter.contains("rajiv") == false)
        #expect(try filter.count() == 0)
        #expect(try exists(key) == false)
        try filter.add("rajiv")
        let bitmap = try get(key) ?? []
        #expect(bitmap.count == 99 && bitmap[1] == 0x80)
        #expect(try filter.bitsSet() == 7)
        #expect(try filter.containsMany(["rajiv", "raj", "dan"]) == [true, false, false])
        #expect(try filter.count() == 1)
        try filter.update(["raj", "dan"])
        #expect(try filter.count() == 3)
        #expect(try filter.containsMany(["rajiv", "raj", "dan"]) == [true, true, true])
        try filter.update([])
        try filter.clear()
        #expect(try exists(key) == false)
    }

    /// Sparse batches (SETBIT script, BITFIELD_RO) and dense ones (a bitmap ORed in, GETRANGE) set the same bits.
    @Test func sparseAndDenseWritesGiveTheSameBitmap() throws {
        let elements: [JSONValue] = (0..<300).map { .string("element \($0) é😀") } + [1, 1.5, nil, true, ["a": [1, 2]]]
        let sparseKey = uniqueKey()
        let denseKey = uniqueKey()
        let sizing = try BloomFilterSizing(numElements: 1_000_000, falsePositives: 0.01)
        let sparse = BloomFilter<JSONValue>(connection, key: sparseKey, sizing: sizing)
        for element in elements { try sparse.add(element) }  // 7 offsets each: far too few for a 1.2 MB bitmap
        let dense = BloomFilter<JSONValue>(connection, key: denseKey, sizing: sizing)
        try dense.update(Array(repeating: elements, count: 40).flatMap { $0 })  // 85,000 offsets: bitmap
        #expect(try get(sparseKey) == get(denseKey))
        #expect(try sparse.containsMany(elements).allSatisfy { $0 })
        #expect(try dense.containsMany(Array(repeating: elements, count: 40).flatMap { $0 }).allSatisfy { $0 })
        #expect(try sparse.containsMany(["absent", 2, "element 300 é😀"]) == [false, false, false])
        try sparse.clear()
        try dense.clear()
    }

    @Test func falsePositiveRateAtCapacityIsWithinTheRequestedRate() throws {
        let filter = try BloomFilter<String>(connection, key: uniqueKey(), numElements: 5000, falsePositives: 0.02)
        try filter.update((0..<5000).map { "in-\($0)" })
        #expect(try filter.containsMany((0..<5000).map { "in-\($0)" }).allSatisfy { $0 })
        let probes = try filter.containsMany((0..<50_000).map { "out-\($0)" })
        let rate = Double(probes.filter { $0 }.count) / Double(probes.count)
        // Theory for m = 40,703, k = 6 at n = 5,000: 0.0199; 50,000 probes: σ ≈ 0.0006.
        #expect(rate <= 0.02 * 1.1, "measured \(rate)")
        #expect(rate > 0.005, "measured \(rate)")
        try filter.clear()
    }

    @Test func wrongTypeChangesNothing() throws {
        let key = uniqueKey()
        var rpush = RedisCommand("RPUSH", key: key)
        rpush.append("x")
        try connection.send(rpush)
        for guards in [false, true] {
            let filter = try BloomFilter<String>(connection, key: key, numElements: 100, falsePositives: 0.01, guardsSizing: guards)
            let dense = (0..<500).map { "e\($0)" }
            let calls: [() throws -> Void] = [
                { try filter.add("a") }, { try filter.update(dense) }, { _ = try filter.contains("a") },
                { _ = try filter.containsMany(dense) }, { _ = try filter.count() }, { try filter.clear() },
            ]
            for call in calls {
                let error = #expect(throws: PotteryError.self) { try call() }
                #expect(error?.code == .wrongType, "\(String(describing: error))")
            }
            #expect(try exists(BloomFilter<String>.sizingKey(for: key)) == false)
        }
        #expect(try connection.send(RedisCommand("TYPE", key: key)) == .status("list"))
        try connection.send(RedisCommand("DEL", key: key))
    }

    /// An element whose encoding fails.
    enum Element: Encodable {
        case good(String), bad
        func encode(to encoder: any Encoder) throws {
            guard case .good(let text) = self else {
                throw EncodingError.invalidValue(0, .init(codingPath: [], debugDescription: "not JSON"))
            }
            var container = encoder.singleValueContainer()
            try container.encode(text)
        }
    }

    @Test func unencodableElementsAreTypeErrorsOnWriteAndAbsentOnRead() throws {
        let key = uniqueKey()
        let filter = try BloomFilter<Element>(connection, key: key, numElements: 100, falsePositives: 0.01)
        let error = #expect(throws: PotteryError.self) { try filter.update([.good("a"), .bad, .good("c")]) }
        #expect(error?.code == .typeError)
        #expect(try exists(key) == false)
        try filter.add(.good("a"))
        #expect(try filter.containsMany([.good("a"), .bad, .good("c")]) == [true, false, false])
        #expect(try filter.contains(.bad) == false)
        try filter.clear()
    }

    @Test func guardRecordsTheSizingAndRefusesAnother() throws {
        let key = uniqueKey()
        let sizingKey = BloomFilter<String>.sizingKey(for: key)
        let first = try BloomFilter<String>(connection, key: key, numElements: 1000, falsePositives: 0.01, guardsSizing: true)
        // A read of a missing filter records nothing.
        #expect(try first.contains("a") == false)
        #expect(try exists(sizingKey) == false)
        try first.add("a")
        #expect(try get(sizingKey) == Array(#"{"false_positives": 0.01, "num_elements": 1000, "num_hashes": 7, "size": 9586}"#.utf8))
        let bitmap = try get(key)
        let other = try BloomFilter<String>(connection, key: key, numElements: 2000, falsePositives: 0.01, guardsSizing: true)
        let calls: [() throws -> Void] = [
            { try other.add("b") }, { try other.update((0..<3000).map { "d\($0)" }) }, { _ = try other.contains("a") },
            { _ = try other.containsMany((0..<3000).map { "d\($0)" }) }, { _ = try other.count() }, { try other.checkSizing() },
            { try other.update(batches: { [] }) }, { var n = 0; try other.update(batches: { n += 1; return n < 4 ? ["x\(n)"] : nil }) },
        ]
        for call in calls {
            let error = #expect(throws: PotteryError.self) { try call() }
            #expect(error?.code == .valueError, "\(String(describing: error))")
            #expect(error?.message.contains("9586") == true)
        }
        #expect(try get(key) == bitmap)
        // The same m and k from another p is the same filter.
        let same = try BloomFilter<String>(connection, key: key, numElements: 1000, falsePositives: 0.009999, guardsSizing: true)
        #expect(same.size == 9586 && same.numHashes == 7)
        #expect(try same.contains("a"))
        // Clearing forgets the sizing: the filter can be sized anew.
        try first.clear()
        #expect(try exists(sizingKey) == false)
        try other.add("b")
        #expect(try other.contains("b"))
        #expect(try get(sizingKey).map { String(decoding: $0, as: UTF8.self) }?.contains("\"num_elements\": 2000") == true)
        // A record beside a missing filter is stale: a write replaces it.
        try connection.send(RedisCommand("DEL", key: key))
        try first.add("a")
        #expect(try get(sizingKey).map { String(decoding: $0, as: UTF8.self) }?.contains("\"num_elements\": 1000") == true)
        try first.clear()
    }

    @Test func batchesAreAllOrNothingAndLeaveNoTemporaryKey() throws {
        let server = RedisServer.shared
        let isolated = try RedisConnection(url: server.url.replacingOccurrences(of: "/0", with: "/9"))
        try isolated.send(RedisCommand("FLUSHDB"))
        let filter = try BloomFilter<Int>(isolated, key: "batched", numElements: 100_000, falsePositives: 0.01, guardsSizing: true)
        var next = 0
        try filter.update(batches: { () -> [Int]? in
            defer { next += 1 }
            return next < 30 ? Array(next * 1000..<(next + 1) * 1000) : nil
        })
        #expect(try filter.containsMany(Array(0..<30_000)).allSatisfy { $0 })
        let direct = try BloomFilter<Int>(isolated, key: "direct", numElements: 100_000, falsePositives: 0.01)
        try direct.update(Array(0..<30_000))
        let get = { (key: RedisKey) in try isolated.send(RedisCommand("GET", key: key)) }
        #expect(try get("batched") == get("direct"))
        #expect(try isolated.send(RedisCommand("DBSIZE")) == .integer(3))  // batched, its sizing record, direct

        // A failing batch source: nothing reaches the filter, the staged key is gone.
        let before = try get("batched")
        next = 0
        let error = #expect(throws: PotteryError.self) {
            try filter.update(batches: { () throws(PotteryError) -> [Int]? in
                next += 1
                if next == 5 { throw PotteryError(.valueError, "bad line") }
                return Array(100_000 + next * 1000..<100_000 + (next + 1) * 1000)
            })
        }
        #expect(error?.message == "bad line")
        #expect(try get("batched") == before)
        #expect(try isolated.send(RedisCommand("DBSIZE")) == .integer(3))
        try isolated.send(RedisCommand("FLUSHDB"))
    }
}

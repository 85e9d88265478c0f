import PotteryKit
import PotteryTestSupport
import Testing

/// Python pottery 3.0.1's HyperLogLog and PotteryKit's on the same server:
/// the same elements give the same registers and counts (the same bytes for
/// batches small enough for PFADD), and membership agrees.
@Suite struct HyperLogLogInteropTests {
    var connection: RedisConnection { RedisServer.shared.connection() }

    @Test func sameElementsSameCountsAndMembershipAgrees() throws {
        let pythonKey = uniqueKey()
        let swiftKey = uniqueKey()
        let elements: [JSONValue] = BloomInteropTests.elements + (0..<500).map { .string("n\($0)") }
        let answers = try Interop.python("""
            h = HyperLogLog(\(BloomInteropTests.python) + ['n%d' % i for i in range(500)], redis=redis, key='\(pythonKey)')
            print(json.dumps([len(h), list(h.contains_many(*\(BloomInteropTests.pythonProbes)))]))
            """, importing: "HyperLogLog")
        let hll = HyperLogLog<JSONValue>(connection, key: swiftKey)
        try hll.update(elements)  // more than localBatchSize: registers computed here, merged with PFMERGE
        let read = HyperLogLog<JSONValue>(connection, key: pythonKey)
        let swiftAnswers: JSONValue = .array([.int(try read.count()), .array(try read.containsMany(BloomInteropTests.probes).map(JSONValue.bool))])
        #expect(String(decoding: PotteryJSON.encode(swiftAnswers), as: UTF8.self) == answers)
        let pythonOnSwift = try Interop.python("""
            h = HyperLogLog(redis=redis, key='\(swiftKey)')
            print(json.dumps([len(h), list(h.contains_many(*\(BloomInteropTests.pythonProbes)))]))
            """, importing: "HyperLogLog")
        #expect(pythonOnSwift == answers)
        // PFDEBUG GETREG lists every register (and makes the HLL dense, so it comes last).
        let registers = { (key: RedisKey) throws -> RedisReply in
            var getreg = RedisCommand("PFDEBUG")
            getreg.append("GETREG")
            getreg.append(key: key)
            return try connection.send(getreg)
        }
        #expect(try registers(swiftKey) == registers(pythonKey))
        try read.clear()
        try hll.clear()
    }

    @Test func smallBatchesStoreTheBytesPythonStores() throws {
        let (pythonKey, swiftKey) = (uniqueKey(), uniqueKey())
        _ = try Interop.python("""
            h = HyperLogLog(\(BloomInteropTests.python), redis=redis, key='\(pythonKey)')
            h.add('one more')
            """, importing: "HyperLogLog")
        let hll = HyperLogLog<JSONValue>(connection, key: swiftKey)
        try hll.update(BloomInteropTests.elements)
        try hll.add("one more")
        let get = { (key: RedisKey) in try connection.send(RedisCommand("GET", key: key)).bytes }
        #expect(try get(swiftKey) == get(pythonKey))
        try connection.send(RedisCommand("DEL", key: pythonKey))
        try hll.clear()
    }
}

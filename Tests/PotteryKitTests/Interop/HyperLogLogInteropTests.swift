import PotteryKit
import PotteryTestSupport
import Testing

/// Python pottery 3.0.1's HyperLogLog and PotteryKit's on the same server:
/// the same elements give the same HLL bytes and counts, and membership agrees.
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
        try hll.update(elements)
        _ = try hll.count()  // PFCOUNT caches the estimate in the header, as Python's len(h) did
        let get = { (key: RedisKey) in try connection.send(RedisCommand("GET", key: key)).bytes }
        #expect(try get(swiftKey) == get(pythonKey))
        let read = HyperLogLog<JSONValue>(connection, key: pythonKey)
        let swiftAnswers: JSONValue = .array([.int(try read.count()), .array(try read.containsMany(BloomInteropTests.probes).map(JSONValue.bool))])
        #expect(String(decoding: PotteryJSON.encode(swiftAnswers), as: UTF8.self) == answers)
        let pythonOnSwift = try Interop.python("""
            h = HyperLogLog(redis=redis, key='\(swiftKey)')
            print(json.dumps([len(h), list(h.contains_many(*\(BloomInteropTests.pythonProbes)))]))
            """, importing: "HyperLogLog")
        #expect(pythonOnSwift == answers)
        try read.clear()
        try hll.clear()
    }
}

import PotteryKit
import PotteryTestSupport
import Testing

/// Python pottery 3.0.1's BloomFilter and PotteryKit's on the same server:
/// the same elements set the same bits (`GET key` identical), and each
/// answers `contains` the same on the other's filter.
@Suite struct BloomInteropTests {
    var connection: RedisConnection { RedisServer.shared.connection() }

    static let elements: [JSONValue] = [
        "rajiv", "é", "e\u{301}", "emoji 😀 𝄞 astral", "中文", "quote \" and \\ and \n", 42, 1.5, 1.0, true, nil,
        [1, "a", nil], ["b": 1, "a": true], "",
    ]
    static let python = #"['rajiv', 'é', 'e\u0301', 'emoji 😀 𝄞 astral', '中文', 'quote " and \\ and \n', 42, 1.5, 1.0, True, None, [1, 'a', None], {'b': 1, 'a': True}, '']"#
    static let probes: [JSONValue] = ["raj", "dan", 43, "😀", [1, "a"], 2.5, false, "E"] + elements
    static let pythonProbes = #"['raj', 'dan', 43, '😀', [1, 'a'], 2.5, False, 'E'] + "# + python

    @Test func sameElementsSameBitsAndSameAnswersBothWays() throws {
        for (n, p) in [(100, 0.01), (1000, 0.001), (10, 0.5)] {
            let pythonKey = uniqueKey()
            let swiftKey = uniqueKey()
            let answers = try Interop.python("""
                bf = BloomFilter(\(Self.python), num_elements=\(n), false_positives=\(p), redis=redis, key='\(pythonKey)')
                mine = BloomFilter(num_elements=\(n), false_positives=\(p), redis=redis, key='\(swiftKey)')
                print(json.dumps([list(bf.contains_many(*\(Self.pythonProbes))), len(bf)]))
                """, importing: "BloomFilter")
            // Swift writes the same elements one call at a time and in one batch.
            let filter = try BloomFilter<JSONValue>(connection, key: swiftKey, numElements: n, falsePositives: p)
            try filter.update(Array(Self.elements.prefix(5)))
            for element in Self.elements.dropFirst(5) { try filter.add(element) }
            let get = { (key: RedisKey) in try connection.send(RedisCommand("GET", key: key)).bytes }
            #expect(try get(swiftKey) == get(pythonKey), "n=\(n) p=\(p)")
            // Swift reading Python's filter answers as Python did.
            let read = try BloomFilter<JSONValue>(connection, key: pythonKey, numElements: n, falsePositives: p, guardsSizing: true)
            let swiftAnswers: JSONValue = .array([.array(try read.containsMany(Self.probes).map(JSONValue.bool)), .int(try read.count())])
            #expect(String(decoding: PotteryJSON.encode(swiftAnswers), as: UTF8.self) == answers, "n=\(n) p=\(p)")
            // Python reading Swift's filter answers as Swift does.
            let pythonOnSwift = try Interop.python("""
                bf = BloomFilter(num_elements=\(n), false_positives=\(p), redis=redis, key='\(swiftKey)')
                print(json.dumps([list(bf.contains_many(*\(Self.pythonProbes))), len(bf)]))
                """, importing: "BloomFilter")
            #expect(pythonOnSwift == answers)
            try read.clear()
            try filter.clear()
        }
    }
}

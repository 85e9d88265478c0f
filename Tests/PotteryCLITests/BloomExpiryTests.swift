import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// Adding to a Bloom filter keeps the key's expiry, as pottery's `SETBIT`s do
/// (a filter kept for a day of deduplication must still expire).
@Suite struct BloomExpiryTests {
    static let sizing = ["--num-elements", "100", "--false-positives", "0.01"]

    func ttl(_ key: String) throws -> Int64 {
        try Raw.send("TTL", key).integer ?? -3
    }

    @Test func addKeepsTheFiltersExpiryAsPotteryDoes() throws {
        let (pythonKey, key) = (uniqueKey(), uniqueKey())
        let python = try Python.run("""
            from redis import Redis
            from pottery import BloomFilter
            r = Redis.from_url('\(RedisServer.shared.url)')
            bf = BloomFilter(['a'], num_elements=100, false_positives=0.01, redis=r, key='\(pythonKey)')
            r.expire('\(pythonKey)', 1000)
            bf.update(['b', 'c'])
            print(r.ttl('\(pythonKey)'))
            """)
        #expect(python.status == 0, "\(python.stderr)")
        #expect(Int(String(decoding: python.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 > 0)

        #expect(try CLI.run(["bloom", "add", key, "a"] + Self.sizing).status == 0)
        try Raw.send("EXPIRE", key, "1000")
        let add = try CLI.run(["bloom", "add", key, "b", "c"] + Self.sizing)
        #expect(add.status == 0, "\(add)")
        #expect(try (1...1000).contains(ttl(key)))
        // From stdin in several batches: staged, then ORed in at the end.
        let lines = (0..<45_000).map { "e\($0)\n" }.joined()
        let streamed = try CLI.run(["bloom", "add", key, "-"] + Self.sizing, stdin: Array(lines.utf8))
        #expect(streamed.status == 0, "\(streamed)")
        #expect(try (1...1000).contains(ttl(key)))
        #expect(try CLI.run(["bloom", "contains", key, "e44999"] + Self.sizing).status == 0)
        #expect(try CLI.run(["bloom", "clear", key]).status == 0)
        try Raw.send("DEL", pythonKey)
    }
}

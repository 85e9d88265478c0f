import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// The TTL policy of temporary keys (docs/ARCHITECTURE.md, "Temporary keys"):
/// a key internal to one operation expires on its own if the operation dies
/// half-way; a temporary container the program holds never expires under it.
@Suite struct TemporaryKeyTTLTests {
    /// The `pottery:*` keys of `server`'s database 0 with their `PTTL`s.
    private static func temporaries(on connection: RedisConnection) throws(PotteryError) -> [String: Int] {
        var keys = RedisCommand("KEYS")
        keys.append("pottery:*")
        var result: [String: Int] = [:]
        for reply in try connection.send(keys).array ?? [] {
            let key = RedisKey(bytes: reply.bytes ?? [])
            result[key.description] = Int(try connection.send(RedisCommand("PTTL", key: key)).integer ?? -3)
        }
        return result
    }

    @Test func theScratchSetOfAStreamedSetOperationExpiresOnItsOwnAndIsGoneAfterwards() throws {
        let server = try RedisServer()
        let connection = server.connection()
        let observer = server.connection()
        let left = try RedisSet<Int>(connection, key: "left", contents: Array(0..<3_000))
        let right = try RedisSet<Int>(connection, key: "right", contents: Array(1_000..<5_000))
        var seen: [[String: Int]] = []
        var total = 0
        try left.forEachBatch(of: .union, with: [right], count: 1_000) { batch throws(PotteryError) in
            seen.append(try Self.temporaries(on: observer))
            total += batch.count
        }
        #expect(total == 5_000)
        #expect(!seen.isEmpty)
        for during in seen {
            #expect(during.count == 1, "\(during)")
            #expect(during.values.allSatisfy { $0 > 0 && $0 <= 600_000 }, "the scratch set has no TTL: \(during)")
        }
        #expect(try Self.temporaries(on: observer).isEmpty)
    }

    @Test func theStagingKeyOfABatchedBloomUpdateExpiresOnItsOwnAndIsGoneAfterwards() throws {
        let server = try RedisServer()
        let connection = server.connection()
        let observer = server.connection()
        let bloom = BloomFilter<Int>(connection, key: "bloom", sizing: try BloomFilterSizing(numElements: 1_000, falsePositives: 0.01))
        var batches = [Array(0..<100), Array(100..<200), Array(200..<300)][...]
        var seen: [[String: Int]] = []
        try bloom.update(batches: { () throws(PotteryError) -> [Int]? in
            seen.append(try Self.temporaries(on: observer))
            return batches.popFirst()
        })
        // Asked before each batch: once the first staged batch is written, a TTL is there.
        let staged = seen.filter { !$0.isEmpty }
        #expect(!staged.isEmpty)
        for during in staged {
            #expect(during.values.allSatisfy { $0 > 0 }, "the staging key has no TTL: \(during)")
        }
        #expect(try Self.temporaries(on: observer).isEmpty)
        #expect(try bloom.contains(250))
    }

    @Test func hyperLogLogTemporariesNeverOutliveTheirCommand() throws {
        let server = try RedisServer()
        let connection = server.connection()
        let hll = HyperLogLog<Int>(connection, key: "hll")
        try hll.update(Array(0..<2_000))  // merged through a temporary dense HLL
        _ = try hll.containsMany([1, 5_000])  // copy-add-compare on a temporary key
        #expect(try Self.temporaries(on: connection).isEmpty)
    }

    /// A temporary container is alive as long as its handle: no TTL, whatever
    /// was done to it, so a long-running program never loses it to an expiry.
    @Test func liveTemporaryContainersHaveNoTTLAndKeepTheirData() throws {
        let server = try RedisServer()
        let connection = server.connection()
        let dict = try RedisDict<String, Int>(temporaryOn: connection)
        try dict.update(["a": 1])
        _ = try dict.removeValue(forKey: "a")
        try dict.update(["b": 2])
        let set = try RedisSet<Int>(temporaryOn: connection)
        _ = try set.add([1, 2, 3])
        let list = try RedisList<Int>(temporaryOn: connection)
        try list.extend([3, 1, 2])
        try list.sort()
        let counter = try RedisCounter<String>(temporaryOn: connection)
        try counter.update(["x", "x", "y"])
        let queue = try RedisSimpleQueue<Int>(temporaryOn: connection)
        try queue.put(1)
        let hll = try HyperLogLog<Int>(temporaryOn: connection)
        try hll.update(Array(0..<1_000))
        let union = try hll.union([])
        let bloom = try BloomFilter<Int>(temporaryOn: connection, sizing: try BloomFilterSizing(numElements: 100, falsePositives: 0.01))
        try bloom.update([1, 2])
        let cache = try RedisCache(temporaryOn: connection, timeout: nil)
        try cache.store(.int(1), forField: .string("f"))

        let keys = [dict.key, set.key, list.key, counter.key, queue.key, hll.key, union.key, bloom.key, cache.key]
        for key in keys {
            #expect(try connection.send(RedisCommand("PTTL", key: key)) == .integer(-1), "\(key)")
        }
        #expect(try dict.get("b") == 2)
        #expect(try set.count() == 3)
        #expect(try list.toArray() == [1, 2, 3])
        #expect(try counter.count(of: "x") == 2)
        #expect(try queue.qsize() == 1)
        #expect(try union.count() > 900)
        #expect(try bloom.contains(2))
        #expect(try cache.count() == 1)
        withExtendedLifetime((dict, set, list, counter, queue, hll, union, bloom, cache)) {}
    }
}

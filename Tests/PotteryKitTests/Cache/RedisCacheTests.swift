import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// RedisCache and CachedFunction on a real server: hits, misses, fields,
/// expiry, bypass, clear, and every error path.
@Suite struct RedisCacheTests {
    let redis = RedisServer.shared.connection()

    func freshKey(_ label: String = #function) -> RedisKey {
        RedisKey("cache-test:\(label.prefix(20).filter { $0.isLetter }):\(UUID().uuidString.prefix(8))")
    }

    func pttl(_ key: RedisKey) throws -> Int64 { try redis.send(RedisCommand("PTTL", key: key)).integer ?? -3 }

    struct Query: Codable, Hashable {
        let city: String
        let days: Int
    }

    @Test func aSecondCallIsAHitAndTheFunctionRunsOnce() throws {
        let cache = RedisCache(redis, key: freshKey())
        let calls = CallCount()
        let forecast = cache.memoize { (query: Query) -> [String: Double] in
            calls.add()
            return ["zürich": Double(query.days) * 1.5, "bern": 2]
        }
        let first = try forecast(Query(city: "Zürich", days: 3))
        let second = try forecast(Query(city: "Zürich", days: 3))
        #expect(first == second && first["zürich"] == 4.5)
        #expect(calls.value == 1)
        _ = try forecast(Query(city: "Bern", days: 3))
        #expect(calls.value == 2)
        #expect(try forecast.cacheInfo() == CacheInfo(hits: 1, misses: 2, currsize: 2))
        // Fields are the arguments' pottery JSON (sorted keys), readable by an operator.
        let fields = Set(try Interop.rawHash(cache.key).keys.map { String(decoding: $0, as: UTF8.self) })
        #expect(fields == [#"{"city": "Z\u00fcrich", "days": 3}"#, #"{"city": "Bern", "days": 3}"#])
        #expect(try Interop.rawHash(cache.key)[Array(#"{"city": "Bern", "days": 3}"#.utf8)]
            == Array(#"{"bern": 2.0, "z\u00fcrich": 4.5}"#.utf8))
    }

    @Test func anotherHandleOnTheKeySharesTheEntries() throws {
        let key = freshKey()
        _ = try RedisCache(redis, key: key).memoize { (n: Int) in n * n }(12)
        let calls = CallCount()
        let other = RedisCache(RedisServer.shared.connection(), key: key).memoize { (n: Int) -> Int in calls.add(); return -1 }
        #expect(try other(12) == 144)
        #expect(calls.value == 0)
    }

    @Test func everyUseResetsTheWholeCachesExpiryAndNilKeepsItForEver() throws {
        let cache = RedisCache(redis, key: freshKey(), timeout: .seconds(30))
        let square = cache.memoize { (n: Int) in n * n }
        _ = try square(3)
        let afterStore = try pttl(cache.key)
        #expect(afterStore > 29_000 && afterStore <= 30_000)
        try redis.send(RedisCommand("PEXPIRE", key: cache.key).with("5000"))
        _ = try square(3)  // a hit
        #expect(try pttl(cache.key) > 29_000)
        let forever = RedisCache(redis, key: freshKey(), timeout: nil)
        _ = try forever.memoize { (n: Int) in n }(1)
        #expect(try pttl(forever.key) == -1)
    }

    @Test func nilLeavesAnExpiryAsItIsAndZeroRemovesIt() throws {
        let key = freshKey()
        _ = try RedisCache(redis, key: key, timeout: .seconds(30)).memoize { (n: Int) in n }(1)
        let untouched = RedisCache(redis, key: key, timeout: nil).memoize { (n: Int) in n }
        _ = try untouched(1)  // a hit
        _ = try untouched(2)  // a store
        #expect(try pttl(key) > 0)  // pottery's timeout=None: the expiry stays
        let forever = RedisCache(redis, key: key, timeout: .zero).memoize { (n: Int) in n }
        _ = try forever(1)  // a hit removes it
        #expect(try pttl(key) == -1)
        try redis.send(RedisCommand("PEXPIRE", key: key).with("30000"))
        _ = try forever(3)  // and so does a store
        #expect(try pttl(key) == -1)
        #expect(try forever.cacheInfo().currsize == 3)
    }

    @Test func bypassRecomputesAndStoresWithoutCounting() throws {
        let cache = RedisCache(redis, key: freshKey())
        let counter = CallCount()
        let next = cache.memoize { (_: String) -> Int in counter.add(); return counter.value }
        #expect(try next("a") == 1)
        #expect(try next.bypass("a") == 2)
        #expect(try next("a") == 2)
        #expect(try next.cacheInfo() == CacheInfo(hits: 1, misses: 1, currsize: 1))
        try next.cacheClear()
        #expect(try next.cacheInfo() == CacheInfo(hits: 0, misses: 0, currsize: 0))
        #expect(try redis.send(RedisCommand("EXISTS", key: cache.key)) == .integer(0))
    }

    @Test func optionalResultsAreStoredAsNullAndAreHits() throws {
        let cache = RedisCache(redis, key: freshKey())
        let calls = CallCount()
        let find = cache.memoize { (_: Int) -> String? in calls.add(); return nil }
        #expect(try find(1) == nil)
        #expect(try find(1) == nil)
        #expect(calls.value == 1)
        #expect(try cache.value(forField: .array([.int(1)])) == nil)  // a different field: [1] is not 1
        #expect(try cache.value(forField: .int(1)) == .null)
    }

    @Test func aThrowingFunctionStoresNothing() throws {
        struct Failure: Error {}
        let cache = RedisCache(redis, key: freshKey())
        let failing = cache.memoize { (_: Int) throws -> Int in throw Failure() }
        #expect(throws: Failure.self) { try failing(1) }
        #expect(try cache.count() == 0)
        #expect(try failing.cacheInfo() == CacheInfo(hits: 0, misses: 0, currsize: 0))
    }

    struct Unencodable: Codable {
        func encode(to encoder: any Encoder) throws {
            throw EncodingError.invalidValue(0, .init(codingPath: [], debugDescription: "no"))
        }
        init() {}
        init(from decoder: any Decoder) throws {}
    }

    @Test func argumentsOrResultsThatCannotBeEncodedAreTypeErrorsAndStoreNothing() throws {
        let cache = RedisCache(redis, key: freshKey())
        let byArgument = cache.memoize { (_: Unencodable) in 1 }
        do { _ = try byArgument(Unencodable()); Issue.record("accepted") } catch let error as PotteryError {
            #expect(error.code == .typeError)
        }
        let byResult = cache.memoize { (_: Int) in Unencodable() }
        do { _ = try byResult(1); Issue.record("accepted") } catch let error as PotteryError {
            #expect(error.code == .typeError)
        }
        #expect(try cache.count() == 0)
        #expect(try byResult.cacheInfo().misses == 0)
    }

    @Test func aKeyOfAnotherTypeIsAnErrorAndKeepsItsExpiry() throws {
        let key = freshKey()
        try redis.send(RedisCommand("LPUSH", key: key).with("x"))
        let square = RedisCache(redis, key: key).memoize { (n: Int) in n * n }
        do { _ = try square(2); Issue.record("accepted") } catch let error as PotteryError {
            #expect(error.code == .wrongType)
            #expect(error.key == key.description)
        }
        #expect(try pttl(key) == -1, "the list's expiry was touched")
        do { try RedisCache(redis, key: key).clear(); Issue.record("cleared") } catch { #expect(error.code == .wrongType) }
        #expect(try redis.send(RedisCommand("LLEN", key: key)) == .integer(1))
    }

    @Test func storedBytesThatAreNotJSONAreADataError() throws {
        let key = freshKey()
        try redis.send(RedisCommand("HSET", key: key).with("5").with("{not json"))
        let cached = RedisCache(redis, key: key).memoize { (n: Int) in n }
        do { _ = try cached(5); Issue.record("accepted") } catch let error as PotteryError {
            #expect(error.code == .decodeError)
        }
        #expect(try redis.send(RedisCommand("HGET", key: key).with("5")) == .bulk(Array("{not json".utf8)))
    }
}

/// A thread-safe call counter.
final class CallCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

extension RedisCommand {
    /// The command with one more argument (for terse test set-up).
    func with(_ argument: String) -> RedisCommand {
        var copy = self
        copy.append(argument)
        return copy
    }
}

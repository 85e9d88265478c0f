import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// Every Lua-backed operation still works after the server forgot its
/// scripts (`SCRIPT FLUSH`, as after a restart): the `NOSCRIPT` fallback
/// sends the source, and the operation has its full effect.
@Suite(.serialized) struct ScriptFlushTests {
    let server: RedisServer
    let redis: RedisConnection
    init() throws {
        server = try RedisServer()
        redis = server.connection()
    }

    func flushed<R>(_ what: String, _ body: () throws -> R) throws -> R {
        var flush = RedisCommand("SCRIPT")
        flush.append("FLUSH")
        try redis.send(flush)
        return try body()
    }

    @Test func listDequeCounterQueueCacheAndContainerScripts() throws {
        let list = RedisList<Int>(redis, key: "flush:list")
        try list.extend([1, 2, 3])
        try flushed("insert") { try list.insert(9, at: 1) }
        #expect(try list.toArray() == [1, 9, 2, 3])
        try flushed("slice") { try list.replace(ListSlice(start: 0, stop: 2), with: [7]) }
        #expect(try list.toArray() == [7, 2, 3])
        try flushed("reverse") { try list.reverse() }
        #expect(try list.toArray() == [3, 2, 7])
        #expect(try flushed("pop at") { try list.pop(at: 1) } == 2)

        let deque = try RedisDeque<String>(redis, key: "flush:deque", maxlen: 2)
        try flushed("bounded push") { try deque.extend(["a", "b", "c"]) }
        #expect(try deque.toArray() == ["b", "c"])
        try flushed("rotate") { try deque.rotate(1) }
        #expect(try deque.toArray() == ["c", "b"])

        let counter = RedisCounter<String>(redis, key: "flush:counter")
        try flushed("counter batch") { try counter.update(["x", "y", "x"]) }
        #expect(try counter.count(of: "x") == 2)

        let queue = RedisSimpleQueue<Int>(redis, key: "flush:queue")
        try flushed("queue batch") { try queue.put(contentsOf: [1, 2, 3]) }
        #expect(try queue.qsize() == 3)

        let cache = RedisCache(redis, key: "flush:cache")
        let square = cache.memoize { (n: Int) in n * n }
        #expect(try flushed("cache store") { try square(4) } == 16)
        #expect(try flushed("cache lookup") { try square(4) } == 16)
        #expect(try square.cacheInfo().hits == 1)

        let dict = RedisDict<String, Int>(redis, key: "flush:dict")
        try dict.set(1, for: "a")
        try flushed("type-checked clear") { try dict.clear() }
        #expect(try dict.count() == 0)
    }

    @Test func lockSemaphoreAndIDScripts() throws {
        let lock = Redlock(key: "flush:lock", masters: [redis])
        #expect(try flushed("acquire") { try lock.acquire(blocking: false) })
        try flushed("extend") { try lock.extend() }
        #expect(try flushed("locked") { try lock.locked() } > .zero)
        try flushed("release") { try lock.release() }
        #expect(try redis.send(RedisCommand("EXISTS", key: lock.key)) == .integer(0))

        let semaphore = RedisSemaphore(key: "flush:semaphore", limit: 1, connection: redis)
        let permit = try #require(try flushed("semaphore acquire") { try semaphore.acquire(blocking: false) })
        try flushed("semaphore extend") { try semaphore.extend(permit) }
        #expect(try flushed("semaphore status") { try semaphore.status() }.holders == 1)
        try flushed("semaphore release") { try semaphore.release(permit) }
        #expect(try semaphore.holders() == 0)

        let ids = NextID(key: "flush:ids", masters: [redis])
        let first = try flushed("next") { try ids.next() }
        #expect(try flushed("next again") { try ids.next() } == first + 1)
        #expect(try flushed("block") { try ids.next(count: 3) } == (first + 2)...(first + 4))
    }

    @Test func bloomAndHyperLogLogScripts() throws {
        let bloom = BloomFilter<String>(redis, key: "flush:bloom",
                                        sizing: try BloomFilterSizing(numElements: 100, falsePositives: 0.01))
        try flushed("bloom update") { try bloom.update(["a", "b"]) }
        #expect(try flushed("bloom contains") { try bloom.containsMany(["a", "b"]) } == [true, true])
        let hll = HyperLogLog<String>(redis, key: "flush:hll")
        try hll.update(["a", "b"])
        #expect(try flushed("hll contains") { try hll.contains("a") })
        #expect(try hll.count() == 2)
    }
}

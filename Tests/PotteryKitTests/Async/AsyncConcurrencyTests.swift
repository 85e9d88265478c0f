import PotteryKit
import PotteryTestSupport
import Testing

/// Many tasks sharing one connection through every container's async view
/// each get their own replies (the calls meet in one pipelined exchange).
@Suite struct AsyncConcurrencyTests {
    @Test func aHundredTasksOnOneConnectionUseEveryContainerAndGetTheirOwnReplies() async throws {
        let connection = RedisServer.shared.connection()
        let set = RedisSet<Int>(connection, key: uniqueKey("c-set"))
        let list = RedisList<Int>(connection, key: uniqueKey("c-list"))
        let deque = try RedisDeque<Int>(connection, key: uniqueKey("c-deque"))
        let counter = RedisCounter<String>(connection, key: uniqueKey("c-counter"))
        let queue = RedisSimpleQueue<Int>(connection, key: uniqueKey("c-queue"))
        let cache = RedisCache(connection, key: uniqueKey("c-cache"), timeout: .seconds(3600))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<100 {
                group.addTask {
                    for round in 0..<5 {
                        let value = task * 100 + round
                        #expect(try await set.async.add(value))
                        #expect(try await set.async.contains(value))
                        try await list.async.append(value)
                        try await deque.async.appendLeft(value)
                        try await counter.async.update(counts: [(element: "t\(task)", count: round + 1)])
                        #expect(try await counter.async.count(of: "t\(task)") == (round + 1) * (round + 2) / 2)
                        try await queue.async.put(value)
                        try await cache.async.store(.int(value), forField: .int(task))
                        #expect(try await cache.async.value(forField: .int(task)) == .int(value))
                    }
                }
            }
            try await group.waitForAll()
        }
        let expected = (0..<100).flatMap { task in (0..<5).map { task * 100 + $0 } }
        #expect(try await set.async.count() == 500)
        #expect(Set(try await list.async.toArray()) == Set(expected))
        #expect(try await deque.async.count() == 500)
        #expect(try await counter.async.total() == 100 * 15)
        #expect(try await queue.async.qsize() == 500)
        // 500 concurrent takers share the queue's elements: each exactly once.
        let taken = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<500 { group.addTask { try await queue.async.getNoWait() } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(taken.sorted() == expected.sorted())
        for clear in [set.clear, list.clear, deque.clear, counter.clear, queue.clear, cache.clear] { try clear() }
    }
}

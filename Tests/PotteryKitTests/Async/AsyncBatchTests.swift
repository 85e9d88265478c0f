import PotteryKit
import PotteryTestSupport
import Testing

/// The async batch walks deliver what the sync walks deliver, stop when the
/// body throws or the task is cancelled, and pass on the walk's errors.
@Suite struct AsyncBatchTests {
    let connection = RedisServer.shared.connection()

    struct Stop: Error {}

    @Test func everyContainersAsyncBatchesAreTheSyncBatches() async throws {
        let numbers = Array(0..<2500)
        let set = try RedisSet<Int>(connection, key: uniqueKey("b-set"), contents: numbers)
        let other = try RedisSet<Int>(connection, key: uniqueKey("b-other"), contents: Array(0..<10))
        let list = try RedisList<Int>(connection, key: uniqueKey("b-list"), contents: numbers)
        let counter = try RedisCounter<Int>(connection, key: uniqueKey("b-counter"), counting: numbers)
        let queue = RedisSimpleQueue<Int>(connection, key: uniqueKey("b-queue"))
        try queue.put(contentsOf: numbers)
        let dict = try RedisDict<Int, Int>(connection, key: uniqueKey("b-dict"), contents: numbers.map { ($0, -$0) })

        func sync<T>(_ walk: (([T]) throws(PotteryError) -> Void) throws(PotteryError) -> Void) throws -> [[T]] {
            var batches: [[T]] = []
            try walk { batches.append($0) }
            return batches
        }
        func async<T>(_ walk: (([T]) async throws -> Void) async throws -> Void) async throws -> [[T]] {
            var batches: [[T]] = []
            try await walk { batches.append($0) }
            return batches
        }
        // SSCAN and HSCAN may cut batches differently between two walks, so compare the sequences.
        let setItems = try await async { try await set.async.forEachBatch(count: 300, $0) }
        #expect(setItems.joined().sorted() == numbers)
        #expect(setItems.count > 1)
        let difference = try await async { try await set.async.forEachBatch(of: .difference, with: [other], count: 300, $0) }
        #expect(difference.joined().sorted() == Array(10..<2500))
        let listItems = try await async { try await list.async.forEachBatch(count: 300, $0) }
        #expect(try listItems == sync { (body) throws(PotteryError) in try list.forEachBatch(count: 300, body) })
        #expect(listItems.count == 9)
        let counts = try await async { try await counter.async.forEachBatch(count: 300, $0) }
        #expect(counts.joined().map(\.element).sorted() == numbers && counts.joined().allSatisfy { $0.count == 1 })
        let queued = try await async { try await queue.async.forEachBatch(count: 300, $0) }
        #expect(try queued == sync { (body) throws(PotteryError) in try queue.forEachBatch(count: 300, body) })
        let entries = try await async { try await dict.async.forEachBatch(count: 300, $0) }
        #expect(entries.joined().map { $0.key + $0.value }.allSatisfy { $0 == 0 } && entries.joined().count == 2500)
        let keys = try await async { try await dict.async.forEachKeyBatch(count: 300, $0) }
        #expect(keys.joined().sorted() == numbers)
        #expect(try await dict.async.isEqual(to: Dictionary(uniqueKeysWithValues: numbers.map { ($0, -$0) })))
        #expect(try await dict.async.isEqual(to: dict))
        for clear in [set.clear, other.clear, list.clear, counter.clear, queue.clear, dict.clear] { try clear() }
    }

    @Test func aThrowingBodyStopsTheWalkAndItsErrorComesBack() async throws {
        let list = try RedisList<Int>(connection, key: uniqueKey(), contents: Array(0..<1000))
        var seen = 0
        await #expect(throws: Stop.self) {
            try await list.async.forEachBatch(count: 100) { _ in
                seen += 1
                if seen == 2 { throw Stop() }
            }
        }
        #expect(seen == 2)
        try list.clear()
    }

    @Test func aCancelledTaskStopsTheWalk() async throws {
        let list = try RedisList<Int>(connection, key: uniqueKey(), contents: Array(0..<1000))
        let walk = Task {
            var seen = 0
            let outcome = await Outcome { () async throws -> Int in
                try await list.async.forEachBatch(count: 100) { _ in
                    seen += 1
                    if seen == 3 { withUnsafeCurrentTask { $0?.cancel() } }
                }
                return seen
            }
            return (outcome, seen)
        }
        let (outcome, seen) = await walk.value
        #expect(outcome == .other("CancellationError"))
        #expect(seen == 3)
        try list.clear()
    }

    @Test func aWalksDataErrorComesAfterTheItemsBeforeIt() async throws {
        let key = uniqueKey()
        let list = try RedisList<Int>(connection, key: key, contents: [1, 2, 3])
        try connection.send(RedisCommand("RPUSH", key: key).appending(["not json", "4"]))
        var items: [Int] = []
        let error = await #expect(throws: PotteryError.self) {
            try await list.async.forEachBatch(count: 10) { items += $0 }
        }
        #expect(error?.code == .decodeError)
        #expect(items == [1, 2, 3])
        try list.clear()
    }
}

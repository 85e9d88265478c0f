import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// Multi-step list mutations from several clients at once (each its own
/// connection): nothing is lost, duplicated or half-done, as it would be
/// with a client-side read-modify-write.
@Suite struct ListConcurrencyTests {
    let server = RedisServer.shared

    /// Lua-scripted mutations (insert in the middle and near the end, pop at
    /// an index, slice deletion, rotate) from four clients: every step adds
    /// one item and removes one, so the length holds and no item is doubled.
    @Test func scriptedMutationsRaceWithoutLoss() throws {
        let key = uniqueKey()
        let setup = try RedisDeque<Int>(server.connection(), key: key)
        try setup.extend(Array(0..<100))
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 4) { client in
            do {
                let deque = try RedisDeque<Int>(server.connection(), key: key)
                for step in 0..<60 {
                    let value = 1000 * (client + 1) + step
                    try deque.insert(value, at: step.isMultiple(of: 2) ? 50 : -3)
                    try deque.rotate(step - 30)
                    if step.isMultiple(of: 3) { try deque.pop(at: 40) } else { try deque.removeElements(in: ListSlice(start: 20, stop: 21)) }
                }
            } catch {
                failures.add("\(error)")
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all)")
        let items = try setup.toArray()
        #expect(items.count == 100)
        #expect(Set(items).count == items.count, "an item was doubled: \(items)")
        try setup.clear()
    }

    /// `remove` (a WATCH transaction) from four clients, each removing values
    /// others insert and remove at the same time: each call removes exactly
    /// the first equal item or, after too many conflicts, nothing (WatchError).
    @Test func concurrentRemovesTakeExactlyOneItemEach() throws {
        let key = uniqueKey()
        let setup = RedisList<Int>(server.connection(), key: key)
        try setup.extend(Array(repeating: 7, count: 200))
        let removed = Failures()
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            let list = RedisList<Int>(server.connection(), key: key)
            for _ in 0..<25 {
                do {
                    try list.remove(7)
                    removed.add("7")
                } catch {
                    if (error as? PotteryError)?.code != .watchError { failures.add("\(error)") }
                }
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all)")
        #expect(try setup.count() == 200 - removed.all.count)
        try setup.clear()
    }

    @Test func concurrentBoundedAppendsNeverExceedMaxlen() throws {
        let key = uniqueKey()
        let clients = 4
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: clients) { client in
            do {
                let deque = try RedisDeque<Int>(server.connection(), key: key, maxlen: 10)
                for step in 0..<50 {
                    if step.isMultiple(of: 2) { try deque.append(client * 100 + step) } else { try deque.appendLeft(client * 100 + step) }
                    let length = try deque.count()
                    if length > 10 { failures.add("length \(length)") }
                }
            } catch {
                failures.add("\(error)")
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all)")
        #expect(try RedisList<Int>(server.connection(), key: key).count() == 10)
        try RedisList<Int>(server.connection(), key: key).clear()
    }
}

/// Failures collected from several threads.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []

    func add(_ text: String) { lock.withLock { items.append(text) } }
    var all: [String] { lock.withLock { items } }
}

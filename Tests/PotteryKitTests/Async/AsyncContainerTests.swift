import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// The async container API: correct replies for many tasks on one
/// connection, a cooperative pool that stays free against a frozen server,
/// and cancellation that sends nothing.
@Suite struct AsyncContainerTests {
    func freshKey(_ label: String = #function) -> RedisKey {
        RedisKey("async-test:\(label.prefix(20).filter { $0.isLetter }):\(UUID().uuidString.prefix(8))")
    }

    @Test func aHundredTasksOnOneConnectionEachGetTheirOwnReplies() async throws {
        let dict = RedisDict<String, Int>(RedisServer.shared.connection(), key: freshKey())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<100 {
                group.addTask {
                    for round in 0..<20 {
                        try await dict.async.set(task * 1000 + round, for: "f\(task)")
                        let value = try await dict.async.get("f\(task)")
                        #expect(value == task * 1000 + round)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await dict.async.count() == 100)
        let all = try await dict.async.toDictionary()
        #expect(all["f42"] == 42_019)
    }

    @Test func threadsSharingAConnectionNeverGetAnotherCallersReply() throws {
        let connection = RedisServer.shared.connection()
        let base = freshKey().description
        let failures = OrderLog()
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            let incr = RedisCommand("INCR", key: RedisKey("\(base):\(thread)"))
            for expected in 1...200 {
                guard (try? connection.send(incr))?.integer == Int64(expected) else { return failures.append(thread) }
            }
        }
        #expect(failures.values.isEmpty)
    }

    @Test func theCooperativePoolStaysFreeWhileCallsWaitOnAFrozenServer() async throws {
        let server = try RedisServer()
        var configuration = try RedisConfiguration(url: server.url)
        // The frozen calls would only give up after 20 s: an unrelated task that ran well before that
        // was not waiting for them (other suites' synchronous tests may hold the pool for a few seconds).
        configuration.ioTimeout = .seconds(20)
        let dict = RedisDict<String, Int>(RedisConnection(configuration), key: freshKey())
        try await dict.async.set(1, for: "warm")  // connected before the freeze
        server.freeze()
        defer { server.thaw() }
        let calls = Task {
            try await withThrowingTaskGroup(of: Int?.self) { group in
                for index in 0..<40 { group.addTask { try? await dict.async.get("f\(index)") } }
                return try await group.reduce(into: 0) { count, _ in count += 1 }
            }
        }
        try await Task.sleep(for: .milliseconds(200))  // every I/O thread is now blocked on the frozen server
        let clock = ContinuousClock()
        let start = clock.now
        let unrelated = await Task.detached { (0..<1000).reduce(0, +) }.value
        #expect(unrelated == 499_500)
        #expect(clock.now - start < .seconds(10), "an unrelated task waited \(clock.now - start)")
        server.thaw()
        #expect(try await calls.value == 40)
    }

    @Test func aTaskCancelledBeforeItsCommandIsSentSendsNothing() async throws {
        let server = try RedisServer()
        var configuration = try RedisConfiguration(url: server.url)
        configuration.ioTimeout = .seconds(10)
        let connection = RedisConnection(configuration)
        let dict = RedisDict<String, Int>(connection, key: freshKey())
        try await dict.async.set(0, for: "warm")
        server.freeze()
        // Fill every I/O thread with calls that wait on the frozen server.
        let blockers = (0..<16).map { index in Task { try? await dict.async.get("b\(index)") } }
        try await Task.sleep(for: .milliseconds(300))
        let cancelled = Task { try await dict.async.set(7, for: "never") }
        try await Task.sleep(for: .milliseconds(100))
        cancelled.cancel()
        server.thaw()
        let outcome = await cancelled.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        for blocker in blockers { _ = await blocker.value }
        #expect(try await dict.async.contains("never") == false)
    }
}

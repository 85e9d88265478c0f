import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// Replies cut, stalled and reset at a chosen byte by a ``FaultProxy`` between
/// the connection and a real server: the caller gets a connection error or a
/// timeout, the next call gets its own reply, and no container is half-written.
@Suite struct NetworkFaultTests {
    /// A connection through `proxy` with the given I/O timeout.
    private static func connection(through proxy: FaultProxy, ioTimeout: Duration = .seconds(5)) -> RedisConnection {
        var configuration = try! RedisConfiguration(url: proxy.url)
        configuration.ioTimeout = ioTimeout
        return RedisConnection(configuration)
    }

    @Test(arguments: [FaultProxy.Fault.truncateReplies(afterBytes: 50_000), .resetReplies(afterBytes: 50_000)])
    func aReplyCutHalfWayIsAConnectionErrorAndTheNextCallGetsItsOwnReply(fault: FaultProxy.Fault) throws {
        let server = try RedisServer()
        let proxy = try FaultProxy(to: server)
        defer { proxy.stop() }
        let connection = Self.connection(through: proxy)
        let key = uniqueKey()
        let big = String(repeating: "x", count: 100_000)
        try connection.send(command("SET", key.description, big))

        proxy.set(fault)
        let (outcome, _) = try #require(Engine.bounded(.seconds(20)) { () throws(PotteryError) in
            try connection.send(RedisCommand("GET", key: key))
        })
        let error = try #require(Engine.failure(outcome))
        #expect(error.code == .connectionError, "\(error)")

        proxy.set(.none)
        #expect(try connection.send(Engine.echo("next")) == Engine.bulk("next"))
        #expect(try connection.send(RedisCommand("GET", key: key)) == Engine.bulk(big))
        #expect(proxy.connectionsAccepted == 2)
    }

    @Test(arguments: [FaultProxy.Fault.stall, .stallReplies(afterBytes: 7)])
    func aStallLongerThanTheIOTimeoutIsAnUnknownOutcomeAndTheLateReplyIsNeverSeen(fault: FaultProxy.Fault) throws {
        let server = try RedisServer()
        let proxy = try FaultProxy(to: server)
        defer { proxy.stop() }
        let connection = Self.connection(through: proxy, ioTimeout: .milliseconds(300))
        // Calls meant to succeed get a generous deadline (a loaded machine); only the stalled one relies on the I/O timeout.
        #expect(try connection.send(Engine.echo("warm"), deadline: .now + .seconds(30)) == Engine.bulk("warm"))

        proxy.set(fault)
        let (outcome, _) = try #require(Engine.bounded(.seconds(20)) { () throws(PotteryError) in
            try connection.send(Engine.echo("first reply, held by the proxy"))
        })
        let error = try #require(Engine.failure(outcome))
        #expect(error.code == .timeout, "\(error)")
        #expect(error.message.contains("outcome is unknown"), "\(error)")

        // The held reply now flows to the old socket; the connection must not read it.
        proxy.set(.none)
        for round in 0..<3 {
            #expect(try connection.send(Engine.echo("second \(round)"), deadline: .now + .seconds(30)) == Engine.bulk("second \(round)"))
        }
        #expect(proxy.connectionsAccepted == 2)
    }

    @Test func aSlowButNotSilentServerIsNoTimeout() throws {
        let server = try RedisServer()
        let proxy = try FaultProxy(to: server)
        defer { proxy.stop() }
        let connection = Self.connection(through: proxy, ioTimeout: .seconds(5))
        proxy.set(.delayReplies(.milliseconds(50)))
        let replies = try connection.pipeline((0..<20).map { Engine.echo("r\($0)") })
        #expect(replies == (0..<20).map { Engine.bulk("r\($0)") })
    }

    @Test func aResetMidPipelineIsAConnectionErrorAndTheNextCallWorks() throws {
        let server = try RedisServer()
        let proxy = try FaultProxy(to: server)
        defer { proxy.stop() }
        let connection = Self.connection(through: proxy)
        #expect(try connection.send(RedisCommand("PING")) == .status("PONG"))
        let batch = (0..<20_000).map { command("SET", "pipelined:\($0)", String(repeating: "v", count: 40)) }

        proxy.set(.resetRequests(afterBytes: 300_000))
        let (outcome, _) = try #require(Engine.bounded(.seconds(20)) { () throws(PotteryError) in
            try connection.pipeline(batch)
        })
        let error = try #require(Engine.failure(outcome))
        #expect(error.code == .connectionError, "\(error)")

        proxy.set(.none)
        #expect(try connection.send(Engine.echo("after")) == Engine.bulk("after"))
        // The server saw only the commands before the cut: some, never all.
        let stored = try connection.send(RedisCommand("DBSIZE")).integer ?? -1
        #expect(stored > 0 && stored < 20_000, "\(stored)")
    }

    @Test func aResetBeforeExecCommitsNothingAndTheNextTransactionCommits() throws {
        let server = try RedisServer()
        let proxy = try FaultProxy(to: server)
        defer { proxy.stop() }
        let connection = Self.connection(through: proxy)
        let direct = server.connection()
        let key = uniqueKey()
        try direct.send(command("RPUSH", key.description, "a", "b"))

        proxy.set(.resetBeforeRequest(containing: Array("EXEC".utf8)))
        let (outcome, _) = try #require(Engine.bounded(.seconds(20)) { () throws(PotteryError) in
            try connection.transaction(watching: [key]) { transaction throws(PotteryError) in
                _ = try transaction.send(RedisCommand("LLEN", key: key))
                transaction.enqueue(command("RPUSH", key.description, "c"))
                transaction.enqueue(command("LPOP", key.description))
            }
        })
        let error = try #require(Engine.failure(outcome))
        #expect(error.code == .connectionError, "\(error)")
        #expect(try direct.send(command("LRANGE", key.description, "0", "-1")) == .array([Engine.bulk("a"), Engine.bulk("b")]))

        proxy.set(.none)
        try connection.transaction(watching: [key]) { transaction throws(PotteryError) in
            transaction.enqueue(command("RPUSH", key.description, "c"))
        }
        #expect(try direct.send(command("LRANGE", key.description, "0", "-1")).array?.count == 3)
    }

    /// Container writes that are several commands (transactions) or one large
    /// command (scripts, variadic commands), cut by a reset: all or nothing.
    @Test func containerWritesCutByAResetLeaveTheContainerAsItWas() throws {
        let server = try RedisServer()
        let proxy = try FaultProxy(to: server)
        defer { proxy.stop() }
        let connection = Self.connection(through: proxy)
        let direct = server.connection()
        let elements = (0..<3_000).map { "element-\($0)" }

        let dict = RedisDict<String, String>(connection, key: uniqueKey("dict"))
        try dict.update(["kept": "1", "also": "2"])
        let list = try RedisList<String>(connection, key: uniqueKey("list"), contents: ["z", "y", "x"])
        let counter = try RedisCounter<String>(connection, key: uniqueKey("counter"), counting: ["kept"])
        let snapshot = { () throws -> [RedisReply] in
            [try direct.send(RedisCommand("HGETALL", key: dict.key)),
             try direct.send(command("LRANGE", list.key.description, "0", "-1")),
             try direct.send(RedisCommand("HGETALL", key: counter.key))]
        }
        let before = try snapshot()

        let cuts: [(String, FaultProxy.Fault, @Sendable () throws(PotteryError) -> Void)] = [
            ("dict update (one HSET)", .resetRequests(afterBytes: 20_000), { () throws(PotteryError) in
                try dict.update(elements.map { (key: $0, value: $0) }) }),
            ("dict removeValues (MULTI...EXEC)", .resetBeforeRequest(containing: Array("EXEC".utf8)), { () throws(PotteryError) in
                _ = try dict.removeValues(forKeys: ["kept", "also"]) }),
            ("list extend (one RPUSH)", .resetRequests(afterBytes: 20_000), { () throws(PotteryError) in
                try list.extend(elements) }),
            ("list sort (WATCH...EXEC)", .resetBeforeRequest(containing: Array("EXEC".utf8)), { () throws(PotteryError) in
                try list.sort() }),
            ("counter update (one script)", .resetRequests(afterBytes: 20_000), { () throws(PotteryError) in
                try counter.update(elements) }),
        ]
        for (name, fault, write) in cuts {
            proxy.set(fault)
            let (outcome, _) = try #require(Engine.bounded(.seconds(20), write), "\(name)")
            let error = Engine.failure(outcome)
            #expect(error?.code == .connectionError, "\(name): \(String(describing: error))")
            proxy.set(.none)
            #expect(try snapshot() == before, "\(name) left a half-written container")
        }
        // And the same connection goes on working.
        try dict.update(["new": "3"])
        #expect(try dict.count() == 3)
    }

    /// The first reply of a script or transaction lost (before or after the server
    /// ran the write): an error, and the write is there whole or not at all.
    @Test func aReplyLostAfterAScriptRanLeavesTheWholeWrite() throws {
        let server = try RedisServer()
        let proxy = try FaultProxy(to: server)
        defer { proxy.stop() }
        let connection = Self.connection(through: proxy)
        let counter = try RedisCounter<String>(connection, key: uniqueKey("counter"), counting: ["a"])
        let list = try RedisList<Int>(connection, key: uniqueKey("list"), contents: [3, 1, 2])
        let direct = server.connection()

        proxy.set(.resetReplies(afterBytes: 0))
        let lost = Engine.caught { () throws(PotteryError) in try counter.update(["a", "b", "c"]) }
        #expect(lost?.code == .connectionError, "\(String(describing: lost))")
        proxy.set(.resetReplies(afterBytes: 0))
        let lostSort = Engine.caught { () throws(PotteryError) in try list.sort() }
        #expect(lostSort?.code == .connectionError, "\(String(describing: lostSort))")
        proxy.set(.none)

        // All or nothing: the reply may have been lost before or after the server ran the write.
        let stored = RedisCounter<String>(direct, key: counter.key)
        let counts = [try stored.count(of: "a"), try stored.count(of: "b"), try stored.count(of: "c")]
        #expect(counts == [2, 1, 1] || counts == [1, 0, 0], "\(counts)")
        let items = try RedisList<Int>(direct, key: list.key).toArray()
        #expect(items == [1, 2, 3] || items == [3, 1, 2], "\(items)")
    }

    /// A queue `get` waiting in `XREAD BLOCK` when every connection is dropped and
    /// refused: it fails with a connection error (exit 3 in the CLI) and takes
    /// nothing; once the network is back, the element is there for the next get.
    @Test func aWaitingGetWhoseServerBecomesUnreachableFailsAndTakesNothing() throws {
        let server = try RedisServer()
        let proxy = try FaultProxy(to: server)
        defer { proxy.stop() }
        let connection = Self.connection(through: proxy)
        let key = uniqueKey()
        let queue = RedisSimpleQueue<String>(connection, key: key)
        #expect(try queue.qsize() == 0)
        let waiting = Thread.detachedResult { () throws(PotteryError) in try queue.get(timeout: .seconds(60)) }
        usleep(300_000)  // in XREAD BLOCK by now (if not, the drop hits the first XREAD: the same outcome)
        proxy.set(.drop)
        let outcome = try #require(waiting.wait(upTo: .seconds(40)), "the get still waits")
        let error = try #require(Engine.failure(outcome))
        #expect(error.code == .connectionError, "\(error)")

        proxy.set(.none)
        try RedisSimpleQueue<String>(server.connection(), key: key).put("kept")
        #expect(try queue.get(timeout: .seconds(10)) == "kept")
    }
}

extension Thread {
    /// Runs `body` on a new thread; the returned handle waits for its result.
    static func detachedResult<T: Sendable>(_ body: @escaping @Sendable () throws(PotteryError) -> T) -> PendingResult<T> {
        let pending = PendingResult<T>()
        Thread {
            let result: Result<T, PotteryError>
            do throws(PotteryError) { result = .success(try body()) } catch { result = .failure(error) }
            pending.finish(result)
        }.start()
        return pending
    }
}

/// The result of work on another thread, waited for a bounded time.
final class PendingResult<T: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var result: Result<T, PotteryError>?

    func finish(_ value: Result<T, PotteryError>) {
        lock.withLock { result = value }
        done.signal()
    }

    /// The result, or `nil` when the work had not ended within `limit`.
    func wait(upTo limit: Duration) -> Result<T, PotteryError>? {
        guard done.wait(timeout: .now() + .milliseconds(Int(limit.components.seconds * 1000))) == .success else { return nil }
        return lock.withLock { result }
    }
}

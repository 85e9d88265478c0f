import Foundation
import Synchronization
import PotteryKit
import PotteryTestSupport
import Testing

/// RedisFanOut against five real servers: order, dead and frozen masters,
/// early decisions, and that it asks its masters at once.
@Suite struct FanOutTests {
    /// Five servers of their own (the tests kill and freeze them) and a connection to each.
    private static func masters(_ count: Int = 5) throws -> ([RedisServer], [RedisConnection]) {
        let servers = try (0..<count).map { _ in try RedisServer() }
        return (servers, servers.map { $0.connection() })
    }

    /// Each result's replies, or `nil` for a failed part.
    private static func replies(_ results: [RedisFanOut.Result]) -> [[RedisReply]?] {
        results.map { try? $0.get() }
    }

    @Test func repliesComeBackInBatchOrderFromTheRightServer() throws {
        let (servers, connections) = try Self.masters()
        let key = uniqueKey()
        // A batch order unrelated to the lock order (by object identity).
        let order = [3, 0, 4, 1, 2]
        let batches = order.map { index in
            (connections[index], [command("SET", key.description, "v\(index)"), RedisCommand("GET", key: key), Engine.echo("s\(index)")])
        }
        let results = try RedisFanOut.pipelines(batches, deadline: .now + .seconds(5))
        #expect(results.count == 5)
        for (position, index) in order.enumerated() {
            #expect(try results[position].get() == [.status("OK"), Engine.bulk("v\(index)"), Engine.bulk("s\(index)")])
            // The data went to the server of that batch.
            #expect(try servers[index].connection().send(RedisCommand("GET", key: key)) == Engine.bulk("v\(index)"))
        }
        // An empty fan-out is an empty answer.
        #expect(try RedisFanOut.pipelines([]).isEmpty)
    }

    @Test func aKilledServerFailsItsPartQuicklyWhileTheOthersSucceed() throws {
        let (servers, connections) = try Self.masters()
        _ = try RedisFanOut.pipelines(connections.map { ($0, [RedisCommand("PING")]) })  // all connected
        servers[2].kill()
        let (outcome, took) = try #require(Engine.bounded { () throws(PotteryError) in
            try RedisFanOut.pipelines(connections.enumerated().map { ($1, [Engine.echo("e\($0)")]) }, deadline: .now + .seconds(3))
        })
        let results = try outcome.get()
        #expect(took < .milliseconds(500))
        for index in [0, 1, 3, 4] { #expect(try results[index].get() == [Engine.bulk("e\(index)")]) }
        let error = try #require(Engine.failure(results[2]))
        #expect(error.code == .connectionError, "\(error)")
        #expect(error.server == servers[2].connection().server)
        // Back on the same port: the next fan-out reconnects.
        try servers[2].restart()
        let again = try RedisFanOut.pipelines(connections.enumerated().map { ($1, [Engine.echo("f\($0)")]) })
        #expect(Self.replies(again) == (0..<5).map { [Engine.bulk("f\($0)")] })
    }

    @Test func frozenServersCostOneDeadlineForTheWholeCall() throws {
        let (servers, connections) = try Self.masters()
        defer { for server in servers { server.thaw() } }
        _ = try RedisFanOut.pipelines(connections.map { ($0, [RedisCommand("PING")]) })
        servers[1].freeze()
        servers[3].freeze()
        let (outcome, took) = try #require(Engine.bounded { () throws(PotteryError) in
            try RedisFanOut.pipelines(connections.enumerated().map { ($1, [Engine.echo("e\($0)")]) },
                                      deadline: .now + .milliseconds(200))
        })
        let results = try outcome.get()
        #expect(took >= .milliseconds(190))
        #expect(took < .milliseconds(390), "two frozen masters must not cost two deadlines")
        for index in [0, 2, 4] { #expect(try results[index].get() == [Engine.bulk("e\(index)")]) }
        for index in [1, 3] {
            let error = try #require(Engine.failure(results[index]))
            #expect(error.code == .timeout)
            #expect(error.message.contains("outcome is unknown"))
        }
        // Thawed, they answer "e1"/"e3" on the old sockets; the next call must get its own replies.
        servers[1].thaw()
        servers[3].thaw()
        let again = try RedisFanOut.pipelines(connections.enumerated().map { ($1, [Engine.echo("f\($0)")]) },
                                              deadline: .now + .seconds(5))
        #expect(Self.replies(again) == (0..<5).map { [Engine.bulk("f\($0)")] })
    }

    @Test func aMasterThatNeverAcceptsCostsOneDeadline() throws {
        let (servers, connections) = try Self.masters(4)
        defer { withExtendedLifetime(servers) {} }
        let listener = try UnansweredListener()
        var configuration = try RedisConfiguration(url: "redis://127.0.0.1:\(listener.port)/0")
        configuration.connectTimeout = .seconds(5)
        let unreachable = RedisConnection(configuration)
        let all = connections + [unreachable]
        let (outcome, took) = try #require(Engine.bounded { () throws(PotteryError) in
            try RedisFanOut.pipelines(all.map { ($0, [Engine.echo("e")]) }, deadline: .now + .milliseconds(200))
        })
        let results = try outcome.get()
        #expect(took >= .milliseconds(190))
        #expect(took < .milliseconds(700))
        #expect(Self.replies(Array(results.prefix(4))) == Array(repeating: [Engine.bulk("e")], count: 4))
        let error = try #require(Engine.failure(results[4]))
        #expect(error.code == .timeout)
        #expect(error.message.contains("cannot connect"))
    }

    @Test func aDecidedOutcomeDoesNotWaitForAFrozenMaster() throws {
        let (servers, connections) = try Self.masters()
        defer { for server in servers { server.thaw() } }
        let key = uniqueKey()
        _ = try RedisFanOut.pipelines(connections.map { ($0, [RedisCommand("PING")]) })
        servers[0].freeze()
        let set = command("SET", key.description, "token", "NX", "PX", "10000")  // a Redlock-style grant
        let (outcome, took) = try #require(Engine.bounded { () throws(PotteryError) in
            try RedisFanOut.pipelines(connections.map { ($0, [set]) }, deadline: .now + .seconds(2)) { results in
                results.filter { result in (try? result?.get())?.first == .status("OK") }.count >= 3
            }
        })
        let results = try outcome.get()
        #expect(took < .milliseconds(100), "a quorum of 3 must not wait for the frozen master")
        let granted = results.filter { (try? $0.get())?.first == .status("OK") }.count
        #expect(granted >= 3)
        let error = try #require(Engine.failure(results[0]))
        #expect(error.code == .timeout)
        #expect(error.message.contains("decided"))
        // The frozen master's connection works again after SIGCONT, with its own reply.
        servers[0].thaw()
        #expect(try connections[0].send(Engine.echo("thawed"), deadline: .now + .seconds(5)) == Engine.bulk("thawed"))
        // Its SET ran once it thawed (the outcome was unknown, not "not done").
        #expect(try connections[0].send(RedisCommand("GET", key: key)) == Engine.bulk("token"))
    }

    @Test func aMasterLeftBehindByADecisionAndThenRestartedIsReconnected() throws {
        let (servers, connections) = try Self.masters(3)
        defer { for server in servers { server.thaw() } }
        _ = try RedisFanOut.pipelines(connections.map { ($0, [RedisCommand("PING")]) })
        servers[0].freeze()
        let first = try RedisFanOut.pipelines(connections.map { ($0, [Engine.echo("one")]) },
                                              deadline: .now + .seconds(2)) { results in
            results.filter { (try? $0?.get()) != nil }.count >= 2
        }
        #expect(Engine.failure(first[0])?.code == .timeout)
        // Whether its socket was kept (owing the reply) or closed, a restarted master is reconnected.
        try servers[0].restart()
        let (outcome, took) = try #require(Engine.bounded { () throws(PotteryError) in
            try RedisFanOut.pipelines(connections.map { ($0, [Engine.echo("two")]) }, deadline: .now + .seconds(2))
        })
        #expect(took < .seconds(1))
        #expect(try outcome.get().map { try? $0.get() } == Array(repeating: [Engine.bulk("two")], count: 3))
    }

    @Test func idleSocketsClosedByTheirServersAreReconnectedBeforeTheFanOut() throws {
        // The fan-out checks its idle sockets in one poll: the ones whose server went away in the
        // meantime must still be noticed (and reconnected) before anything is written to them.
        let (servers, connections) = try Self.masters()
        _ = try RedisFanOut.pipelines(connections.map { ($0, [RedisCommand("PING")]) })  // all connected
        try servers[1].restart()
        try servers[3].restart()
        for round in 0..<2 {
            let results = try RedisFanOut.pipelines(connections.enumerated().map { ($1, [Engine.echo("r\(round)-\($0)")]) },
                                                    deadline: .now + .seconds(5))
            #expect(Self.replies(results) == (0..<5).map { [Engine.bulk("r\(round)-\($0)")] })
        }
    }

    @Test func aLoneBatchWaitsForItsDeadlineNotForTheIdleTimeout() throws {
        // One server (a lock on one master) takes the single-server path, which waits in the read
        // while the idle timeout ends before the deadline: a frozen server still costs the whole
        // deadline (not one idle timeout), and no more.
        let server = try RedisServer()
        defer { server.thaw() }
        var configuration = try RedisConfiguration(url: server.url)
        configuration.ioTimeout = .milliseconds(200)
        let connection = RedisConnection(configuration)
        _ = try connection.send(RedisCommand("PING"))
        server.freeze()
        let (outcome, took) = try #require(Engine.bounded { () throws(PotteryError) in
            try RedisFanOut.pipelines([(connection, [Engine.echo("late")])], deadline: .now + .seconds(1))
        })
        let error = try #require(Engine.failure(try outcome.get()[0]))
        #expect(error.code == .timeout, "\(error)")
        #expect(took >= .milliseconds(900), "gave up after \(took), before its deadline")
        server.thaw()
        let again = try RedisFanOut.pipelines([(connection, [Engine.echo("again")])], deadline: .now + .seconds(5))
        #expect(Self.replies(again) == [[Engine.bulk("again")]])
    }

    @Test func aScriptLeftBehindOnAMasterThatForgotItStillRunsThere() throws {
        // An EVALSHA abandoned once a majority decided, on a master that flushed its scripts: its
        // NOSCRIPT answer comes after the caller left, and is dropped by sending the EVAL instead.
        let (servers, connections) = try Self.masters(3)
        defer { for server in servers { server.thaw() } }
        let key = uniqueKey()
        let script = RedisScript("redis.call('SET', KEYS[1], ARGV[1]) return 1")
        let first = try RedisFanOut.pipelines(connections.map { ($0, [script.command(keys: [key], arguments: [Array("v1".utf8)])]) },
                                              deadline: .now + .seconds(10))
        #expect(Self.replies(first) == Array(repeating: [.integer(1)], count: 3))
        let admin = servers[0].connection()
        #expect(try admin.send(command("SCRIPT", "FLUSH")) == .status("OK"))
        servers[0].freeze()
        let decided = try RedisFanOut.pipelines(connections.map { ($0, [script.command(keys: [key], arguments: [Array("v2".utf8)])]) },
                                                deadline: .now + .seconds(10)) { results in
            results.filter { (try? $0?.get()) == [.integer(1)] }.count >= 2
        }
        #expect(Engine.failure(decided[0])?.code == .timeout)
        servers[0].thaw()
        // The connection's next call reads the NOSCRIPT, sends the EVAL, and drops its reply too.
        #expect(try connections[0].send(Engine.echo("next"), deadline: .now + .seconds(10)) == Engine.bulk("next"))
        #expect(try admin.send(RedisCommand("GET", key: key)) == Engine.bulk("v2"))
        #expect(try connections[0].send(Engine.echo("after"), deadline: .now + .seconds(10)) == Engine.bulk("after"))
    }

    @Test func settleWaitsForTheRepliesLeftBehindAndNoLongerThanItsDeadline() throws {
        let (servers, connections) = try Self.masters(3)
        defer { for server in servers { server.thaw() } }
        let key = uniqueKey()
        _ = try RedisFanOut.pipelines(connections.map { ($0, [RedisCommand("PING")]) })
        servers[0].freeze()
        _ = try RedisFanOut.pipelines(connections.map { ($0, [command("SET", key.description, "v")]) },
                                      deadline: .now + .seconds(10)) { results in
            results.filter { (try? $0?.get()) == [.status("OK")] }.count >= 2
        }
        // Still frozen: settle gives up at its deadline rather than waiting for ever.
        let (outcome, _) = try #require(Engine.bounded(.seconds(20)) { () throws(PotteryError) in
            RedisFanOut.settle(connections, deadline: .now + .milliseconds(300))
        })
        _ = try outcome.get()
        servers[0].thaw()
        #expect(try connections[0].send(Engine.echo("back"), deadline: .now + .seconds(10)) == Engine.bulk("back"))
        #expect(try servers[0].connection().send(RedisCommand("GET", key: key)) == Engine.bulk("v"))
        // Connections owing nothing are left alone: settle connects nothing.
        let fresh = servers.map { $0.connection() }
        RedisFanOut.settle(fresh, deadline: .now + .seconds(1))
        let clients = try #require(servers[1].connection().send(command("CLIENT", "LIST")).bytes)
        #expect(String(decoding: clients, as: UTF8.self).split(separator: "\n").count == 2, "only ours and this one")
    }

    @Test func aDecisionThatNeverComesWaitsForEveryPart() throws {
        let (servers, connections) = try Self.masters(3)
        defer { withExtendedLifetime(servers) {} }
        let results = try RedisFanOut.pipelines(connections.map { ($0, [Engine.echo("x")]) }) { _ in false }
        #expect(Self.replies(results) == Array(repeating: [Engine.bulk("x")], count: 3))
    }

    @Test func fiveMastersAreAskedAtOnce() throws {
        // Not timed: each master holds the fan-out's BLPOP until its list is pushed, and the lists are
        // pushed only once every master has a client blocked at the same moment. A fan-out that talked
        // to its masters one after another never gets there (the watcher gives up after 30 s and
        // pushes anyway, so the call ends either way).
        let (servers, connections) = try Self.masters()
        defer { withExtendedLifetime(servers) {} }
        let key = uniqueKey()
        let watchers = servers.map { $0.connection() }
        let allBlocked = Mutex(false)
        let pushed = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let clock = ContinuousClock()
            let giveUp = clock.now + .seconds(30)
            while clock.now < giveUp {
                let blocked = watchers.map { watcher in
                    (try? watcher.send(command("INFO", "clients")))?.bytes.map { String(decoding: $0, as: UTF8.self) }?
                        .contains("blocked_clients:1") ?? false
                }
                if blocked.allSatisfy({ $0 }) {
                    allBlocked.withLock { $0 = true }
                    break
                }
                usleep(5_000)
            }
            for watcher in watchers { _ = try? watcher.send(command("RPUSH", key.description, "x")) }
            pushed.signal()
        }
        let results = try RedisFanOut.pipelines(connections.map { ($0, [command("BLPOP", key.description, "60")]) },
                                                deadline: .now + .seconds(60))
        pushed.wait()
        #expect(allBlocked.withLock { $0 }, "the five BLPOPs were never waiting at once")
        #expect(Self.replies(results).allSatisfy { $0 == [.array([Engine.bulk(key.description), Engine.bulk("x")])] },
                "\(results)")
    }
}

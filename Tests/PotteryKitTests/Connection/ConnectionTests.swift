import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// A fresh key name for one test.
func uniqueKey(_ label: String = #function) -> RedisKey {
    RedisKey("test:\(label.prefix(30)):\(UUID().uuidString)")
}

func command(_ name: String, _ args: String...) -> RedisCommand {
    var command = RedisCommand(name)
    for arg in args { command.append(arg) }
    return command
}

@Suite struct ConnectionTests {
    let server = RedisServer.shared

    @Test func sendsAndReadsEveryReplyType() throws {
        let connection = server.connection()
        let key = uniqueKey()
        #expect(try connection.send(RedisCommand("PING")) == .status("PONG"))
        var set = RedisCommand("SET", key: key)
        set.append(bytes: [0, 1, 0xff, 0])  // binary-safe: NUL bytes survive
        #expect(try connection.send(set) == .status("OK"))
        #expect(try connection.send(RedisCommand("GET", key: key)) == .bulk([0, 1, 0xff, 0]))
        #expect(try connection.send(RedisCommand("STRLEN", key: key)) == .integer(4))
        #expect(try connection.send(RedisCommand("GET", key: uniqueKey())) == .null)
        var rpush = RedisCommand("RPUSH", key: uniqueKey())
        rpush.append("a")
        _ = try connection.send(rpush)
        _ = try connection.send(RedisCommand("DEL", key: key))
    }

    @Test func errorRepliesThrowWithServerTextKeyAndCode() throws {
        let connection = server.connection()
        let key = uniqueKey()
        var rpush = RedisCommand("RPUSH", key: key)
        rpush.append("x")
        try connection.send(rpush)
        let error = try #require(throws: PotteryError.self) { try connection.send(RedisCommand("HLEN", key: key)) }
        #expect(error.code == .wrongType)
        #expect(error.redisCode == "WRONGTYPE")
        #expect(error.key == key.description)
        #expect(error.message.contains("WRONGTYPE Operation against a key"))
        #expect(error.server == "redis://127.0.0.1:\(server.port)/0")
        // The connection is still usable after an error reply.
        #expect(try connection.send(RedisCommand("LLEN", key: key)) == .integer(1))
        let unknown = try #require(throws: PotteryError.self) { try connection.send(RedisCommand("NOSUCHCOMMAND")) }
        #expect(unknown.code == .responseError)
        #expect(unknown.redisCode == "ERR")
    }

    @Test func pipelineReturnsOneReplyPerCommandWithErrorsAsValues() throws {
        let connection = server.connection()
        let key = uniqueKey()
        var commands: [RedisCommand] = []
        for index in 0..<1000 {
            var rpush = RedisCommand("RPUSH", key: key)
            rpush.append(index)
            commands.append(rpush)
        }
        commands.append(RedisCommand("HLEN", key: key))  // WRONGTYPE in the middle of a batch
        commands.append(RedisCommand("LLEN", key: key))
        let replies = try connection.pipeline(commands)
        #expect(replies.count == 1002)
        #expect(replies[999] == .integer(1000))
        if case .error(let error) = replies[1000] { #expect(error.code == .wrongType) } else { Issue.record("expected an error reply") }
        #expect(replies[1001] == .integer(1000))
    }

    @Test func unixSocketAndDatabaseSelection() throws {
        let key = uniqueKey()
        let db3 = try RedisConnection(url: "unix://\(server.socketPath)?db=3")
        try db3.send(command("SET", key.description, "three"))
        let db0 = try RedisConnection(url: "unix://\(server.socketPath)")
        #expect(try db0.send(RedisCommand("GET", key: key)) == .null)
        let tcp3 = try RedisConnection(url: "redis://127.0.0.1:\(server.port)/3")
        #expect(try tcp3.send(RedisCommand("GET", key: key)) == .bulk(Array("three".utf8)))
        try tcp3.send(RedisCommand("DEL", key: key))
    }

    @Test func serverDownFailsFast() throws {
        // Port 1 on loopback: nothing listens there.
        let connection = try RedisConnection(url: "redis://127.0.0.1:1/0")
        let clock = ContinuousClock()
        let start = clock.now
        let error = try #require(throws: PotteryError.self) { try connection.send(RedisCommand("PING")) }
        #expect(clock.now - start < .seconds(1))
        #expect(error.code == .connectionError)
        #expect(error.message.contains("cannot connect"))
        let missingSocket = try RedisConnection(url: "unix:///nonexistent/redis.sock")
        let socketError = try #require(throws: PotteryError.self) { try missingSocket.send(RedisCommand("PING")) }
        #expect(socketError.code == .connectionError)
    }

    @Test func timeoutDiscardsTheContextSoALateReplyIsNeverMisread() throws {
        let own = try RedisServer()
        var configuration = try RedisConfiguration(url: own.url)
        configuration.ioTimeout = .milliseconds(200)
        let connection = RedisConnection(configuration)
        let key = uniqueKey()
        try connection.send(command("SET", key.description, "v"))
        let error = try #require(throws: PotteryError.self) { try connection.send(command("DEBUG", "SLEEP", "0.6")) }
        #expect(error.code == .timeout)
        #expect(error.message.contains("outcome is unknown"))
        // The next command gets its own reply, not DEBUG SLEEP's late "+OK".
        usleep(600_000)  // let the server wake up
        #expect(try connection.send(RedisCommand("GET", key: key)) == .bulk(Array("v".utf8)))
    }

    @Test func serverKilledMidPipelineGivesAnErrorThenReconnects() throws {
        let own = try RedisServer()
        let connection = RedisConnection(try RedisConfiguration(url: own.url))
        #expect(try connection.send(RedisCommand("PING")) == .status("PONG"))
        // The server dies while the pipeline is in flight.
        let killer = Thread { usleep(100_000); own.kill() }
        killer.start()
        let error = try #require(throws: PotteryError.self) {
            try connection.pipeline([command("DEBUG", "SLEEP", "2"), RedisCommand("PING")])
        }
        #expect(error.code == .connectionError)
        // Later calls fail fast with a connection error, not a crash or a stale reply.
        let again = try #require(throws: PotteryError.self) { try connection.send(RedisCommand("PING")) }
        #expect(again.code == .connectionError)
    }

    @Test func quitClosesTheConnectionAndTheNextCallReconnects() throws {
        let connection = server.connection()
        #expect(try connection.send(RedisCommand("QUIT")) == .status("OK"))
        #expect(try connection.send(RedisCommand("PING")) == .status("PONG"))
    }

    @Test func anIdleConnectionClosedByTheServerIsReplacedBeforeUse() throws {
        let connection = server.connection()
        let admin = server.connection()
        var setName = RedisCommand("CLIENT")
        setName.append("SETNAME")
        setName.append("victim-\(UUID().uuidString.prefix(8))")
        try connection.send(setName)
        let name = String(decoding: setName.argument(2), as: UTF8.self)
        let list = String(decoding: try admin.send(command("CLIENT", "LIST")).bytes ?? [], as: UTF8.self)
        let line = try #require(list.split(separator: "\n").first { $0.contains("name=\(name)") })
        let id = try #require(line.split(separator: " ").first { $0.hasPrefix("id=") }).dropFirst(3)
        try admin.send(command("CLIENT", "KILL", "ID", String(id)))
        usleep(50_000)
        #expect(try connection.send(RedisCommand("PING")) == .status("PONG"))
    }

    @Test func sharedAcrossThreadsCallsNeverInterleave() throws {
        let connection = server.connection()
        let key = uniqueKey()
        let threads = 8
        let perThread = 200
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for index in 0..<perThread {
                // Each reply must belong to its own command: ECHO returns its argument.
                let text = "t\(thread)-\(index)"
                let replies = try! connection.pipeline([command("ECHO", text), command("INCR", key.description)])
                precondition(replies[0] == .bulk(Array(text.utf8)), "reply crossed threads")
            }
        }
        #expect(try connection.send(RedisCommand("GET", key: key)) == .bulk(Array(String(threads * perThread).utf8)))
        try connection.send(RedisCommand("DEL", key: key))
    }
}

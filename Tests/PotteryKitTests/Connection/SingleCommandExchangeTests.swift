import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// A single command with no deadline on a live socket takes its own short
/// exchange (`SingleCommandExchange.swift`): each of its outcomes, on a real server.
@Suite struct SingleCommandExchangeTests {
    /// The server's id for the socket `connection` uses now: the same id means no reconnect.
    private static func clientID(_ connection: RedisConnection) throws -> RedisReply {
        try connection.send(command("CLIENT", "ID"))
    }

    @Test func callsOnALiveSocketKeepItAndAnErrorReplyDoesNotDropIt() throws {
        let server = try RedisServer()
        let connection = server.connection()
        let key = uniqueKey()
        let id = try Self.clientID(connection)
        for round in 0..<50 {
            #expect(try connection.send(Engine.echo("round \(round)")) == Engine.bulk("round \(round)"))
        }
        try connection.send(command("HSET", key.description, "field", "value"))
        let error = try #require(Engine.caught { () throws(PotteryError) in try connection.send(RedisCommand("LPOP", key: key)) })
        #expect(error.code == .wrongType, "\(error)")
        #expect(error.key == key.description, "\(error)")
        #expect(try Self.clientID(connection) == id)
    }

    @Test func aScriptTheServerForgotRunsByItsSourceOnTheSameSocket() throws {
        let server = try RedisServer()  // SCRIPT FLUSH is server-wide
        let connection = server.connection()
        let key = uniqueKey()
        let incrby = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
        #expect(try connection.send(incrby.command(keys: [key], arguments: [Array("5".utf8)])) == .integer(5))
        let id = try Self.clientID(connection)
        try connection.send(command("SCRIPT", "FLUSH"))
        // This socket sent the script before, so it goes as EVALSHA: NOSCRIPT, then EVAL.
        #expect(try connection.send(incrby.command(keys: [key], arguments: [Array("2".utf8)])) == .integer(7))
        #expect(try connection.send(RedisCommand("GET", key: key)) == Engine.bulk("7"))
        #expect(try Self.clientID(connection) == id)
    }

    @Test func aCommandLargerThanTheSocketBufferWaitsForTheServerToTakeIt() throws {
        let server = try RedisServer()
        let connection = RedisConnection(Engine.configuration(server, ioTimeout: .seconds(20)))
        let key = uniqueKey()
        let id = try Self.clientID(connection)
        var set = RedisCommand("SET", key: key)
        set.append(bytes: [UInt8](repeating: UInt8(ascii: "x"), count: 12 << 20))
        #expect(try connection.send(set) == .status("OK"))
        #expect(try connection.send(RedisCommand("STRLEN", key: key)) == .integer(12 << 20))
        #expect(try Self.clientID(connection) == id)
    }

    @Test func aCommandAFrozenServerCannotTakeTimesOutInTheWriteAndTheNextCallGetsItsOwnReply() throws {
        let server = try RedisServer()
        defer { server.thaw() }
        let connection = RedisConnection(Engine.configuration(server, ioTimeout: .milliseconds(300)))
        let key = uniqueKey()
        #expect(try connection.send(Engine.echo("warm"), deadline: .now + .seconds(30)) == Engine.bulk("warm"))
        server.freeze()
        var large = RedisCommand("SET", key: key)
        large.append(bytes: [UInt8](repeating: UInt8(ascii: "x"), count: 32 << 20))  // more than the socket buffers hold
        let set = large
        let (outcome, _) = try #require(Engine.bounded(.seconds(30)) { () throws(PotteryError) in try connection.send(set) })
        let error = try #require(Engine.failure(outcome))
        #expect(error.code == .timeout, "\(error)")
        #expect(error.message.contains("no answer from \(connection.server) in time to SET; its outcome is unknown"), "\(error)")
        #expect(error.key == key.description, "\(error)")
        server.thaw()
        #expect(try connection.send(Engine.echo("after"), deadline: .now + .seconds(30)) == Engine.bulk("after"))
    }

    @Test func aServerThatGoesSilentTimesOutInTheReadAndItsLateReplyIsNeverSeen() throws {
        let server = try RedisServer()
        defer { server.thaw() }
        let connection = RedisConnection(Engine.configuration(server, ioTimeout: .milliseconds(200)))
        let key = uniqueKey()
        let id = try Self.clientID(connection)
        server.freeze()
        let (outcome, _) = try #require(Engine.bounded(.seconds(30)) { () throws(PotteryError) in
            try connection.send(RedisCommand("INCR", key: key))
        })
        let error = try #require(Engine.failure(outcome))
        #expect(error.code == .timeout, "\(error)")
        #expect(error.message.contains("in time to INCR; its outcome is unknown"), "\(error)")
        #expect(error.key == key.description, "\(error)")
        server.thaw()
        // The late INCR reply (1) went to the dropped socket: this GET reads its own on a new one.
        #expect(try connection.send(RedisCommand("GET", key: key), deadline: .now + .seconds(30)) == Engine.bulk("1"))
        #expect(try Self.clientID(connection) != id)
    }

    @Test func aSocketTheServerClosedIsReplacedBeforeTheCommandGoes() throws {
        let server = try RedisServer()
        let connection = server.connection()
        let key = uniqueKey()
        let id = try Self.clientID(connection)
        guard case .integer(let number) = id else { Issue.record("CLIENT ID gave \(id)"); return }
        try server.connection().send(command("CLIENT", "KILL", "ID", String(number)))
        usleep(20_000)  // past the socket's freshness: the next call looks before reusing it
        #expect(try connection.send(RedisCommand("INCR", key: key)) == .integer(1))
        #expect(try Self.clientID(connection) != id)
    }
    @Test func aDeadlineFartherThanTheIdleTimeoutAllowsALongerSilence() throws {
        let server = try RedisServer()
        let connection = RedisConnection(Engine.configuration(server, ioTimeout: .milliseconds(100)))
        let key = uniqueKey()
        let id = try Self.clientID(connection)
        // The server answers after 400 ms of silence: four idle timeouts, well inside the deadline.
        let reply = try connection.send(command("BLPOP", key.description, "0.4"), deadline: .now + .seconds(30))
        #expect(reply == .null)
        #expect(try Self.clientID(connection) == id)
    }

    @Test func aDeadlineNearerThanTheIdleTimeoutEndsTheCallAndTheNextCallGetsItsOwnReply() throws {
        let server = try RedisServer()
        let connection = RedisConnection(Engine.configuration(server, ioTimeout: .seconds(30)))
        let key = uniqueKey()
        let id = try Self.clientID(connection)
        var blpop = RedisCommand("BLPOP", key: key)
        blpop.append("3")
        let wait = blpop
        let (outcome, took) = try #require(Engine.bounded(.seconds(20)) { () throws(PotteryError) in
            try connection.send(wait, deadline: .now + .milliseconds(300))
        })
        let error = try #require(Engine.failure(outcome))
        #expect(error.code == .timeout, "\(error)")
        #expect(error.message.contains("in time to BLPOP; its outcome is unknown"), "\(error)")
        #expect(error.key == key.description, "\(error)")
        #expect(took < .seconds(3))
        // The dropped socket's BLPOP may still take what is pushed now: a new socket is used.
        #expect(try connection.send(Engine.echo("after")) == Engine.bulk("after"))
        #expect(try Self.clientID(connection) != id)
    }

    // Deferred commands and owed replies take the general exchange: TemporaryKeyReleaseTests.
}

import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// `EVALSHA` falls back to `EVAL` on `NOSCRIPT` inside pipelines, fan-outs
/// and transactions, with every reply in its place.
@Suite struct ScriptFallbackTests {
    static let incrby = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
    static let tag = RedisScript("return 'tag:' .. ARGV[1]")
    static let failing = RedisScript("return redis.error_reply('BOOM script failed')")

    private static func flush(_ connection: RedisConnection) throws {
        try connection.send(command("SCRIPT", "FLUSH"))
    }

    @Test func aPipelineAfterScriptFlushGetsEveryReplyInItsPlace() throws {
        let own = try RedisServer()  // SCRIPT FLUSH is server-wide
        let connection = own.connection()
        let key = uniqueKey()
        try Self.flush(connection)
        let replies = try connection.pipeline([
            Self.incrby.command(keys: [key], arguments: [Array("5".utf8)]),
            Engine.echo("between"),
            Self.tag.command(arguments: [Array("x".utf8)]),
            Self.failing.command(),
            Self.incrby.command(keys: [key], arguments: [Array("2".utf8)]),
            Engine.echo("end"),
        ])
        #expect(replies.count == 6)
        #expect(replies[0] == .integer(5))
        #expect(replies[1] == Engine.bulk("between"))
        #expect(replies[2] == Engine.bulk("tag:x"))
        guard case .error(let error) = replies[3] else { Issue.record("expected an error reply, got \(replies[3])"); return }
        #expect(error.redisCode == "BOOM")
        #expect(replies[4] == .integer(7))
        #expect(replies[5] == Engine.bulk("end"))
        #expect(try connection.send(RedisCommand("GET", key: key)) == Engine.bulk("7"))
        // EVAL cached them: the next EVALSHA needs no fallback.
        var exists = RedisCommand("SCRIPT")
        exists.append("EXISTS")
        exists.append(Self.incrby.sha1)
        exists.append(Self.tag.sha1)
        #expect(try connection.send(exists) == .array([.integer(1), .integer(1)]))
    }

    @Test func aFallbackWhileALargeBatchIsStillBeingWritten() throws {
        let own = try RedisServer()
        let connection = own.connection()
        let key = uniqueKey()
        let counter = uniqueKey()
        try Self.flush(connection)
        let incr = RedisCommand("INCR", key: counter)
        let batch = [Self.incrby.command(keys: [key], arguments: [Array("1".utf8)])]
            + Array(repeating: incr, count: 50_000)
            + [Self.incrby.command(keys: [key], arguments: [Array("1".utf8)])]
        let replies = try connection.pipeline(batch)
        #expect(replies.count == batch.count)
        #expect(replies.first == .integer(1))
        #expect(replies.last == .integer(2))
        #expect(replies[1] == .integer(1))
        #expect(replies[50_000] == .integer(50_000))
    }

    @Test func aFanOutAfterScriptFlushOnSomeServersSucceedsEverywhere() throws {
        let servers = try (0..<3).map { _ in try RedisServer() }
        let connections = servers.map { $0.connection() }
        let key = uniqueKey()
        // The script is known to server 1 only.
        #expect(try connections[1].evaluate(Self.incrby, keys: [key], arguments: [Array("100".utf8)]) == .integer(100))
        try Self.flush(connections[0])
        try Self.flush(connections[2])
        let batch = [
            Self.incrby.command(keys: [key], arguments: [Array("5".utf8)]),
            Self.tag.command(arguments: [Array("y".utf8)]),
            Self.incrby.command(keys: [key], arguments: [Array("1".utf8)]),
        ]
        let results = try RedisFanOut.pipelines(connections.map { ($0, batch) }, deadline: .now + .seconds(5))
        #expect(try results[0].get() == [.integer(5), Engine.bulk("tag:y"), .integer(6)])
        #expect(try results[1].get() == [.integer(105), Engine.bulk("tag:y"), .integer(106)])
        #expect(try results[2].get() == [.integer(5), Engine.bulk("tag:y"), .integer(6)])
        // And after a restart (the server forgot every script).
        try servers[2].restart()
        let again = try RedisFanOut.pipelines(connections.map { ($0, [Self.tag.command(arguments: [Array("z".utf8)])]) })
        #expect(again.map { try? $0.get() } == Array(repeating: [Engine.bulk("tag:z")], count: 3))
    }

    @Test func insideATransactionBodyAndItsQueuedWrites() throws {
        let own = try RedisServer()
        let connection = own.connection()
        let admin = own.connection()
        let key = uniqueKey()
        try Self.flush(connection)
        let (read, replies) = try connection.transaction(watching: [key]) { transaction throws(PotteryError) -> RedisReply in
            let read = try transaction.pipeline([Self.tag.command(arguments: [Array("in".utf8)])])[0]
            try admin.send(command("SCRIPT", "FLUSH"))  // forgotten again before EXEC (no watched key changes)
            transaction.enqueue(Self.incrby.command(keys: [key], arguments: [Array("3".utf8)]))
            transaction.enqueue(Self.tag.command(arguments: [Array("queued".utf8)]))
            return read
        }
        #expect(read == Engine.bulk("tag:in"))
        #expect(replies == [.integer(3), Engine.bulk("tag:queued")])
        #expect(try connection.send(RedisCommand("GET", key: key)) == Engine.bulk("3"))
    }
}

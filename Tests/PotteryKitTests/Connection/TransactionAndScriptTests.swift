import PotteryKit
import PotteryTestSupport
import Testing

@Suite struct TransactionAndScriptTests {
    let server = RedisServer.shared

    @Test func transactionCommitsQueuedWritesAtomically() throws {
        let connection = server.connection()
        let key = uniqueKey()
        let (value, replies) = try connection.transaction(watching: [key]) { transaction throws(PotteryError) in
            let before = try transaction.send(RedisCommand("GET", key: key))
            transaction.enqueue(command("SET", key.description, "1"))
            transaction.enqueue(RedisCommand("GET", key: key))
            return before
        }
        #expect(value == .null)
        #expect(replies == [.status("OK"), .bulk(Array("1".utf8))])
    }

    @Test func conflictingWriterMakesTheBodyRunAgain() throws {
        let connection = server.connection()
        let intruder = server.connection()
        let key = uniqueKey()
        try connection.send(command("SET", key.description, "0"))
        var attempts = 0
        let (_, replies) = try connection.transaction(watching: [key]) { transaction throws(PotteryError) in
            attempts += 1
            let current = try transaction.send(RedisCommand("GET", key: key)).integer ?? 0
            if attempts == 1 { try intruder.send(command("SET", key.description, "100")) }
            transaction.enqueue(command("SET", key.description, String(current + 1)))
        }
        #expect(attempts == 2)
        #expect(replies == [.status("OK")])
        #expect(try connection.send(RedisCommand("GET", key: key)) == .bulk(Array("101".utf8)))
    }

    @Test func givesUpWithWatchErrorAfterMaxAttempts() throws {
        let connection = server.connection()
        let intruder = server.connection()
        let key = uniqueKey()
        let error = try #require(throws: PotteryError.self) {
            try connection.transaction(watching: [key], maxAttempts: 3) { transaction throws(PotteryError) in
                try intruder.send(command("INCR", key.description))
                transaction.enqueue(command("SET", key.description, "mine"))
            }
        }
        #expect(error.code == .watchError)
        #expect(try connection.send(RedisCommand("GET", key: key)) == .bulk(Array("3".utf8)))
    }

    @Test func aBodyThatThrowsUnwatchesAndWritesNothing() throws {
        let connection = server.connection()
        let key = uniqueKey()
        #expect(throws: PotteryError.self) {
            try connection.transaction(watching: [key]) { transaction throws(PotteryError) in
                transaction.enqueue(command("SET", key.description, "never"))
                throw PotteryError(.keyError, "stop")
            }
        }
        #expect(try connection.send(RedisCommand("GET", key: key)) == .null)
        // The connection carries on normally.
        #expect(try connection.send(RedisCommand("PING")) == .status("PONG"))
    }

    @Test func scriptsFallBackToEvalAfterScriptFlush() throws {
        let connection = server.connection()
        let key = uniqueKey()
        let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
        #expect(script.sha1.count == 40)
        try connection.send(command("SCRIPT", "FLUSH"))
        #expect(try connection.evaluate(script, keys: [key], arguments: [Array("5".utf8)]) == .integer(5))
        // Now cached: EVALSHA works directly, and its SHA is the server's.
        var exists = RedisCommand("SCRIPT")
        exists.append("EXISTS")
        exists.append(script.sha1)
        #expect(try connection.send(exists) == .array([.integer(1)]))
        try connection.send(command("SCRIPT", "FLUSH"))
        #expect(try connection.evaluate(script, keys: [key], arguments: [Array("2".utf8)]) == .integer(7))
        let failing = RedisScript("return redis.error_reply('BOOM it failed')")
        let error = try #require(throws: PotteryError.self) { try connection.evaluate(failing) }
        #expect(error.redisCode == "BOOM")
    }
}

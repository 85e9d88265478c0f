import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// A connection used from inside its own transaction body, or twice in one
/// fan-out, fails at once instead of waiting for ever.
@Suite struct ReentranceTests {
    let server = RedisServer.shared

    @Test func theConnectionItselfInsideItsTransactionBodyFailsAtOnceAndTheTransactionStillCommits() throws {
        let connection = server.connection()
        let others = (0..<4).map { _ in server.connection() }
        let key = uniqueKey()
        let (outcome, took) = try #require(Engine.bounded { () throws(PotteryError) in
            try connection.transaction(watching: [key]) { transaction throws(PotteryError) -> [PotteryError?] in
                let errors: [PotteryError?] = [
                    // The connection's own calls.
                    Engine.caught { () throws(PotteryError) in try connection.send(RedisCommand("PING")) },
                    Engine.caught { () throws(PotteryError) in try connection.pipeline([RedisCommand("PING")]) },
                    // A fan-out that includes it, among others (first or last in the list; the
                    // lock order is by identity, so the failing lock may come after others were taken).
                    Engine.caught { () throws(PotteryError) in
                        try RedisFanOut.pipelines(others.map { ($0, [RedisCommand("PING")]) } + [(connection, [RedisCommand("PING")])])
                    },
                    Engine.caught { () throws(PotteryError) in
                        try RedisFanOut.pipelines([(connection, [RedisCommand("PING")])] + others.map { ($0, [RedisCommand("PING")]) })
                    },
                ]
                // The transaction itself still works, and so do the other connections.
                let read = try transaction.send(RedisCommand("GET", key: key))
                #expect(read == .null)
                let results = try RedisFanOut.pipelines(others.map { ($0, [Engine.echo("other")]) })
                #expect(results.map { try? $0.get() } == Array(repeating: [Engine.bulk("other")], count: others.count))
                transaction.enqueue(command("SET", key.description, "committed"))
                return errors
            }
        })
        #expect(took < .seconds(2))
        let (errors, replies) = try outcome.get()
        #expect(errors.count == 4)
        for error in errors {
            #expect(error?.code == .valueError)
            #expect(error?.message.contains("own transaction body") == true, "\(String(describing: error))")
        }
        #expect(replies == [.status("OK")])
        #expect(try connection.send(RedisCommand("GET", key: key)) == Engine.bulk("committed"))
        // No lock was left held: other threads can use every connection.
        let (afterwards, _) = try #require(Engine.bounded { () throws(PotteryError) in
            try RedisFanOut.pipelines(([connection] + others).map { ($0, [RedisCommand("PING")]) })
        })
        #expect(try afterwards.get().map { try? $0.get() } == Array(repeating: [RedisReply.status("PONG")], count: 5))
        try connection.send(RedisCommand("DEL", key: key))
    }

    @Test func closeInsideTheTransactionBodyCommitsNothing() throws {
        // close() does not wait for the lock its own thread holds; the socket (and the WATCH on it)
        // is gone, so EXEC must not run on a new, unwatched one.
        let connection = server.connection()
        let key = uniqueKey()
        let (outcome, _) = try #require(Engine.bounded { () throws(PotteryError) in
            try connection.transaction(watching: [key]) { transaction throws(PotteryError) in
                connection.close()
                transaction.enqueue(command("SET", key.description, "unwatched"))
            }
        })
        let error = try #require(Engine.failure(outcome))
        #expect(error.code == .connectionError)
        #expect(error.message.contains("WATCH"))
        #expect(try connection.send(RedisCommand("GET", key: key)) == .null)
    }

    @Test func theSameConnectionTwiceInOneFanOutIsAValueError() throws {
        let connection = server.connection()
        let other = server.connection()
        let (outcome, _) = try #require(Engine.bounded { () throws(PotteryError) in
            try RedisFanOut.pipelines([(connection, [RedisCommand("PING")]), (other, [RedisCommand("PING")]),
                                       (connection, [RedisCommand("PING")])])
        })
        let error = try #require(Engine.failure(outcome))
        #expect(error.code == .valueError)
        #expect(error.message.contains("twice"))
        // Both connections are free and work.
        let (again, _) = try #require(Engine.bounded { () throws(PotteryError) in
            try RedisFanOut.pipelines([(connection, [Engine.echo("a")]), (other, [Engine.echo("b")])])
        })
        #expect(try again.get().map { try? $0.get() } == [[Engine.bulk("a")], [Engine.bulk("b")]])
    }

    @Test func anotherThreadWaitsForTheTransactionInsteadOfFailing() throws {
        // Reentrance is the same thread only: another thread's call waits its turn.
        let connection = server.connection()
        let key = uniqueKey()
        let entered = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        Thread {
            _ = try? connection.transaction(watching: [key]) { transaction throws(PotteryError) in
                entered.signal()
                usleep(100_000)
                transaction.enqueue(command("SET", key.description, "first"))
            }
            finished.signal()
        }.start()
        #expect(entered.wait(timeout: .now() + 10) == .success)
        let (second, _) = try #require(Engine.bounded { () throws(PotteryError) in
            try connection.send(RedisCommand("GET", key: key))
        })
        #expect(try second.get() == Engine.bulk("first"))
        #expect(finished.wait(timeout: .now() + 10) == .success)
        try connection.send(RedisCommand("DEL", key: key))
    }
}

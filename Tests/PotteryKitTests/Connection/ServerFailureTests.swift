import Foundation
import Synchronization
import PotteryKit
import PotteryTestSupport
import Testing

/// A server that dies in the middle of a large pipeline, a script, a blocking
/// read or a transaction:
/// a ConnectionError (a server-class failure), then a clean reconnect.
@Suite struct ServerFailureTests {
    /// Kills `server` on another thread as soon as `ready` holds (checked every millisecond).
    private static func kill(_ server: RedisServer, when ready: @escaping @Sendable () -> Bool) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        Thread {
            let end = ContinuousClock.now + .seconds(10)
            while !ready() && ContinuousClock.now < end { usleep(1_000) }
            server.kill()
            done.signal()
        }.start()
        return done
    }

    @Test func killedInTheMiddleOfALargePipeline() throws {
        let own = try RedisServer()
        let connection = own.connection()
        let observer = own.connection()
        #expect(try connection.send(RedisCommand("PING")) == .status("PONG"))
        let count = 200_000
        let value = String(repeating: "v", count: 40)
        let batch = (0..<count).map { command("SET", "k\($0)", value) }
        // Killed once the server has started on the batch.
        let killed = Self.kill(own) { ((try? observer.send(RedisCommand("DBSIZE")))?.integer ?? 0) > 1_000 }
        let (outcome, took) = try #require(Engine.bounded(.seconds(20)) { () throws(PotteryError) in
            try connection.pipeline(batch)
        })
        #expect(killed.wait(timeout: .now() + 10) == .success)
        let error = try #require(Engine.failure(outcome), "the pipeline ended before the kill")
        #expect(error.code == .connectionError, "\(error)")
        #expect(error.code.category == .server)
        #expect(took < .seconds(10))
        // Down: calls fail fast.
        let down = Engine.timed { () throws(PotteryError) in try connection.send(RedisCommand("PING")) }
        #expect(Engine.failure(down.0)?.code == .connectionError)
        #expect(down.1 < .milliseconds(500))
        // Back on the same port: the next call reconnects, and the new server is empty.
        try own.restart()
        #expect(try connection.send(Engine.echo("back")) == Engine.bulk("back"))
        #expect(try connection.send(RedisCommand("DBSIZE")) == .integer(0))
    }

    /// SIGKILL while a Lua script runs (a script is atomic on the server: it
    /// never finished, and a restarted server holds none of its writes).
    @Test func killedInTheMiddleOfAScript() throws {
        let own = try RedisServer(config: ["busy-reply-threshold 60000"])
        let connection = own.connection()
        let observer = own.connection()
        #expect(try connection.send(RedisCommand("PING")) == .status("PONG"))
        // Writes a key, then spins for about ten seconds.
        let script = RedisScript("""
            redis.call('SET', KEYS[1], 'written')
            local i = 0
            while i < 2e9 do i = i + 1 end
            return i
            """)
        // Killed once the server is inside the script (it answers others with BUSY, or not at all).
        let killed = Self.kill(own) {
            guard let reply = try? observer.send(RedisCommand("PING"), deadline: .now + .milliseconds(200)) else { return true }
            return reply != .status("PONG")
        }
        let (outcome, _) = try #require(Engine.bounded(.seconds(30)) { () throws(PotteryError) in
            try connection.evaluate(script, keys: [RedisKey("scripted")])
        })
        #expect(killed.wait(timeout: .now() + 10) == .success)
        let error = try #require(Engine.failure(outcome), "the script ended before the kill")
        #expect(error.code == .connectionError, "\(error)")
        try own.restart()
        #expect(try connection.send(RedisCommand("EXISTS", key: RedisKey("scripted"))) == .integer(0))
        #expect(try connection.send(Engine.echo("back")) == Engine.bulk("back"))
    }

    /// SIGKILL while a queue `get` waits on the server (a blocking read):
    /// a connection error, nothing taken, and the next call reconnects.
    @Test func killedDuringABlockingQueueGet() throws {
        let own = try RedisServer()
        let connection = own.connection()
        let observer = own.connection()
        let queue = RedisSimpleQueue<Int>(connection, key: uniqueKey())
        // Killed once the server holds our client blocked.
        let killed = Self.kill(own) {
            let info = (try? observer.send(command("INFO", "clients")))?.bytes.map { String(decoding: $0, as: UTF8.self) }
            return info?.contains("blocked_clients:1") ?? false
        }
        let (outcome, took) = try #require(Engine.bounded(.seconds(30)) { () throws(PotteryError) in
            try queue.get(timeout: .seconds(60))
        })
        #expect(killed.wait(timeout: .now() + 10) == .success)
        let error = try #require(Engine.failure(outcome), "the get ended before the kill")
        #expect(error.code == .connectionError, "\(error)")
        #expect(took < .seconds(30))
        try own.restart()
        try queue.put(7)
        #expect(try queue.get(timeout: .seconds(5)) == 7)
    }

    @Test func killedWhileATransactionBodyWaitsForARead() throws {
        let own = try RedisServer()
        let connection = own.connection()
        let key = uniqueKey()
        try connection.send(RedisCommand("PING"))
        let started = Mutex(false)
        let killed = Self.kill(own) { started.withLock { $0 } }
        let (outcome, _) = try #require(Engine.bounded { () throws(PotteryError) in
            try connection.transaction(watching: [key]) { transaction throws(PotteryError) in
                started.withLock { $0 = true }
                try transaction.send(command("DEBUG", "SLEEP", "2"))  // the server dies meanwhile
                transaction.enqueue(command("SET", key.description, "never"))
            }
        })
        #expect(killed.wait(timeout: .now() + 10) == .success)
        let error = try #require(Engine.failure(outcome))
        #expect(error.code == .connectionError, "\(error)")
        try own.restart()
        let (_, replies) = try connection.transaction(watching: [key]) { transaction throws(PotteryError) in
            transaction.enqueue(command("SET", key.description, "after"))
        }
        #expect(replies == [.status("OK")])
        #expect(try connection.send(RedisCommand("GET", key: key)) == Engine.bulk("after"))
    }

    @Test func killedBetweenTheBodyAndExec() throws {
        let own = try RedisServer()
        let connection = own.connection()
        let key = uniqueKey()
        let (outcome, _) = try #require(Engine.bounded { () throws(PotteryError) in
            try connection.transaction(watching: [key]) { transaction throws(PotteryError) in
                _ = try transaction.send(RedisCommand("GET", key: key))
                own.kill()
                transaction.enqueue(command("SET", key.description, "never"))
            }
        })
        let error = try #require(Engine.failure(outcome))
        #expect(error.code == .connectionError, "\(error)")
        try own.restart()
        #expect(try connection.send(RedisCommand("GET", key: key)) == .null)
    }

    @Test func aConnectionLostAfterWatchNeverCommitsWithoutTheWatch() throws {
        // The server drops the watching connection (CLIENT KILL, a timeout, a failover) and
        // another client changes the watched key: EXEC must not run unwatched on a new socket,
        // writing a value computed from a stale read.
        let server = RedisServer.shared
        let connection = server.connection()
        let admin = server.connection()
        let key = uniqueKey()
        try connection.send(command("SET", key.description, "0"))
        let attempts = Mutex(0)
        let (outcome, _) = try #require(Engine.bounded { () throws(PotteryError) in
            try connection.transaction(watching: [key]) { transaction throws(PotteryError) in
                let attempt = attempts.withLock { $0 += 1; return $0 }
                let read = try transaction.send(RedisCommand("GET", key: key))
                if attempt == 1 {
                    let id = try transaction.send(RedisCommand("CLIENT").with("ID")).integer ?? -1
                    try admin.send(command("SET", key.description, "intruder"))
                    try admin.send(RedisCommand("CLIENT").with("KILL", "ID", String(id)))
                    usleep(20_000)
                }
                transaction.enqueue(command("SET", key.description, "from " + String(decoding: read.bytes ?? [], as: UTF8.self)))
            }
        })
        let final = try connection.send(RedisCommand("GET", key: key))
        switch outcome {
        case .success:
            // Retried on a fresh WATCH: the write is based on the intruder's value.
            #expect(final == Engine.bulk("from intruder"))
            #expect(attempts.withLock { $0 } == 2)
        case .failure(let error):
            #expect(error.code == .connectionError, "\(error)")
            #expect(final == Engine.bulk("intruder"))
        }
        try connection.send(RedisCommand("DEL", key: key))
    }
}

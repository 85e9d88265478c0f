import Foundation
import Synchronization
import PotteryKit
import PotteryTestSupport
import Testing

/// Tiny and per-call time limits against frozen (SIGSTOP) and sleeping servers.
@Suite struct TimeoutTests {
    @Test(arguments: [Duration.nanoseconds(100), .zero])
    func tinyIoTimeoutAgainstAFrozenServerFailsAtOnceAndTheNextCallGetsItsOwnReply(ioTimeout: Duration) throws {
        let own = try RedisServer()
        defer { own.thaw() }
        let connection = RedisConnection(Engine.configuration(own, ioTimeout: ioTimeout))
        // Connected first: a per-call deadline replaces the (tiny) inactivity limit.
        #expect(try connection.send(Engine.echo("warm"), deadline: .now + .seconds(5)) == Engine.bulk("warm"))

        own.freeze()
        let (result, took) = try #require(Engine.bounded { () throws(PotteryError) in
            try connection.send(Engine.echo("first"))
        })
        let error = try #require(Engine.failure(result))
        #expect(error.code == .timeout)
        #expect(error.message.contains("outcome is unknown"), "\(error)")
        #expect(took < .milliseconds(500))

        own.thaw()
        // The server now answers "first" on the old socket; the connection must
        // not take it for the answer to "second".
        let (again, _) = try #require(Engine.bounded { () throws(PotteryError) in
            try connection.send(Engine.echo("second"), deadline: .now + .seconds(5))
        })
        #expect(try again.get() == Engine.bulk("second"))
    }

    @Test func tinyIoTimeoutWhileConnectingToAFrozenServerFailsAtOnce() throws {
        let own = try RedisServer()
        defer { own.thaw() }
        // Never connected: the kernel completes the handshake for the frozen server.
        let connection = RedisConnection(Engine.configuration(own, ioTimeout: .nanoseconds(100)))
        own.freeze()
        let (result, took) = try #require(Engine.bounded { () throws(PotteryError) in
            try connection.send(Engine.echo("first"))
        })
        #expect(Engine.failure(result)?.code == .timeout)
        #expect(took < .milliseconds(500))
        own.thaw()
        let (again, _) = try #require(Engine.bounded { () throws(PotteryError) in
            try connection.send(Engine.echo("second"), deadline: .now + .seconds(5))
        })
        #expect(try again.get() == Engine.bulk("second"))
    }

    @Test(arguments: [Duration.nanoseconds(100), .milliseconds(100)])
    func connectTimeoutAgainstAnUnansweredListener(connectTimeout: Duration) throws {
        let listener = try UnansweredListener()
        var configuration = try RedisConfiguration(url: "redis://127.0.0.1:\(listener.port)/0")
        configuration.connectTimeout = connectTimeout
        let connection = RedisConnection(configuration)
        let (result, took) = try #require(Engine.bounded { () throws(PotteryError) in
            try connection.send(RedisCommand("PING"))
        })
        let error = try #require(Engine.failure(result))
        #expect(error.code == .timeout, "\(error)")
        #expect(error.message.contains("cannot connect"), "\(error)")
        #expect(took >= connectTimeout)
        #expect(took < connectTimeout + .milliseconds(500))
    }

    @Test func aDeadlineShorterThanTheConnectTimeoutLimitsTheConnect() throws {
        let listener = try UnansweredListener()
        var configuration = try RedisConfiguration(url: "redis://127.0.0.1:\(listener.port)/0")
        configuration.connectTimeout = .seconds(5)
        let connection = RedisConnection(configuration)
        let (result, took) = try #require(Engine.bounded { () throws(PotteryError) in
            try connection.send(RedisCommand("PING"), deadline: .now + .milliseconds(100))
        })
        #expect(Engine.failure(result)?.code == .timeout)
        #expect(took >= .milliseconds(95))
        #expect(took < .milliseconds(800))
    }

    @Test func aPerCallDeadlineEndsACallAndALaterCallGetsItsOwnReply() throws {
        let own = try RedisServer()  // DEBUG SLEEP blocks the whole server
        let connection = own.connection()
        let key = uniqueKey()
        try connection.send(command("SET", key.description, "v"))
        let (result, took) = try #require(Engine.bounded { () throws(PotteryError) in
            try connection.send(command("DEBUG", "SLEEP", "0.5"), deadline: .now + .milliseconds(100))
        })
        let error = try #require(Engine.failure(result))
        #expect(error.code == .timeout)
        #expect(error.message.contains("outcome is unknown"))
        #expect(took >= .milliseconds(95))
        #expect(took < .milliseconds(450))
        // DEBUG SLEEP's late "+OK" must not answer GET.
        #expect(try connection.send(RedisCommand("GET", key: key)) == Engine.bulk("v"))
        #expect(try connection.send(Engine.echo("after")) == Engine.bulk("after"))
    }

    @Test func ioTimeoutIsALimitOnSilenceNotOnTheCall() throws {
        let own = try RedisServer()
        let connection = RedisConnection(Engine.configuration(own, ioTimeout: .milliseconds(200)))
        #expect(try connection.send(command("DEBUG", "SLEEP", "0.1")) == .status("OK"))
        // A deadline replaces the inactivity limit for that call.
        #expect(try connection.send(command("DEBUG", "SLEEP", "0.4"), deadline: .now + .seconds(3)) == .status("OK"))
        // Without one, the limit applies again.
        let (result, took) = Engine.timed { () throws(PotteryError) in try connection.send(command("DEBUG", "SLEEP", "0.6")) }
        #expect(Engine.failure(result)?.code == .timeout)
        #expect(took >= .milliseconds(190))
        #expect(took < .milliseconds(580))
        usleep(400_000)
        #expect(try connection.send(Engine.echo("awake")) == Engine.bulk("awake"))
    }

    @Test func aDeadlineAlreadyPastFailsWithoutWaiting() throws {
        let own = try RedisServer()
        let connection = own.connection()
        try connection.send(RedisCommand("PING"))
        let (result, took) = Engine.timed { () throws(PotteryError) in
            try connection.send(Engine.echo("late"), deadline: .now - .seconds(1))
        }
        #expect(Engine.failure(result)?.code == .timeout)
        #expect(took < .milliseconds(200))
        #expect(try connection.send(Engine.echo("next")) == Engine.bulk("next"))
    }
}

/// ioTimeout counts silence, and a write the server is slowly taking is not silence.
@Suite struct SlowWriteTests {
    @Test func aLargeWriteToASlowlyReadingServerIsNotATimeout() throws {
        let own = try RedisServer(config: ["client-query-buffer-limit 1gb", "proto-max-bulk-len 1gb"])
        defer { own.thaw() }
        // 1.5 s of allowed silence: on a loaded 2-core machine the server may need most of a second
        // after the last byte to take in 128 MB and answer. The write still outlasts it (30 bursts or so;
        // 64 MB once went through in 1.47 s on a machine with larger socket buffers).
        let connection = RedisConnection(Engine.configuration(own, ioTimeout: .milliseconds(1500)))
        try connection.send(RedisCommand("PING"))
        let key = uniqueKey()
        var large = RedisCommand("SET", key: key)
        large.append(bytes: [UInt8](repeating: 0x61, count: 128 << 20))
        let set = large
        // The server reads in short bursts: frozen 200 ms, then awake until it has answered a PING
        // (so it ran at least once, however busy the machine), until the call ends. Each burst takes
        // about 4 MB (the socket buffers), so the write goes on for longer than ioTimeout, but is
        // never silent that long.
        let admin = own.connection()
        let stop = Mutex(false)
        let pulsing = DispatchSemaphore(value: 0)
        Thread {
            while !stop.withLock({ $0 }) {
                own.freeze()
                usleep(200_000)
                own.thaw()
                _ = try? admin.send(RedisCommand("PING"), deadline: .now + .seconds(5))
            }
            pulsing.signal()
        }.start()
        let (outcome, took) = try #require(Engine.bounded(.seconds(30)) { () throws(PotteryError) in try connection.send(set) })
        stop.withLock { $0 = true }
        #expect(pulsing.wait(timeout: .now() + 5) == .success)
        own.thaw()
        #expect(try outcome.get() == .status("OK"), "after \(took)")
        #expect(took > .milliseconds(1500), "the write must outlast the limit for this test to mean anything")
        #expect(try connection.send(RedisCommand("STRLEN", key: key)) == .integer(128 << 20))
        try connection.send(RedisCommand("DEL", key: key))
    }
}

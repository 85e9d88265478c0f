import Foundation
import PotteryKit
import PotteryTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// How many SIGUSR2 the no-op handler saw (written only by the handler).
nonisolated(unsafe) var interruptingSignalCount = 0

/// Deadlines and idle timeouts hold the same in the single command's own
/// exchange (`SingleCommandExchange.swift`) as in the general exchange
/// (`ExchangeEngine.run(_:)`), each next to the general path: a deadline
/// already past while a large command is written, and signals (a library
/// user's handler, EINTR) interrupting a wait, which must not start it over.
@Suite(.serialized) struct InterruptedWaitTests {
    /// A SET larger than the socket buffers hold, so that the write waits in `poll(2)`.
    private static func largeSet(_ key: RedisKey) -> RedisCommand {
        var set = RedisCommand("SET", key: key)
        set.append(bytes: [UInt8](repeating: UInt8(ascii: "x"), count: 32 << 20))
        return set
    }

    /// Control: the general exchange (a one-command pipeline with a deadline)
    /// ends at once when the deadline has passed, even while the frozen server
    /// takes no more bytes.
    @Test func generalPathAPastDeadlineEndsAWriteTheFrozenServerCannotTake() throws {
        let server = try RedisServer()
        defer { server.thaw() }
        let connection = server.connection()
        #expect(try connection.send(Engine.echo("warm")) == Engine.bulk("warm"))
        server.freeze()
        let set = Self.largeSet(uniqueKey())
        let outcome = Engine.bounded(.seconds(10)) { () throws(PotteryError) in
            try connection.pipeline([set], deadline: .now - .milliseconds(500))
        }
        server.thaw()
        let (result, took) = try #require(outcome)
        let error = try #require(Engine.failure(result))
        #expect(error.code == .timeout, "\(error)")
        #expect(took < .seconds(5))  // (a wait without end: the 10 s bound)
    }

    /// The single command's exchange: a deadline passed by 1 ms to 1 s once gave
    /// a negative `poll(2)` timeout (`Duration.components` truncates toward zero:
    /// -0.5 s is (0 s, -5e17 as)), which waits for ever: the call ignored its
    /// deadline and hung while the server was frozen.
    @Test func singleCommandAPastDeadlineEndsAWriteTheFrozenServerCannotTake() throws {
        let server = try RedisServer()
        defer { server.thaw() }
        let connection = server.connection()
        #expect(try connection.send(Engine.echo("warm")) == Engine.bulk("warm"))
        server.freeze()
        let set = Self.largeSet(uniqueKey())
        let outcome = Engine.bounded(.seconds(10)) { () throws(PotteryError) in
            try connection.send(set, deadline: .now - .milliseconds(500))
        }
        server.thaw()  // lets a hung call finish (it then writes the whole SET and times out in the read)
        let (result, took) = try #require(outcome)
        let error = try #require(Engine.failure(result))
        #expect(error.code == .timeout, "\(error)")
        #expect(took < .seconds(5))  // (a wait without end: the 10 s bound)
    }

    // MARK: - EINTR in the read of a deadline nearer than the idle timeout

    /// Sends SIGUSR2 (a no-op handler installed) to the thread that runs
    /// `body` every 50 ms for `signalling`, and returns how long `body` took.
    private static func underSignals(for signalling: Duration,
                                     _ body: @escaping @Sendable () throws(PotteryError) -> [RedisReply])
        -> (Result<[RedisReply], PotteryError>, Duration)? {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in interruptingSignalCount += 1 }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART  // even so: a socket read with SO_RCVTIMEO fails with EINTR
        sigaction(SIGUSR2, &action, nil)
        let target = Target()
        let stop = ContinuousClock.now + signalling
        let signaller = Thread {
            while target.get() == nil { usleep(1_000) }
            while ContinuousClock.now < stop, target.signal() { usleep(50_000) }
        }
        signaller.start()
        return Engine.bounded(.seconds(20)) { () throws(PotteryError) in
            var unblock = sigset_t()
            sigemptyset(&unblock)
            sigaddset(&unblock, SIGUSR2)
            pthread_sigmask(SIG_UNBLOCK, &unblock, nil)  // the test runner's threads start with it blocked
            target.set(pthread_self())
            defer { target.set(nil) }
            return try body()
        }
    }

    private final class Target: @unchecked Sendable {
        private let lock = NSLock()
        private var thread: pthread_t?
        func set(_ value: pthread_t?) { lock.lock(); thread = value; lock.unlock() }
        func get() -> pthread_t? { lock.lock(); defer { lock.unlock() }; return thread }
        /// Signals the thread while it is still set (under the lock: never once it has left `body`).
        func signal() -> Bool {
            lock.lock(); defer { lock.unlock() }
            guard let thread else { return false }
            pthread_kill(thread, SIGUSR2)
            return true
        }
    }

    /// Control: the general exchange polls against its deadline, and after an
    /// interrupted `poll(2)` looks at the clock again: it ends at the deadline.
    @Test func generalPathSignalsDoNotStretchADeadlineNearerThanTheIdleTimeout() throws {
        let server = try RedisServer()
        let connection = RedisConnection(Engine.configuration(server, ioTimeout: .seconds(30)))
        #expect(try connection.send(Engine.echo("warm")) == Engine.bulk("warm"))
        var blpop = RedisCommand("BLPOP", key: uniqueKey())
        blpop.append("10")
        let wait = blpop
        let (result, took) = try #require(Self.underSignals(for: .seconds(6)) { () throws(PotteryError) in
            try connection.pipeline([wait], deadline: .now + .milliseconds(300))
        })
        let error = try #require(Engine.failure(result))
        #expect(error.code == .timeout, "\(error)")
        #expect(took < .seconds(3), "took \(took)")  // (signals for 6 s would keep a wait that starts over going)
        #expect(interruptingSignalCount > 0)  // the signals did arrive
    }

    /// The single command's exchange waits for a deadline nearer than the idle
    /// timeout in the read itself (SO_RCVTIMEO set to what remained): a signal
    /// makes that read fail with EINTR, and `readWaiting(timeout:for:)` reads
    /// again with the same receive timeout, so each signal starts the whole
    /// wait over. Signals every 50 ms keep the call going until they stop.
    @Test func singleCommandSignalsDoNotStretchADeadlineNearerThanTheIdleTimeout() throws {
        let server = try RedisServer()
        let connection = RedisConnection(Engine.configuration(server, ioTimeout: .seconds(30)))
        #expect(try connection.send(Engine.echo("warm")) == Engine.bulk("warm"))
        var blpop = RedisCommand("BLPOP", key: uniqueKey())
        blpop.append("10")
        let wait = blpop
        let (result, took) = try #require(Self.underSignals(for: .seconds(6)) { () throws(PotteryError) in
            [try connection.send(wait, deadline: .now + .milliseconds(300))]
        })
        let error = try #require(Engine.failure(result))
        #expect(error.code == .timeout, "\(error)")
        #expect(took < .seconds(3), "took \(took)")  // (signals for 6 s would keep a wait that starts over going)
        #expect(interruptingSignalCount > 0)  // the signals did arrive
    }

    // MARK: - EINTR in the write's poll, without a deadline

    /// Control: the general exchange measures the idle timeout from its last
    /// progress (`lastProgress`), so an interrupted `poll(2)` does not restart it.
    @Test func generalPathSignalsDoNotStretchTheIdleTimeoutOfAWrite() throws {
        let server = try RedisServer()
        defer { server.thaw() }
        let connection = RedisConnection(Engine.configuration(server, ioTimeout: .milliseconds(300)))
        #expect(try connection.send(Engine.echo("warm")) == Engine.bulk("warm"))
        server.freeze()
        let set = Self.largeSet(uniqueKey())
        let (result, took) = try #require(Self.underSignals(for: .seconds(6)) { () throws(PotteryError) in
            try connection.pipeline([set])
        })
        let error = try #require(Engine.failure(result))
        #expect(error.code == .timeout, "\(error)")
        #expect(took < .seconds(3), "took \(took)")  // (signals for 6 s would keep a wait that starts over going)
    }

    /// The single command's exchange waits for a socket that takes no more
    /// bytes in `poll(2)` with the whole idle timeout each time round: after
    /// EINTR it polls again for the whole idle timeout, so signals every 50 ms
    /// keep a write to a frozen server going until they stop.
    @Test func singleCommandSignalsDoNotStretchTheIdleTimeoutOfAWrite() throws {
        let server = try RedisServer()
        defer { server.thaw() }
        let connection = RedisConnection(Engine.configuration(server, ioTimeout: .milliseconds(300)))
        #expect(try connection.send(Engine.echo("warm")) == Engine.bulk("warm"))
        server.freeze()
        let set = Self.largeSet(uniqueKey())
        let (result, took) = try #require(Self.underSignals(for: .seconds(6)) { () throws(PotteryError) in
            [try connection.send(set)]
        })
        let error = try #require(Engine.failure(result))
        #expect(error.code == .timeout, "\(error)")
        #expect(took < .seconds(3), "took \(took)")  // (signals for 6 s would keep a wait that starts over going)
    }
}

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

    /// The two ways one command goes: the general exchange (a one-command
    /// pipeline) and the single command's own (`send`).
    enum Path: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case general, single
        var testDescription: String { rawValue }

        func run(_ command: RedisCommand, on connection: RedisConnection,
                 deadline: ContinuousClock.Instant? = nil) throws(PotteryError) -> [RedisReply] {
            switch self {
            case .general: return try connection.pipeline([command], deadline: deadline)
            case .single: return [try connection.send(command, deadline: deadline)]
            }
        }
    }

    /// A deadline already past while a large command waits for a frozen server
    /// to take it ends the call at once. (The single command's exchange once
    /// turned a deadline passed by 1 ms to 1 s into a negative `poll(2)`
    /// timeout, `Duration.components` truncating toward zero, and waited for ever.)
    @Test(arguments: Path.allCases)
    func aPastDeadlineEndsAWriteTheFrozenServerCannotTake(path: Path) throws {
        let server = try RedisServer()
        defer { server.thaw() }
        let connection = server.connection()
        #expect(try connection.send(Engine.echo("warm")) == Engine.bulk("warm"))
        server.freeze()
        let set = Self.largeSet(uniqueKey())
        let outcome = Engine.bounded(.seconds(10)) { () throws(PotteryError) in
            try path.run(set, on: connection, deadline: .now - .milliseconds(500))
        }
        server.thaw()  // lets a call that waits for ever finish
        let (result, took) = try #require(outcome)
        let error = try #require(Engine.failure(result))
        #expect(error.code == .timeout, "\(error)")
        #expect(took < .seconds(5))  // (a wait without end: the 10 s bound)
    }

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

    /// Signals every 50 ms do not stretch a deadline nearer than the idle
    /// timeout: the single command's exchange waits for it in the read
    /// (SO_RCVTIMEO), which a signal interrupts (EINTR, even with
    /// `SA_RESTART`); the read goes on for what is left, not for all of it again.
    @Test(arguments: Path.allCases)
    func signalsDoNotStretchADeadlineNearerThanTheIdleTimeout(path: Path) throws {
        let server = try RedisServer()
        let connection = RedisConnection(Engine.configuration(server, ioTimeout: .seconds(30)))
        #expect(try connection.send(Engine.echo("warm")) == Engine.bulk("warm"))
        var blpop = RedisCommand("BLPOP", key: uniqueKey())
        blpop.append("10")
        let wait = blpop
        let (result, took) = try #require(Self.underSignals(for: .seconds(6)) { () throws(PotteryError) in
            try path.run(wait, on: connection, deadline: .now + .milliseconds(300))
        })
        let error = try #require(Engine.failure(result))
        #expect(error.code == .timeout, "\(error)")
        #expect(took < .seconds(3), "took \(took)")  // (signals for 6 s would keep a wait that starts over going)
        #expect(interruptingSignalCount > 0)  // the signals did arrive
    }

    /// Signals every 50 ms do not stretch the idle timeout of a write that a
    /// frozen server does not take: it counts from the last bytes written, not
    /// from each interrupted `poll(2)`.
    @Test(arguments: Path.allCases)
    func signalsDoNotStretchTheIdleTimeoutOfAWrite(path: Path) throws {
        let server = try RedisServer()
        defer { server.thaw() }
        let connection = RedisConnection(Engine.configuration(server, ioTimeout: .milliseconds(300)))
        #expect(try connection.send(Engine.echo("warm")) == Engine.bulk("warm"))
        server.freeze()
        let set = Self.largeSet(uniqueKey())
        let (result, took) = try #require(Self.underSignals(for: .seconds(6)) { () throws(PotteryError) in
            try path.run(set, on: connection)
        })
        let error = try #require(Engine.failure(result))
        #expect(error.code == .timeout, "\(error)")
        #expect(took < .seconds(3), "took \(took)")  // (signals for 6 s would keep a wait that starts over going)
    }
}

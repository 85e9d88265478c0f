import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// Shared helpers for the tests of the non-blocking exchange engine.
enum Engine {
    static let clock = ContinuousClock()

    /// Runs `body`, returning its outcome and how long it took.
    static func timed<T>(_ body: () throws(PotteryError) -> T) -> (Result<T, PotteryError>, Duration) {
        let start = clock.now
        let result: Result<T, PotteryError>
        do throws(PotteryError) { result = .success(try body()) } catch { result = .failure(error) }
        return (result, clock.now - start)
    }

    /// Runs `body` on its own thread, failing the test (and returning `nil`)
    /// when it does not return within `limit`: a hang fails instead of
    /// blocking the suite.
    static func bounded<T: Sendable>(_ limit: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation,
                                     _ body: @escaping @Sendable () throws(PotteryError) -> T) -> (Result<T, PotteryError>, Duration)? {
        let outcome = Watchdog.run(within: limit) { timed(body) }
        if outcome == nil { Issue.record("the call did not return within \(limit)", sourceLocation: sourceLocation) }
        return outcome
    }

    /// The error of a result that must have failed.
    static func failure<T>(_ result: Result<T, PotteryError>, sourceLocation: SourceLocation = #_sourceLocation) -> PotteryError? {
        switch result {
        case .success(let value):
            Issue.record("expected an error, got \(value)", sourceLocation: sourceLocation)
            return nil
        case .failure(let error):
            return error
        }
    }

    /// The error `body` throws, or `nil` when it returns.
    static func caught<T>(_ body: () throws(PotteryError) -> T) -> PotteryError? {
        do throws(PotteryError) { _ = try body(); return nil } catch { return error }
    }

    /// `ECHO text`: a reply that names its own command.
    static func echo(_ text: String) -> RedisCommand {
        var echo = RedisCommand("ECHO")
        echo.append(text)
        return echo
    }

    static func bulk(_ text: String) -> RedisReply { .bulk(Array(text.utf8)) }

    /// Whether `key` exists, asked on `connection`.
    static func exists(_ key: RedisKey, on connection: RedisConnection) throws(PotteryError) -> Bool {
        try connection.send(RedisCommand("EXISTS", key: key)) == .integer(1)
    }

    /// Polls `condition` every 5 ms until it holds or `limit` passes.
    static func eventually(within limit: Duration = .seconds(3), _ condition: () throws(PotteryError) -> Bool) throws(PotteryError) -> Bool {
        let end = clock.now + limit
        while true {
            if try condition() { return true }
            if clock.now >= end { return false }
            usleep(5_000)
        }
    }

    /// A configuration for `server` over TCP with the given timeouts.
    static func configuration(_ server: RedisServer, ioTimeout: Duration? = .seconds(5),
                              connectTimeout: Duration = .seconds(1)) -> RedisConfiguration {
        var configuration = try! RedisConfiguration(url: server.url)
        configuration.ioTimeout = ioTimeout
        configuration.connectTimeout = connectTimeout
        return configuration
    }
}

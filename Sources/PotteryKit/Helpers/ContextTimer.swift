import Synchronization

/// Measures elapsed wall time in milliseconds on a monotonic clock, as
/// pottery's `ContextTimer`: start it once, stop it once, read
/// ``elapsed()`` at any time after the start.
///
/// ```swift
/// let timer = ContextTimer()
/// try timer.start()
/// work()
/// let ms = try timer.elapsed()   // so far
/// try timer.stop()               // elapsed() keeps the stop time from now on
///
/// let (value, ms) = ContextTimer.measure { _ in work() }  // the scoped form
/// ```
///
/// Misuse throws ``PotteryError/Code/valueError`` with pottery's messages
/// (pottery raises `RuntimeError`). Safe to share between threads.
public final class ContextTimer: Sendable {
    private struct Times {
        var started: ContinuousClock.Instant?
        var stopped: ContinuousClock.Instant?
    }

    private let times = Mutex(Times())

    /// A timer that has not started.
    public init() {}

    /// Starts the timer.
    /// - Throws: ``PotteryError/Code/valueError`` when it has already been started or stopped.
    public func start() throws(PotteryError) {
        try times.withLock { (times) throws(PotteryError) in
            if times.stopped != nil { throw PotteryError(.valueError, "timer has already been stopped") }
            if times.started != nil { throw PotteryError(.valueError, "timer has already been started") }
            times.started = .now
        }
    }

    /// Stops the timer: ``elapsed()`` measures up to now from then on.
    /// - Throws: ``PotteryError/Code/valueError`` when it was stopped already or never started.
    public func stop() throws(PotteryError) {
        try times.withLock { (times) throws(PotteryError) in
            if times.stopped != nil { throw PotteryError(.valueError, "timer has already been stopped") }
            guard times.started != nil else { throw PotteryError(.valueError, "timer hasn't yet been started") }
            times.stopped = .now
        }
    }

    /// The time from the start to the stop (or to now, while running), in
    /// whole milliseconds rounded as Python's `round()` (halves to even).
    /// - Throws: ``PotteryError/Code/valueError`` when the timer was never started.
    public func elapsed() throws(PotteryError) -> Int {
        let duration = try elapsedDuration()
        let milliseconds = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return Int(milliseconds.rounded(.toNearestOrEven))
    }

    /// The time from the start to the stop (or to now, while running), exactly.
    /// - Throws: ``PotteryError/Code/valueError`` when the timer was never started.
    public func elapsedDuration() throws(PotteryError) -> Duration {
        try times.withLock { (times) throws(PotteryError) -> Duration in
            guard let started = times.started else { throw PotteryError(.valueError, "timer hasn't yet been started") }
            return (times.stopped ?? .now) - started
        }
    }

    /// Runs `body` between this timer's start and stop, as pottery's
    /// `with timer:`; the timer is stopped even when `body` throws.
    /// - Throws: ``PotteryError/Code/valueError`` when the timer was already used; what `body` throws.
    public func time<R>(_ body: (ContextTimer) throws(PotteryError) -> R) throws(PotteryError) -> R {
        try start()
        defer { try? stop() }
        return try body(self)
    }

    /// Runs `body` with a new started timer and returns its result and the
    /// milliseconds it took: the scoped form, `with ContextTimer() as timer:`.
    public static func measure<R, E: Error>(_ body: (ContextTimer) throws(E) -> R) throws(E) -> (value: R, milliseconds: Int) {
        let timer = ContextTimer()
        timer.times.withLock { $0.started = .now }
        let value = try body(timer)
        try? timer.stop()
        return (value, (try? timer.elapsed()) ?? 0)
    }
}

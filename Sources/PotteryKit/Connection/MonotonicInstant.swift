#if canImport(Glibc)
import Glibc
#endif

/// A point in time on `CLOCK_MONOTONIC`, in nanoseconds: the exchange's own
/// clock for deadlines, idle limits and a socket's last answer.
///
/// Why not `ContinuousClock.Instant`: the standard library does not freeze its
/// layout, so outside the standard library every copy of an
/// `Optional<ContinuousClock.Instant>` goes through the runtime's value
/// witnesses. On a single command's path that was about 1,900 instructions a
/// call, a sixth of the client's work. This is one `Int64`, copied as one.
/// Public API keeps taking `ContinuousClock.Instant`; it is converted once,
/// where a call enters the connection (``init(_:)``).
struct MonotonicInstant: Comparable, Sendable {
    /// Nanoseconds since the clock's (boot-time) origin.
    var nanoseconds: Int64

    /// Now.
    static var now: MonotonicInstant {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return MonotonicInstant(nanoseconds: Int64(time.tv_sec) &* 1_000_000_000 &+ Int64(time.tv_nsec))
    }

    init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    /// The same moment as `instant` (read against both clocks now).
    init(_ instant: ContinuousClock.Instant) {
        self = .now + (instant - .now)
    }

    /// The same moment on `ContinuousClock`, for the APIs that take one.
    var continuous: ContinuousClock.Instant {
        ContinuousClock.now + (self - .now)
    }

    static func < (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    /// `instant` moved by `duration` (saturating: "in a thousand years" stays in the future).
    static func + (instant: MonotonicInstant, duration: Duration) -> MonotonicInstant {
        MonotonicInstant(nanoseconds: instant.nanoseconds.addingSaturating(duration.nanoseconds))
    }

    /// The time from `rhs` to `lhs`.
    static func - (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Duration {
        .nanoseconds(lhs.nanoseconds.subtractingSaturating(rhs.nanoseconds))
    }
}

extension Duration {
    /// This duration in whole nanoseconds (rounded toward zero, saturating at `Int64`'s range).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return whole.addingSaturating(attoseconds / 1_000_000_000)
    }
}

extension Int64 {
    func addingSaturating(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other < 0 ? .min : .max) : sum
    }

    func subtractingSaturating(_ other: Int64) -> Int64 {
        let (difference, overflow) = subtractingReportingOverflow(other)
        return overflow ? (other < 0 ? .max : .min) : difference
    }
}

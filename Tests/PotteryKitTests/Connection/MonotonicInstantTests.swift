@testable import PotteryKit
import PotteryTestSupport
import Testing

/// The exchange's clock: conversions from the public `ContinuousClock` deadlines,
/// and arithmetic that saturates rather than traps (a deadline "in a thousand years").
@Suite struct MonotonicInstantTests {
    @Test func durationsBecomeWholeNanoseconds() {
        #expect(Duration.seconds(1).nanoseconds == 1_000_000_000)
        #expect(Duration.milliseconds(-3).nanoseconds == -3_000_000)
        #expect(Duration.microseconds(1).nanoseconds == 1_000)
        #expect(Duration.nanoseconds(7).nanoseconds == 7)
        #expect((Duration.nanoseconds(1) / 4).nanoseconds == 0)  // below a nanosecond: rounded toward zero
        #expect(Duration.seconds(Int64.max).nanoseconds == Int64.max)
        #expect(Duration.seconds(Int64.min).nanoseconds == Int64.min)
    }

    @Test func arithmeticSaturates() {
        let late = MonotonicInstant(nanoseconds: Int64.max - 5)
        #expect((late + .seconds(1)).nanoseconds == Int64.max)
        let early = MonotonicInstant(nanoseconds: Int64.min + 5)
        #expect((early + .seconds(-1)).nanoseconds == Int64.min)
        #expect(late - early == .nanoseconds(Int64.max))
        #expect(early - late == .nanoseconds(Int64.min))
        let now = MonotonicInstant.now
        #expect(now + .milliseconds(5) - now == .milliseconds(5))
        #expect(now < now + .nanoseconds(1))
    }

    @Test func aContinuousClockDeadlineKeepsItsDistanceFromNow() {
        // Both clocks are read around the conversion; only a stall of many
        // seconds between the reads could move the result this far.
        let deadline = ContinuousClock.now + .seconds(100)
        let converted = MonotonicInstant(deadline)
        let left = converted - MonotonicInstant.now
        #expect(left <= .seconds(100))
        #expect(left > .seconds(90))
        let back = converted.continuous - ContinuousClock.now
        #expect(back <= .seconds(100))
        #expect(back > .seconds(90))
        let past = MonotonicInstant(ContinuousClock.now - .seconds(30))
        #expect(past < MonotonicInstant.now)
    }

    @Test func theClockNeverGoesBack() {
        var previous = MonotonicInstant.now
        for _ in 0..<10_000 {
            let next = MonotonicInstant.now
            #expect(next >= previous)
            previous = next
        }
    }
}

import PotteryKit
import Testing

/// ContextTimer's states and errors, as pottery's. No assertion on how long
/// anything takes beyond "at least the time slept" (timing belongs in benchmarks).
@Suite struct ContextTimerTests {
    func sleep(milliseconds: Int) {
        let until = ContinuousClock.now + .milliseconds(milliseconds)
        while ContinuousClock.now < until {}
    }

    @Test func startStopElapsedAndMisuse() throws {
        let timer = ContextTimer()
        var error = #expect(throws: PotteryError.self) { try timer.elapsed() }
        #expect(error?.message == "timer hasn't yet been started" && error?.code == .valueError)
        error = #expect(throws: PotteryError.self) { try timer.stop() }
        #expect(error?.message == "timer hasn't yet been started")
        try timer.start()
        error = #expect(throws: PotteryError.self) { try timer.start() }
        #expect(error?.message == "timer has already been started")
        sleep(milliseconds: 20)
        let running = try timer.elapsed()
        #expect(running >= 20)
        try timer.stop()
        let stopped = try timer.elapsedDuration()
        sleep(milliseconds: 5)
        #expect(try timer.elapsedDuration() == stopped)  // frozen at the stop
        #expect(try timer.elapsed() >= running)
        error = #expect(throws: PotteryError.self) { try timer.stop() }
        #expect(error?.message == "timer has already been stopped")
        error = #expect(throws: PotteryError.self) { try timer.start() }
        #expect(error?.message == "timer has already been stopped")
        error = #expect(throws: PotteryError.self) { try timer.time { _ in 1 } }
        #expect(error?.message == "timer has already been stopped")
    }

    @Test func scopedForms() throws {
        let (value, milliseconds) = ContextTimer.measure { timer in
            sleep(milliseconds: 15)
            return (try? timer.elapsed()) ?? -1
        }
        #expect(value >= 15 && milliseconds >= value)
        let timer = ContextTimer()
        let inside = try timer.time { (timer) throws(PotteryError) in
            sleep(milliseconds: 10)
            return try timer.elapsed()
        }
        #expect(inside >= 10)
        let after = try timer.elapsedDuration()
        sleep(milliseconds: 3)
        #expect(try timer.elapsedDuration() == after)  // stopped when the body ended
        // Stopped even when the body throws.
        let failing = ContextTimer()
        #expect(throws: PotteryError.self) {
            try failing.time { (_) throws(PotteryError) in throw PotteryError(.keyError, "boom") }
        }
        #expect(throws: PotteryError.self) { try failing.stop() }
    }
}

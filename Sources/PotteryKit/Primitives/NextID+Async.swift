extension NextID {
    /// ``next()`` without blocking Swift's cooperative thread pool (pottery's
    /// `AIONextID`): the round runs on a thread of its own.
    public func next() async throws -> Int {
        try await BackgroundThread.run { () throws(PotteryError) -> Int in try self.next() }
    }

    /// ``next(count:)`` on a thread of its own.
    public func next(count: Int) async throws -> ClosedRange<Int> {
        try await BackgroundThread.run { () throws(PotteryError) -> ClosedRange<Int> in try self.next(count: count) }
    }

    /// ``current()`` on a thread of its own.
    public func current() async throws -> Int {
        try await BackgroundThread.run { () throws(PotteryError) -> Int in try self.current() }
    }

    /// ``reset()`` on a thread of its own.
    public func reset() async throws {
        try await BackgroundThread.run { () throws(PotteryError) in try self.reset() }
    }
}

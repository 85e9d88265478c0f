extension RedisSemaphore {
    /// Takes a permit without blocking Swift's cooperative thread pool: the
    /// attempts run on a thread of their own.
    ///
    /// Cancelling the calling task stops the wait and leaves the queue; a
    /// permit taken meanwhile is given back and `CancellationError` is thrown.
    public func acquire(blocking: Bool = true, timeout: Duration? = nil) async throws -> SemaphorePermit? {
        let permit = try await BackgroundThread.runCancellable { isCancelled throws(PotteryError) -> SemaphorePermit? in
            try self.acquire(blocking: blocking, timeout: timeout, isCancelled: isCancelled)
        }
        if Task.isCancelled {
            if let permit { try? await release(permit) }
            throw CancellationError()
        }
        return permit
    }

    /// ``release(_:)`` on a thread of its own.
    public func release(_ permit: SemaphorePermit) async throws {
        try await BackgroundThread.run { () throws(PotteryError) in try self.release(permit) }
    }

    /// ``extend(_:)`` on a thread of its own.
    public func extend(_ permit: SemaphorePermit) async throws {
        try await BackgroundThread.run { () throws(PotteryError) in try self.extend(permit) }
    }

    /// Runs `body` holding a permit, without blocking the cooperative pool.
    ///
    /// With `watchdog`, the lease is extended while `body` runs, and `body`'s
    /// task is **cancelled** if the lease is lost; ``SemaphorePermit/isLost``
    /// tells why. The permit is given back when `body` ends, whatever happens.
    /// - Throws: ``PotteryError/Code/quorumNotAchieved`` when no permit was free
    ///   in time; whatever `body` throws; `CancellationError`.
    public func withPermit<R: Sendable>(blocking: Bool = true, timeout: Duration? = nil, watchdog: Bool = false,
                                        _ body: @escaping @Sendable (SemaphorePermit) async throws -> R) async throws -> R {
        let permit = try await BackgroundThread.runCancellable { isCancelled throws(PotteryError) -> SemaphorePermit in
            try self.take(blocking: blocking, timeout: timeout, isCancelled: isCancelled)
        }
        return try await LeasedWork.run(permit, watchdog: watchdog, release: { try await self.release(permit) }, body)
    }
}

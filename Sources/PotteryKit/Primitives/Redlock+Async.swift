extension Redlock {
    /// Takes the lock without blocking Swift's cooperative thread pool (the
    /// counterpart of pottery's `AIORedlock.acquire`): the attempts run on a
    /// thread of their own.
    ///
    /// Cancelling the calling task stops the attempts; a lease taken
    /// meanwhile is released and `CancellationError` is thrown.
    @discardableResult
    public func acquire(blocking: Bool = true, timeout: Duration? = nil) async throws -> Bool {
        let acquired = try await BackgroundThread.runCancellable { isCancelled throws(PotteryError) -> Bool in
            try self.acquire(blocking: blocking, timeout: timeout, isCancelled: isCancelled)
        }
        if Task.isCancelled {
            if acquired { try? await release() }
            throw CancellationError()
        }
        return acquired
    }

    /// ``release()`` on a thread of its own.
    public func release() async throws {
        try await BackgroundThread.run { () throws(PotteryError) in try self.release() }
    }

    /// ``extend()`` on a thread of its own.
    public func extend() async throws {
        try await BackgroundThread.run { () throws(PotteryError) in try self.extend() }
    }

    /// ``locked()`` on a thread of its own.
    public func locked() async throws -> Duration {
        try await BackgroundThread.run { () throws(PotteryError) -> Duration in try self.locked() }
    }

    /// Runs `body` holding the lock, without blocking the cooperative pool.
    ///
    /// With `watchdog`, the lease is extended while `body` runs, and `body`'s
    /// task is **cancelled** if the lease is lost; ``LockLease/isLost`` tells
    /// why it was. The lock is released when `body` ends, whatever happens.
    /// - Throws: ``PotteryError/Code/quorumNotAchieved`` when not acquired;
    ///   ``PotteryError/Code/releaseUnlockedLock`` after `body` when the lease
    ///   expired; whatever `body` throws; `CancellationError`.
    public func withLock<R: Sendable>(blocking: Bool = true, timeout: Duration? = nil, watchdog: Bool = false,
                                      _ body: @escaping @Sendable (LockLease) async throws -> R) async throws -> R {
        let lease = try await BackgroundThread.runCancellable { isCancelled throws(PotteryError) -> LockLease in
            try self.take(blocking: blocking, timeout: timeout, isCancelled: isCancelled)
        }
        return try await LeasedWork.run(lease, watchdog: watchdog, release: { try await self.release() }, body)
    }
}

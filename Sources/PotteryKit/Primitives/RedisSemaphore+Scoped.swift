extension RedisSemaphore {
    /// Runs `body` holding a permit, and gives it back when `body` ends.
    ///
    /// - Parameters:
    ///   - blocking: `false` makes one attempt.
    ///   - timeout: how long to wait for a permit (`nil`: as long as necessary).
    ///   - watchdog: keep extending the lease while `body` runs (see
    ///     ``SemaphorePermit``); `onLost` is called, once, from the watchdog's
    ///     thread if the lease is lost, and ``SemaphorePermit/isLost`` turns `true`.
    ///   - onLost: called once, from the watchdog's thread, when the lease is lost.
    ///   - body: the work to do holding the permit; it gets the permit.
    /// - Throws: ``PotteryError/Code/quorumNotAchieved`` when no permit was
    ///   free in time; ``PotteryError/Code/releaseUnlockedLock`` after `body`
    ///   when the lease had ended; whatever `body` throws (the permit is given back first).
    public func withPermit<R>(blocking: Bool = true, timeout: Duration? = nil, watchdog: Bool = false,
                              onLost: @escaping @Sendable (PotteryError) -> Void = { _ in },
                              _ body: (SemaphorePermit) throws -> R) throws -> R {
        let permit = try take(blocking: blocking, timeout: timeout, isCancelled: { false })
        return try LeasedWork.run(permit, watchdog: watchdog, onLost: onLost, release: { () throws(PotteryError) in
            try self.release(permit)
        }, body)
    }

    /// Starts a watchdog on `permit`: it extends the lease at a third of
    /// ``autoReleaseTime`` until ``LeaseWatchdog/stop()``, and calls `onLost`
    /// once, from its own thread, if the lease is lost.
    public func startWatchdog(for permit: SemaphorePermit,
                              onLost: @escaping @Sendable (PotteryError) -> Void) -> LeaseWatchdog {
        LeaseWatchdog(permit, onLost: onLost)
    }

    /// Acquires or throws `QuorumNotAchieved` (the lock's "not acquired", so scripts handle both alike).
    func take(blocking: Bool, timeout: Duration?, isCancelled: () -> Bool) throws(PotteryError) -> SemaphorePermit {
        guard let permit = try acquire(blocking: blocking, timeout: timeout, isCancelled: isCancelled) else {
            throw PotteryError(.quorumNotAchieved, "no permit of \(key) was free (limit \(limit))", key: key.description)
        }
        return permit
    }
}

extension Redlock {
    /// Runs `body` holding the lock, as pottery's `with redlock:`.
    ///
    /// - Parameters:
    ///   - blocking: `false` makes one attempt.
    ///   - timeout: how long to keep trying (`nil`: as long as necessary).
    ///   - watchdog: keep extending the lease while `body` runs (see
    ///     ``LockLease``); `onLost` is called, once, from the watchdog's thread
    ///     if the lease is lost, and ``LockLease/isLost`` turns `true`.
    ///   - onLost: called once, from the watchdog's thread, when the lease is lost.
    ///   - body: the critical section; it gets the lease.
    /// - Throws: ``PotteryError/Code/quorumNotAchieved`` when the lock was not
    ///   acquired; ``PotteryError/Code/releaseUnlockedLock`` after `body` when
    ///   the lease had expired; whatever `body` throws (the lock is released first).
    public func withLock<R>(blocking: Bool = true, timeout: Duration? = nil, watchdog: Bool = false,
                            onLost: @escaping @Sendable (PotteryError) -> Void = { _ in },
                            _ body: (LockLease) throws -> R) throws -> R {
        let lease = try take(blocking: blocking, timeout: timeout, isCancelled: { false })
        return try LeasedWork.run(lease, watchdog: watchdog, onLost: onLost, release: { () throws(PotteryError) in
            try self.release()
        }, body)
    }

    /// Starts a watchdog on the lease this object holds now: it extends the
    /// lease at a third of the TTL until ``LeaseWatchdog/stop()``, and calls
    /// `onLost` once, from its own thread, if the lease is lost (see ``LockLease``).
    /// Its extensions do not count against ``numExtensions``.
    ///
    /// - Throws: ``PotteryError/Code/extendUnlockedLock`` when no lease is held.
    public func startWatchdog(onLost: @escaping @Sendable (PotteryError) -> Void) throws(PotteryError) -> LockWatchdog {
        let (token, fence) = held.withLock { ($0.token, $0.fencingToken) }
        guard let token else {
            throw PotteryError(.extendUnlockedLock, "cannot watch \(key): not acquired by this holder", key: key.description)
        }
        return LockWatchdog(LockLease(lock: self, token: token, fencingToken: fence), onLost: onLost)
    }

    /// Acquires or throws `QuorumNotAchieved`, and describes the lease.
    func take(blocking: Bool, timeout: Duration?, isCancelled: () -> Bool) throws(PotteryError) -> LockLease {
        guard try acquire(blocking: blocking, timeout: timeout, isCancelled: isCancelled) else {
            throw PotteryError(.quorumNotAchieved, "could not acquire \(key)", key: key.description)
        }
        let (token, fence) = held.withLock { ($0.token, $0.fencingToken) }
        return LockLease(lock: self, token: token ?? "", fencingToken: fence)
    }

    /// Wraps `function` so that every call runs holding a new lock named
    /// `key`, as pottery's `@synchronize(key=...)` decorator.
    ///
    /// - Throws (from the wrapped function): ``PotteryError/Code/quorumNotAchieved``
    ///   when the lock was not acquired in time; whatever `function` throws.
    public static func synchronize<Argument, Result>(
        key name: String, masters: [RedisConnection], autoReleaseTime: Duration = .seconds(10),
        blocking: Bool = true, timeout: Duration? = nil,
        _ function: @escaping (Argument) throws -> Result
    ) -> (Argument) throws -> Result {
        { argument in
            let lock = Redlock(key: name, masters: masters, autoReleaseTime: autoReleaseTime)
            return try lock.withLock(blocking: blocking, timeout: timeout) { _ in try function(argument) }
        }
    }
}

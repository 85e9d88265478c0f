/// Keeps a lease (a ``Redlock``'s or a ``RedisSemaphore`` permit's) alive
/// while a body runs: extends it at a third of its TTL (the extension resets
/// the TTL, so two may fail before the lease lapses), retries a failed
/// extension every tenth of the TTL, and declares the lease lost, never
/// silently, when the server(s) refuse it or when the lease's validity runs
/// out on our monotonic clock before an extension is confirmed (etcd's local
/// deadline: the holder stops before anyone else can be granted the lease).
public final class LeaseWatchdog: @unchecked Sendable {  // unchecked: `stopped` is only touched under `condition`
    private let lease: any RenewableLease
    private let onLost: @Sendable (PotteryError) -> Void
    private let condition = ThreadCondition()
    // Guarded by `condition`.
    private var stopped = false
    private let finished = AtomicFlag()

    /// Starts watching `lease` on a thread of its own.
    init(_ lease: any RenewableLease, onLost: @escaping @Sendable (PotteryError) -> Void) {
        self.lease = lease
        self.onLost = onLost
        BackgroundThread.start { [self] in self.watch() }
    }

    /// Whether the lease was found lost (``stop()`` first for the final answer).
    public var isLost: Bool { lease.loss.isLost }

    /// Why the lease was lost, once it is.
    public var lossReason: PotteryError? { lease.loss.reasonForLoss }

    /// Stops extending, and waits until the watchdog thread has let go (an
    /// extension in flight finishes first). Call it before releasing the lock.
    public func stop() {
        condition.withLock {
            stopped = true
            condition.broadcast()
            while !finished.isSet { condition.wait() }
        }
    }

    private func watch() {
        let clock = ContinuousClock()
        let period = lease.leaseDuration / 3
        let retry = max(lease.leaseDuration / 10, .milliseconds(5))
        var nextExtension = clock.now + period
        while true {
            let validUntil = lease.leaseValidUntil ?? clock.now
            if waitUntil(min(nextExtension, validUntil), clock: clock) { break }
            if clock.now >= validUntil && clock.now < nextExtension {
                declareLost(PotteryError(.extendUnlockedLock,
                                         "no extension of \(lease.leaseKey) was confirmed before its validity ran out",
                                         key: lease.leaseKey.description))
                break
            }
            do {
                // An extension still unanswered when the lease's validity ends comes too late: waiting for it
                // (up to a whole TTL with frozen masters) would let the body run on without the lock.
                try lease.renewLease(notAfter: validUntil)
                nextExtension = clock.now + period
            } catch {
                // The server(s) answered and do not hold our token: lost now. Otherwise (servers slow or down) retry
                // until the local deadline says the lease may have lapsed.
                if error.code == .extendUnlockedLock && error.causes.isEmpty {
                    declareLost(error)
                    break
                }
                if clock.now >= validUntil {
                    declareLost(error)
                    break
                }
                nextExtension = clock.now + retry
            }
        }
        condition.withLock {
            finished.set()
            condition.broadcast()
        }
    }

    private func declareLost(_ error: PotteryError) {
        if lease.loss.markLost(error) { onLost(error) }
    }

    /// Sleeps until `instant` or until stopped; returns whether stopped.
    private func waitUntil(_ instant: ContinuousClock.Instant, clock: ContinuousClock) -> Bool {
        condition.withLock {
            while !stopped {
                if clock.now >= instant { return false }
                condition.wait(until: instant)
            }
            return true
        }
    }
}

/// The watchdog of a ``Redlock`` lease (the same type as a semaphore's).
public typealias LockWatchdog = LeaseWatchdog

import Synchronization

/// Whether a lease (a lock's or a semaphore permit's) was found lost, and
/// why: set once by a watchdog, read by the body that holds the lease.
final class LeaseLoss: Sendable {
    private let lost = AtomicFlag()
    private let reason = Mutex<PotteryError?>(nil)

    /// Whether the lease was found lost.
    var isLost: Bool { lost.isSet }

    /// Why the lease was lost, once it is.
    var reasonForLoss: PotteryError? { reason.withLock { $0 } }

    /// Marks the lease lost; returns whether this call did it.
    func markLost(_ error: PotteryError) -> Bool {
        reason.withLock { if $0 == nil { $0 = error } }
        return lost.set()
    }
}

/// A lease a ``LeaseWatchdog`` can keep alive: a ``LockLease`` or a
/// ``SemaphorePermit``.
protocol RenewableLease: AnyObject, Sendable {
    /// The Redis key, for messages.
    var leaseKey: RedisKey { get }
    /// How long one extension makes the lease live.
    var leaseDuration: Duration { get }
    /// Until when the lease is safe to rely on, on our monotonic clock; `nil` once released.
    var leaseValidUntil: ContinuousClock.Instant? { get }
    /// One extension, given up at `notAfter`. Throws ``PotteryError/Code/extendUnlockedLock``
    /// without ``PotteryError/causes`` when the server(s) answered that the lease is gone.
    func renewLease(notAfter: ContinuousClock.Instant) throws(PotteryError)
    /// Where the watchdog records a loss.
    var loss: LeaseLoss { get }
}

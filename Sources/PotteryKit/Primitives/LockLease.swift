/// One holding of a ``Redlock``, as the body of a scoped lock sees it.
///
/// With a watchdog, ``isLost`` turns `true` (and `onLost` is called) as soon
/// as the lease can no longer be trusted: an extension was refused by a
/// majority, or no extension was confirmed before the lease's validity ran
/// out on our own monotonic clock. A body doing long work should check it
/// between steps (the async form is also cancelled).
public final class LockLease: Sendable {
    /// The lock.
    public let lock: Redlock
    /// The lease's random token.
    public let token: String
    /// The lease's fencing token, when the lock draws them.
    public let fencingToken: Int?
    let loss = LeaseLoss()

    init(lock: Redlock, token: String, fencingToken: Int?) {
        self.lock = lock
        self.token = token
        self.fencingToken = fencingToken
    }

    /// Whether the watchdog found the lease lost.
    public var isLost: Bool { loss.isLost }

    /// Why the lease was lost, once it is.
    public var lossReason: PotteryError? { loss.reasonForLoss }
}

extension LockLease: RenewableLease {
    var leaseKey: RedisKey { lock.key }
    var leaseDuration: Duration { lock.autoReleaseTime }
    var leaseValidUntil: ContinuousClock.Instant? { lock.held.withLock { $0.validUntil } }

    func renewLease(notAfter: ContinuousClock.Instant) throws(PotteryError) {
        try lock.renew(token, counted: false, notAfter: notAfter)
    }
}

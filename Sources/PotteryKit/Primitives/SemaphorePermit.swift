import Synchronization

/// One permit of a ``RedisSemaphore``: its random token and its lease.
///
/// With a watchdog, ``isLost`` turns `true` (and `onLost` is called) as
/// soon as the lease can no longer be trusted: the server no longer holds
/// the token, or no extension was confirmed before the lease's validity ran
/// out on our own monotonic clock.
public final class SemaphorePermit: Sendable {
    /// The semaphore it belongs to.
    public let semaphore: RedisSemaphore
    /// The permit's random token (a lowercase UUID4), as `semaphore release --token` takes it.
    public let token: String
    let loss = LeaseLoss()
    private let validUntil: Mutex<ContinuousClock.Instant?>

    init(semaphore: RedisSemaphore, token: String, validUntil: ContinuousClock.Instant?) {
        self.semaphore = semaphore
        self.token = token
        self.validUntil = Mutex(validUntil)
    }

    /// Whether the watchdog found the lease lost.
    public var isLost: Bool { loss.isLost }

    /// Why the lease was lost, once it is.
    public var lossReason: PotteryError? { loss.reasonForLoss }

    /// How long the lease is safe to rely on from now: the lease less the
    /// round that granted (or last extended) it and drift, less the time
    /// since. `.zero` once released or expired.
    public var remainingValidity: Duration {
        guard let until = validUntil.withLock({ $0 }) else { return .zero }
        return max(until - .now, .zero)
    }

    func setValidUntil(_ instant: ContinuousClock.Instant?) {
        validUntil.withLock { $0 = instant }
    }
}

extension SemaphorePermit: RenewableLease {
    var leaseKey: RedisKey { semaphore.key }
    var leaseDuration: Duration { semaphore.autoReleaseTime }
    var leaseValidUntil: ContinuousClock.Instant? { validUntil.withLock { $0 } }

    func renewLease(notAfter: ContinuousClock.Instant) throws(PotteryError) {
        try semaphore.extend(self, notAfter: notAfter)
    }
}

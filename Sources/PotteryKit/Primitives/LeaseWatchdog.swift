#if canImport(Glibc)
import Glibc
#endif

/// Keeps a lease (a ``Redlock``'s or a ``RedisSemaphore`` permit's) alive
/// while a body runs: extends it at a third of its TTL (the extension resets
/// the TTL, so two may fail before the lease lapses), retries a failed
/// extension every tenth of the TTL, and declares the lease lost, never
/// silently, when the server(s) refuse it or when the lease's validity runs
/// out on our monotonic clock before an extension is confirmed (etcd's local
/// deadline: the holder stops before anyone else can be granted the lease).
public final class LeaseWatchdog: @unchecked Sendable {
    private let lease: any RenewableLease
    private let onLost: @Sendable (PotteryError) -> Void
    private var stopped = false
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let conditionMutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let finished = AtomicFlag()

    /// Starts watching `lease` on a thread of its own.
    init(_ lease: any RenewableLease, onLost: @escaping @Sendable (PotteryError) -> Void) {
        self.lease = lease
        self.onLost = onLost
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
        pthread_mutex_init(conditionMutex, nil)
        BackgroundThread.start { [self] in self.watch() }
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(conditionMutex)
        condition.deallocate()
        conditionMutex.deallocate()
    }

    /// Whether the lease was found lost (``stop()`` first for the final answer).
    public var isLost: Bool { lease.loss.isLost }

    /// Why the lease was lost, once it is.
    public var lossReason: PotteryError? { lease.loss.reasonForLoss }

    /// Stops extending, and waits until the watchdog thread has let go (an
    /// extension in flight finishes first). Call it before releasing the lock.
    public func stop() {
        pthread_mutex_lock(conditionMutex)
        stopped = true
        pthread_cond_broadcast(condition)
        while !finished.isSet { pthread_cond_wait(condition, conditionMutex) }
        pthread_mutex_unlock(conditionMutex)
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
        pthread_mutex_lock(conditionMutex)
        finished.set()
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(conditionMutex)
    }

    private func declareLost(_ error: PotteryError) {
        if lease.loss.markLost(error) { onLost(error) }
    }

    /// Sleeps until `instant` or until stopped; returns whether stopped.
    private func waitUntil(_ instant: ContinuousClock.Instant, clock: ContinuousClock) -> Bool {
        pthread_mutex_lock(conditionMutex)
        defer { pthread_mutex_unlock(conditionMutex) }
        while !stopped {
            let remaining = instant - clock.now
            if remaining <= .zero { return false }
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let (seconds, attoseconds) = remaining.components
            var nanos = now.tv_nsec + Int(attoseconds / 1_000_000_000)
            var secs = now.tv_sec + Int(seconds) + nanos / 1_000_000_000
            nanos %= 1_000_000_000
            if secs < now.tv_sec { secs = .max }
            var until = timespec(tv_sec: secs, tv_nsec: nanos)
            pthread_cond_timedwait(condition, conditionMutex, &until)
        }
        return true
    }
}

/// The watchdog of a ``Redlock`` lease (the same type as a semaphore's).
public typealias LockWatchdog = LeaseWatchdog

#if canImport(Glibc)
import Glibc
#endif

/// A pthread mutex and a condition variable (on the monotonic clock), for
/// threads of our own that wait for state guarded by the mutex to change.
/// Heap-allocated so their addresses never move.
///
/// `wait`, `signal` and `broadcast` are called with the lock held (inside
/// ``withLock(_:)``, or between ``lock()`` and ``unlock()``).
final class ThreadCondition: @unchecked Sendable {  // unchecked: two C objects, used only through pthread calls
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        mutex.initialize(to: pthread_mutex_t())
        condition.initialize(to: pthread_cond_t())
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }

    func unlock() { pthread_mutex_unlock(mutex) }

    /// Runs `body` holding the lock.
    func withLock<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Releases the lock until signalled (or woken spuriously: wait in a loop), then takes it again.
    func wait() { pthread_cond_wait(condition, mutex) }

    /// ``wait()`` that gives up at `deadline`; returns `false` once it has passed.
    @discardableResult
    func wait(until deadline: ContinuousClock.Instant) -> Bool {
        let remaining = ContinuousClock.now.duration(to: deadline)
        guard remaining > .zero else { return false }
        var wake = timespec()
        clock_gettime(CLOCK_MONOTONIC, &wake)
        let (seconds, attoseconds) = remaining.components
        let nanoseconds = wake.tv_nsec + Int(attoseconds / 1_000_000_000)
        // Past a century from now, "for ever" will do.
        wake.tv_sec += Int(min(seconds, 3_155_760_000)) + nanoseconds / 1_000_000_000
        wake.tv_nsec = nanoseconds % 1_000_000_000
        return pthread_cond_timedwait(condition, mutex, &wake) != ETIMEDOUT
    }

    /// Wakes one waiter.
    func signal() { pthread_cond_signal(condition) }

    /// Wakes every waiter.
    func broadcast() { pthread_cond_broadcast(condition) }
}

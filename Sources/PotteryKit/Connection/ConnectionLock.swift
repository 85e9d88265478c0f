#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A plain mutex (pthread), heap-allocated so its address never moves, that
/// knows which thread holds it: a thread asking again for the lock it holds
/// (a connection used from inside its own transaction body) is told at once
/// instead of waiting for ever.
final class ConnectionLock: @unchecked Sendable {
    // Unchecked Sendable: a pthread mutex used only through pthread calls, and an atomic owner
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let owner = Atomic<UInt>(0)

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Whether the calling thread holds the lock.
    var isHeldByCurrentThread: Bool { owner.load(ordering: .relaxed) == UInt(pthread_self()) }

    /// Takes the lock, waiting for other threads. Returns `false` (without
    /// waiting) when the calling thread already holds it.
    func lock() -> Bool {
        if isHeldByCurrentThread { return false }
        pthread_mutex_lock(mutex)
        owner.store(UInt(pthread_self()), ordering: .relaxed)
        return true
    }

    /// Takes the lock only if it is free now.
    func tryLock() -> Bool {
        guard pthread_mutex_trylock(mutex) == 0 else { return false }
        owner.store(UInt(pthread_self()), ordering: .relaxed)
        return true
    }

    func unlock() {
        owner.store(0, ordering: .relaxed)
        pthread_mutex_unlock(mutex)
    }

    /// Runs `body` holding the lock (for short, non-reentrant critical sections).
    func withLock<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

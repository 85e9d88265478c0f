#if canImport(Glibc)
import Glibc
#endif

/// Unbounded, reused threads for ``BackgroundThread``: a job goes to an idle
/// thread if there is one, else to a new (detached) thread; a thread whose job
/// is done waits up to `idleLifetime` for another, then exits. Every job runs
/// at once (long waits never queue behind each other), and a steady stream of
/// short waits creates no threads at all once warm.
final class ThreadCache: @unchecked Sendable {  // unchecked: `jobs` and `idle` are only touched under `condition`
    /// The cache ``BackgroundThread`` uses.
    static let shared = ThreadCache(idleLifetime: .seconds(20))

    private let idleLifetime: Duration
    private let condition = ThreadCondition()
    // Guarded by `condition`.
    /// Jobs handed to waiting threads, not yet taken.
    private var jobs: [@Sendable () -> Void] = []
    /// Waiting threads not yet promised a job (waiting threads minus `jobs.count`).
    private var idle = 0
    /// Threads started so far (for tests).
    private var created = 0

    init(idleLifetime: Duration) {
        self.idleLifetime = idleLifetime
    }

    /// How many threads this cache has started.
    var threadsCreated: Int { condition.withLock { created } }

    /// Runs `job` on an idle thread, or on a new one.
    func run(_ job: @escaping @Sendable () -> Void) {
        let handed: Bool = condition.withLock {
            guard idle > 0 else {
                created += 1
                return false
            }
            idle -= 1
            jobs.append(job)
            condition.signal()
            return true
        }
        if !handed { spawn(job) }
    }

    private func spawn(_ first: @escaping @Sendable () -> Void) {
        let start = Unmanaged.passRetained(Start(cache: self, first: first)).toOpaque()
        // Detached from birth: no window in which a finished thread waits for its detach.
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        defer { pthread_attr_destroy(&attributes) }
        var thread = pthread_t()
        let status = pthread_create(&thread, &attributes, { raw in
            Unmanaged<Start>.fromOpaque(raw!).takeRetainedValue().serve()
            return nil
        }, start)
        if status != 0 {
            // No thread to be had: run it here rather than never.
            Unmanaged<Start>.fromOpaque(start).release()
            condition.withLock { created -= 1 }
            first()
        }
    }

    /// A new thread's life: its first job, then each job it is handed, until
    /// it has been idle for `idleLifetime`.
    private final class Start {
        let cache: ThreadCache
        var first: (@Sendable () -> Void)?

        init(cache: ThreadCache, first: @escaping @Sendable () -> Void) {
            self.cache = cache
            self.first = first
        }

        func serve() {
            var job = first
            first = nil
            while job != nil {
                Self.runAndRelease(&job)
                job = cache.nextJob()
            }
        }

        /// Runs `job` and lets go of it (and of what it captured) before the thread waits for another.
        private static func runAndRelease(_ job: inout (@Sendable () -> Void)?) {
            let body = job!
            job = nil
            body()
        }
    }

    /// The next job handed to this thread, or `nil` when none came in time.
    private func nextJob() -> (@Sendable () -> Void)? {
        condition.withLock {
            idle += 1
            let deadline = ContinuousClock.now + idleLifetime
            while jobs.isEmpty {
                if !condition.wait(until: deadline) && jobs.isEmpty {
                    idle -= 1
                    return nil
                }
            }
            return jobs.removeFirst()
        }
    }
}

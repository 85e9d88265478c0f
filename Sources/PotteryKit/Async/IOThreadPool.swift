#if canImport(Glibc)
import Glibc
#endif

/// A few threads of PotteryKit's own that run the blocking hiredis calls of
/// the async container API, so they never block Swift's cooperative pool
/// (swift-nio's `NIOThreadPool` pattern).
///
/// Calls from many tasks on one connection meet in the connection's
/// ``PipelineCombiner``: while one thread's exchange is in flight, the others
/// queue, and the next exchange carries them all, so concurrent tasks overlap
/// their round trips. Long waits (lock acquisition, a blocking queue get) run
/// on threads of their own instead (``BackgroundThread``), so they never take
/// all of these.
final class IOThreadPool: @unchecked Sendable {
    /// The pool the async API uses.
    static let shared = IOThreadPool(threads: 16)

    private let maximum: Int
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    /// Jobs in arrival order from `head`; a slot is emptied when its job is
    /// taken, so a finished job's captures (a result, a container handle) are
    /// released at once.
    private var jobs: [(@Sendable () -> Void)?] = []
    private var head = 0
    private var threads = 0
    private var idle = 0

    init(threads: Int) {
        maximum = max(1, threads)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    /// Runs blocking `body` on a pool thread and resumes the caller with its
    /// result. A task cancelled before `body` started gets `CancellationError`
    /// and nothing is sent; once started, `body` finishes (a command on the wire
    /// cannot be taken back) and its result is returned.
    func run<R: Sendable>(_ body: @escaping @Sendable () throws(PotteryError) -> R) async throws -> R {
        let cancelled = AtomicFlag()
        let box = ResultBox<R>()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                submit {
                    if !cancelled.isSet { box.result = Result { () throws(PotteryError) -> R in try body() } }
                    continuation.resume()
                }
            }
        } onCancel: {
            cancelled.set()
        }
        guard let result = box.result else { throw CancellationError() }
        return try result.get()
    }

    /// Where a pool thread leaves a result before it resumes the caller (the resumption orders the two).
    private final class ResultBox<R>: @unchecked Sendable {
        var result: Result<R, PotteryError>?
    }

    /// Runs `job` on a pool thread, starting one if none is idle and fewer than the maximum run.
    func submit(_ job: @escaping @Sendable () -> Void) {
        pthread_mutex_lock(mutex)
        jobs.append(job)
        if idle > 0 {
            pthread_cond_signal(condition)
        } else if threads < maximum {
            threads += 1
            BackgroundThread.start { [self] in work() }
        }
        pthread_mutex_unlock(mutex)
    }

    private func work() {
        pthread_mutex_lock(mutex)
        while true {
            while head == jobs.count {
                idle += 1
                pthread_cond_wait(condition, mutex)
                idle -= 1
            }
            let job = jobs[head]!
            jobs[head] = nil
            head += 1
            if head > 1024 && head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            pthread_mutex_unlock(mutex)
            job()
            pthread_mutex_lock(mutex)
        }
    }
}

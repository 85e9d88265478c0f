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
    // Unchecked Sendable: `jobs`, `head`, `threads` and `idle` are only touched under `condition`
    /// The pool the async API uses.
    static let shared = IOThreadPool(threads: 16)

    private let maximum: Int
    private let condition = ThreadCondition()
    // Guarded by `condition`.
    /// Jobs in arrival order from `head`; a slot is emptied when its job is
    /// taken, so a finished job's captures (a result, a container handle) are
    /// released at once.
    private var jobs: [(@Sendable () -> Void)?] = []
    private var head = 0
    private var threads = 0
    private var idle = 0

    init(threads: Int) {
        maximum = max(1, threads)
    }

    /// Runs blocking `body` on a pool thread and resumes the caller with its
    /// result. A task cancelled before `body` started gets `CancellationError`
    /// and nothing is sent; once started, `body` finishes (a command on the wire
    /// cannot be taken back) and its result is returned.
    func run<R: Sendable>(_ body: @escaping @Sendable () throws(PotteryError) -> R) async throws -> R {
        let cancelled = AtomicFlag()
        let handoff = TaskHandoff<Result<R, PotteryError>?>()
        let outcome = await withTaskCancellationHandler {
            await handoff.wait {
                submit {
                    handoff.resume(returning: cancelled.isSet ? nil : Result { () throws(PotteryError) -> R in try body() })
                }
            }
        } onCancel: {
            cancelled.set()
        }
        guard let outcome else { throw CancellationError() }
        return try outcome.get()
    }

    /// Runs `job` on a pool thread, starting one if none is idle and fewer than the maximum run.
    func submit(_ job: @escaping @Sendable () -> Void) {
        let startThread = condition.withLock {
            jobs.append(job)
            if idle > 0 {
                condition.signal()
            } else if threads < maximum {
                threads += 1
                return true
            }
            return false
        }
        if startThread { BackgroundThread.start { [self] in work() } }
    }

    private func work() {
        condition.lock()
        while true {
            while head == jobs.count {
                idle += 1
                condition.wait()
                idle -= 1
            }
            let job = jobs[head]!
            jobs[head] = nil
            head += 1
            if head > 1024 && head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            condition.unlock()
            job()
            condition.lock()
        }
    }
}

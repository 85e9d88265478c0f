#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Threads of our own, outside Swift's cooperative pool: hiredis calls block,
/// so the async API runs them here, and a lock's watchdog lives here.
///
/// Threads are reused (``ThreadCache``): a finished job's thread waits a while
/// for the next one, so a program making many async waits does not create a
/// thread per wait.
enum BackgroundThread {
    /// Runs `body` on a thread of its own (an idle cached one, or a new one).
    static func start(_ body: @escaping @Sendable () -> Void) {
        ThreadCache.shared.run(body)
    }

    /// Runs blocking `body` on a thread of its own and resumes the caller
    /// with its result, leaving the cooperative pool free meanwhile.
    static func run<R: Sendable>(_ body: @escaping @Sendable () throws(PotteryError) -> R) async throws(PotteryError) -> R {
        let handoff = TaskHandoff<Result<R, PotteryError>>()
        let result = await handoff.wait {
            start { handoff.resume(returning: Result { () throws(PotteryError) -> R in try body() }) }
        }
        return try result.get()
    }

    /// ``run(_:)`` for work that polls for cancellation: cancelling the
    /// calling task makes `isCancelled` answer `true` (work already done is
    /// not undone; the caller decides).
    static func runCancellable<R: Sendable>(
        _ body: @escaping @Sendable (_ isCancelled: @escaping @Sendable () -> Bool) throws(PotteryError) -> R
    ) async throws -> R {
        let cancelled = AtomicFlag()
        return try await withTaskCancellationHandler {
            try await run { () throws(PotteryError) -> R in try body { cancelled.isSet } }
        } onCancel: {
            cancelled.set()
        }
    }
}

/// A flag one thread sets and others read: cancellation and lock loss.
final class AtomicFlag: Sendable {
    private let value = Atomic<Bool>(false)

    var isSet: Bool { value.load(ordering: .acquiring) }

    /// Sets the flag; returns whether it was clear before.
    @discardableResult
    func set() -> Bool {
        !value.exchange(true, ordering: .acquiringAndReleasing)
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// The async form of a sync batch walk (`forEachBatch`): the walk runs on a
/// thread of its own and hands each batch to the calling task, then waits
/// until the task's body has finished with it. One batch is in flight at a
/// time, so memory stays bounded however long the container. When the body
/// throws or the task is cancelled, the walk stops at its next batch.
final class BatchHandoff<Batch: Sendable>: @unchecked Sendable {
    private enum Event {
        case batch(Batch)
        case end(PotteryError?)
    }

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var pending: Event?
    private var waiter: CheckedContinuation<Event?, Never>?
    private var consumed = true
    private var stopped = false

    private init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    /// What the walk throws to stop when the consumer has gone.
    private static var stop: PotteryError { PotteryError(.valueError, "the batch consumer stopped") }

    /// Runs `walk` on a thread of its own and `body` on each batch it hands over, in this task.
    /// - Throws: the walk's error, the body's, or `CancellationError`.
    static func forEachBatch(
        _ walk: @escaping @Sendable (_ deliver: (Batch) throws(PotteryError) -> Void) throws(PotteryError) -> Void,
        _ body: (Batch) async throws -> Void
    ) async throws {
        let handoff = BatchHandoff()
        BackgroundThread.start {
            do throws(PotteryError) {
                try walk { (batch) throws(PotteryError) in
                    if !handoff.deliver(batch) { throw stop }
                }
                handoff.finish(nil)
            } catch {
                handoff.finish(error.message == stop.message && error.code == stop.code ? nil : error)
            }
        }
        try await withTaskCancellationHandler {
            defer { handoff.cancel() }
            while true {
                guard let event = await handoff.next() else { throw CancellationError() }
                switch event {
                case .batch(let batch):
                    try await body(batch)
                    handoff.done()
                case .end(let error):
                    if let error { throw error }
                    return
                }
            }
        } onCancel: {
            handoff.cancel()
        }
    }

    /// The walk's side: hands `batch` over and waits until the body is done
    /// with it. `false` when the consumer has stopped.
    private func deliver(_ batch: Batch) -> Bool {
        pthread_mutex_lock(mutex)
        guard !stopped else {
            pthread_mutex_unlock(mutex)
            return false
        }
        consumed = false
        let resumed = waiter
        waiter = nil
        if resumed == nil { pending = .batch(batch) }
        pthread_mutex_unlock(mutex)
        resumed?.resume(returning: .batch(batch))
        pthread_mutex_lock(mutex)
        while !consumed && !stopped { pthread_cond_wait(condition, mutex) }
        let going = !stopped
        pthread_mutex_unlock(mutex)
        return going
    }

    /// The walk's side: the walk ended, with `error` or none.
    private func finish(_ error: PotteryError?) {
        pthread_mutex_lock(mutex)
        let resumed = waiter
        waiter = nil
        if resumed == nil { pending = .end(error) }
        pthread_mutex_unlock(mutex)
        resumed?.resume(returning: .end(error))
    }

    /// The consumer's side: the next batch or the end; `nil` once cancelled.
    private func next() async -> Event? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Event?, Never>) in
            pthread_mutex_lock(mutex)
            if stopped {
                pthread_mutex_unlock(mutex)
                continuation.resume(returning: nil)
            } else if let event = pending {
                pending = nil
                pthread_mutex_unlock(mutex)
                continuation.resume(returning: event)
            } else {
                waiter = continuation
                pthread_mutex_unlock(mutex)
            }
        }
    }

    /// The consumer's side: the body is done with the last batch.
    private func done() {
        pthread_mutex_lock(mutex)
        consumed = true
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    /// The consumer's side: it stops (its body threw, it ended, or its task was cancelled).
    private func cancel() {
        pthread_mutex_lock(mutex)
        stopped = true
        let resumed = waiter
        waiter = nil
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
        resumed?.resume(returning: nil)
    }
}

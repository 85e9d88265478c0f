/// The async form of a sync batch walk (`forEachBatch`): the walk runs on a
/// thread of its own and hands each batch to the calling task, then waits
/// until the task's body has finished with it. One batch is in flight at a
/// time, so memory stays bounded however long the container. When the body
/// throws or the task is cancelled, the walk stops at its next batch.
final class BatchHandoff<Batch: Sendable>: @unchecked Sendable {
    // Unchecked Sendable: its state is only touched under `condition`
    private enum Event {
        case batch(Batch)
        case end(PotteryError?)
    }

    private let condition = ThreadCondition()
    // Guarded by `condition`.
    private var pending: Event?
    /// The consumer's task while it waits for `pending` (events never ride on the
    /// continuation: see ``TaskHandoff`` for why).
    private var waiter: CheckedContinuation<Void, Never>?
    private var consumed = true
    private var stopped = false

    private init() {}

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
        let handed: CheckedContinuation<Void, Never>?? = condition.withLock {
            guard !stopped else { return nil }
            consumed = false
            pending = .batch(batch)
            defer { waiter = nil }
            return .some(waiter)
        }
        guard let resumed = handed else { return false }
        resumed?.resume()
        return condition.withLock {
            while !consumed && !stopped { condition.wait() }
            return !stopped
        }
    }

    /// The walk's side: the walk ended, with `error` or none.
    private func finish(_ error: PotteryError?) {
        let resumed = condition.withLock {
            pending = .end(error)
            defer { waiter = nil }
            return waiter
        }
        resumed?.resume()
    }

    /// The consumer's side: the next batch or the end; `nil` once cancelled.
    private func next() async -> Event? {
        while true {
            // The event, or `nil` when cancelled; none yet when the walk has not handed one over.
            let now: Event?? = condition.withLock {
                if stopped { return .some(nil) }
                defer { pending = nil }
                return pending.map { .some($0) }
            }
            if let now { return now }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = condition.withLock {
                    if stopped || pending != nil { return true }
                    waiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        }
    }

    /// The consumer's side: the body is done with the last batch.
    private func done() {
        condition.withLock {
            consumed = true
            condition.signal()
        }
    }

    /// The consumer's side: it stops (its body threw, it ended, or its task was cancelled).
    private func cancel() {
        let resumed = condition.withLock {
            stopped = true
            condition.signal()
            defer { waiter = nil }
            return waiter
        }
        resumed?.resume()
    }
}

import Synchronization

/// Where an async exchange's continuation waits for the thread that runs the exchange.
final class ContinuationSlot: Sendable {
    private let continuation = Mutex<CheckedContinuation<Result<[RedisReply], PotteryError>, Never>?>(nil)

    /// Where to resume; set before the request can finish.
    func set(_ continuation: CheckedContinuation<Result<[RedisReply], PotteryError>, Never>) {
        self.continuation.withLock { $0 = continuation }
    }

    func resume(_ result: Result<[RedisReply], PotteryError>) {
        continuation.withLock { $0.take() }?.resume(returning: result)
    }
}

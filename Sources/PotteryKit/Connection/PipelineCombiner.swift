/// Requests waiting for a connection that another thread is using: whichever
/// thread takes the connection next sends every waiting request in one
/// pipelined exchange (group commit), so many threads sharing one connection
/// overlap their round trips instead of taking turns.
///
/// Only calls with no deadline of their own are combined: they share the
/// connection's idle timeout, and a failure of the shared exchange is each
/// one's failure, as it would have been alone (the outcome unknown).
final class PipelineCombiner: @unchecked Sendable {
    // Unchecked Sendable: `waiting` and `draining` are only touched under `condition`
    /// One caller's commands and, once the exchange ran, its replies.
    final class Request: @unchecked Sendable {
    // Unchecked Sendable: `result` is written before the lock release or `onDone` that publishes it
        let commands: [RedisCommand]
        /// Written by the thread that ran the exchange, before it releases the connection
        /// (sync callers) or calls `onDone` (async callers).
        var result: Result<[RedisReply], PotteryError>?
        /// An async caller's continuation; `nil` for a thread that waits.
        let onDone: (@Sendable (Result<[RedisReply], PotteryError>) -> Void)?
        /// Set when an async caller's task is cancelled: if no exchange has taken
        /// the request yet, it is never sent.
        let cancelled = AtomicFlag()

        init(_ commands: [RedisCommand], onDone: (@Sendable (Result<[RedisReply], PotteryError>) -> Void)? = nil) {
            self.commands = commands
            self.onDone = onDone
        }
    }

    /// The error a cancelled async request is finished with (it was never sent).
    static let cancellation = PotteryError(.valueError, "cancelled before it was sent")

    private let condition = ThreadCondition()
    // Guarded by `condition`.
    private var waiting: [Request] = []
    private var draining = false

    init() {}

    /// Takes every queued request; results must then be delivered by ``run(_:in:)``.
    func takeAll() -> [Request] {
        condition.withLock {
            if waiting.isEmpty { return [] }  // (emptying a shared buffer would allocate a new one)
            defer { waiting.removeAll(keepingCapacity: true) }
            return waiting
        }
    }

    /// Tells the waiting callers that the connection was released: each sees
    /// whether its request was carried, and one of the others leads next.
    /// Called after every release of the connection's lock.
    func wake() {
        condition.withLock { condition.broadcast() }
    }

    /// Queues `request`, then waits until an exchange carried it, or until this
    /// thread takes `connectionLock` and so must lead: returns `true` then
    /// (the lock held, `request` possibly already taken by an earlier leader).
    func wait(_ request: Request, orLead connectionLock: ConnectionLock) -> Bool {
        condition.withLock {
            waiting.append(request)
            while request.result == nil {
                if connectionLock.tryLock() { return true }
                condition.wait()
            }
            return false
        }
    }

    /// Runs `requests` as one exchange in `session` (the connection's lock held)
    /// and gives each its share of the replies, or the exchange's error.
    /// Results are read after the lock is released by the thread that queued them.
    static func run(_ taken: [Request], in session: RedisConnection.Session) {
        var requests: [Request] = []
        for request in taken {
            if request.onDone != nil && request.cancelled.isSet {
                request.result = .failure(cancellation)
                request.onDone?(.failure(cancellation))
            } else {
                requests.append(request)
            }
        }
        defer { for request in requests { request.onDone?(request.result!) } }
        guard !requests.isEmpty else { return }
        let commands = requests.flatMap(\.commands)
        do {
            let replies = try session.exchange(commands, deadline: nil)
            var start = 0
            for request in requests {
                request.result = .success(Array(replies[start..<start + request.commands.count]))
                start += request.commands.count
            }
        } catch {
            for request in requests {
                request.result = .failure(error.naming(key: request.commands.first?.firstKey))
            }
        }
    }

    /// Queues an async caller's request and makes sure a thread of the
    /// ``IOThreadPool`` sends it: one drains the queue, exchange after
    /// exchange, until it finds it empty.
    func submit(_ request: Request, on connection: RedisConnection) {
        let start = condition.withLock {
            waiting.append(request)
            let start = !draining
            draining = true
            condition.broadcast()  // a thread waiting for the connection may lead and carry it
            return start
        }
        if start { IOThreadPool.shared.submit { self.drain(connection) } }
    }

    private func drain(_ connection: RedisConnection) {
        while true {
            _ = connection.lock.lock()  // a pool thread never holds it already
            let batch = takeAll()
            if !batch.isEmpty { Self.run(batch, in: RedisConnection.Session(connection: connection)) }
            connection.release()
            let finished = condition.withLock {
                if waiting.isEmpty { draining = false }
                return !draining
            }
            if finished { return }
        }
    }
}

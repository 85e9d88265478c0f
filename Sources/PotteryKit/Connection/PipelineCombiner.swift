/// Requests waiting for a connection that another thread is using: whichever
/// thread takes the connection next sends every waiting request in one
/// pipelined exchange (group commit), so many threads sharing one connection
/// overlap their round trips instead of taking turns.
///
/// Only calls with no deadline of their own are combined: they share the
/// connection's idle timeout, and a failure of the shared exchange is each
/// one's failure, as it would have been alone (the outcome unknown).
final class PipelineCombiner: @unchecked Sendable {
    /// One caller's commands and, once the exchange ran, its replies.
    final class Request {
        let commands: [RedisCommand]
        var result: Result<[RedisReply], PotteryError>?
        init(_ commands: [RedisCommand]) { self.commands = commands }
    }

    private let lock = ConnectionLock()
    private var waiting: [Request] = []

    /// Queues `request` for the next exchange.
    func enqueue(_ request: Request) {
        lock.withLock { waiting.append(request) }
    }

    /// Takes every queued request; results must then be delivered by ``run(_:on:)``.
    func takeAll() -> [Request] {
        lock.withLock {
            defer { waiting.removeAll(keepingCapacity: true) }
            return waiting
        }
    }

    /// Whether any request is queued.
    var isEmpty: Bool { lock.withLock { waiting.isEmpty } }

    /// Runs `requests` as one exchange in `session` (the connection's lock held)
    /// and gives each its share of the replies, or the exchange's error.
    /// Results are read after the lock is released by the thread that queued them.
    static func run(_ requests: [Request], in session: RedisConnection.Session) {
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
}

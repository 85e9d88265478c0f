/// The async forms, which never block the cooperative pool (as ``RedisDict/async``).
///
/// A waiting ``AsyncRedisSimpleQueue/get(timeout:)`` runs on a thread of its
/// own, never on PotteryKit's small I/O pool, in server-side blocks of at
/// most ``RedisSimpleQueue/asyncWaitSlice``. Cancelling the task stops the
/// wait at the end of the current block: it throws `CancellationError` and
/// takes nothing, the element (if one arrived meanwhile) stays in the queue.
/// An element already claimed (`XDEL`) when the cancellation comes is returned.
extension RedisSimpleQueue {
    /// The async forms of this queue's calls: `try await queue.async.get()`.
    public var async: AsyncRedisSimpleQueue<Element> { AsyncRedisSimpleQueue(queue: self) }

    /// The longest server-side block of an async wait: how long a cancelled
    /// ``AsyncRedisSimpleQueue/get(timeout:)`` may take to notice.
    public static var asyncWaitSlice: Duration { .milliseconds(250) }
}

/// The async forms of a ``RedisSimpleQueue``'s calls (``RedisSimpleQueue/async``).
public struct AsyncRedisSimpleQueue<Element: Codable & Sendable>: Sendable {
    /// The queue.
    public let queue: RedisSimpleQueue<Element>

    /// ``RedisSimpleQueue/qsize()`` without blocking the cooperative pool.
    public func qsize() async throws -> Int {
        try await queue.storage.integerAsync(queue.storage.command("XLEN"))
    }

    /// ``RedisSimpleQueue/isEmpty()`` without blocking the cooperative pool.
    public func isEmpty() async throws -> Bool {
        try await qsize() == 0
    }

    /// ``RedisSimpleQueue/put(_:)`` without blocking the cooperative pool.
    public func put(_ element: Element) async throws {
        try await put(contentsOf: [element])
    }

    /// ``RedisSimpleQueue/put(contentsOf:)`` without blocking the cooperative
    /// pool: the same commands in one exchange of the connection's async pipeline.
    public func put(contentsOf elements: [Element]) async throws {
        let commands = try queue.putCommands(elements)
        if commands.count == 1 && commands[0].name == "XADD" {
            try await queue.storage.sendAsync(commands[0])
            return
        }
        guard !commands.isEmpty else { return }
        for reply in try await queue.connection.async.pipeline(commands) { _ = try reply.get() }
    }

    /// ``RedisSimpleQueue/get(timeout:)`` without blocking the cooperative pool
    /// (see ``RedisSimpleQueue/async`` for cancellation).
    /// - Throws: as the sync form; `CancellationError` when the task was
    ///   cancelled before an element was taken.
    public func get(timeout: Duration? = nil) async throws -> Element {
        let element = try await BackgroundThread.runCancellable { [queue] isCancelled throws(PotteryError) in
            try queue.get(timeout: timeout, slice: RedisSimpleQueue<Element>.asyncWaitSlice, isCancelled: isCancelled)
        }
        guard let element else { throw CancellationError() }
        return element
    }

    /// ``RedisSimpleQueue/getNoWait()`` without blocking the cooperative pool.
    public func getNoWait() async throws -> Element {
        try await IOThreadPool.shared.run { [queue] () throws(PotteryError) in try queue.getNoWait() }
    }

    /// ``RedisSimpleQueue/oldestEntry(timeout:)`` without blocking the
    /// cooperative pool, cancelled as ``get(timeout:)`` is.
    /// - Throws: as the sync form; `CancellationError` when the task was cancelled.
    public func oldestEntry(timeout: Duration? = nil) async throws -> QueueEntry<Element>? {
        let (entry, cancelled) = try await BackgroundThread.runCancellable { [queue] isCancelled throws(PotteryError) in
            let entry = try queue.oldestEntry(timeout: timeout, slice: RedisSimpleQueue<Element>.asyncWaitSlice,
                                              isCancelled: isCancelled)
            return (entry, isCancelled())
        }
        if cancelled { throw CancellationError() }
        return entry
    }

    /// ``RedisSimpleQueue/claim(_:)`` without blocking the cooperative pool.
    public func claim(_ entry: QueueEntry<Element>) async throws -> Bool {
        try await queue.storage.integerAsync(queue.claimCommand(id: Array(entry.id.utf8))) == 1
    }

    /// ``RedisSimpleQueue/clear()`` without blocking the cooperative pool.
    public func clear() async throws {
        try await queue.storage.sendAsync(queue.storage.clearCommand())
    }

    /// ``RedisSimpleQueue/elements()`` without blocking the cooperative pool.
    public func elements() async throws -> [Element] {
        try await IOThreadPool.shared.run { [queue] () throws(PotteryError) in try queue.elements() }
    }

    /// ``RedisSimpleQueue/forEachBatch(count:_:)`` without blocking the
    /// cooperative pool: the walk runs on a thread of its own, one batch in
    /// flight at a time, and `body` runs in this task. A throwing body or a
    /// cancelled task (`CancellationError`) stops the walk at its next batch.
    public func forEachBatch(count: Int = 1000, _ body: ([Element]) async throws -> Void) async throws {
        try await BatchHandoff.forEachBatch({ [queue] deliver throws(PotteryError) in
            try queue.forEachBatch(count: count, deliver)
        }, body)
    }
}

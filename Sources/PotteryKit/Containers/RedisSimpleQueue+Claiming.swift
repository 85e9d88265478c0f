/// An element at the head of a ``RedisSimpleQueue``, seen but not yet taken.
public struct QueueEntry<Element: Sendable>: Sendable {
    /// The stream entry's ID (`1700000000000-0`), which ``RedisSimpleQueue/claim(_:)`` deletes.
    public let id: String
    /// The decoded `item` field.
    public let element: Element
}

/// A stream entry as read, its `item` not decoded yet. Not generic: the
/// waiting and claiming loop of ``RedisSimpleQueue/get(timeout:)`` runs on
/// it without looking up a generic type's metadata at run time on every call.
struct StoredQueueEntry {
    /// The stream entry's ID.
    let id: [UInt8]
    /// pottery's JSON of the element.
    let item: [UInt8]
}

extension RedisSimpleQueue {
    /// The oldest element, left in the queue, waiting for one while the queue
    /// is empty: as long as necessary without a timeout, at most `timeout`
    /// with one (`.zero`: one look). Returns `nil` when none came in time.
    ///
    /// ``get(timeout:)`` is this followed by ``claim(_:)``; a caller that must
    /// not be interrupted between taking an element and handing it on (a
    /// process printing it) can wait with this and guard only the claim.
    /// Reading removes nothing (`XREAD`), so stopping here loses nothing.
    /// - Throws: ``PotteryError/Code/valueError`` for a negative timeout; a
    ///   data error when the oldest entry is not pottery's (it stays in the queue).
    public func oldestEntry(timeout: Duration? = nil) throws(PotteryError) -> QueueEntry<Element>? {
        try oldestEntry(timeout: timeout, slice: Self.waitSlice) { false }
    }

    /// ``oldestEntry(timeout:)`` waiting in server-side blocks of at most
    /// `slice`, which returns `nil` at the end of the block in which
    /// `isCancelled` turned `true` (the async forms' cancellation).
    func oldestEntry(timeout: Duration?, slice: Duration, isCancelled: () -> Bool) throws(PotteryError) -> QueueEntry<Element>? {
        guard let stored = try oldestStoredEntry(timeout: timeout, slice: slice, isCancelled: isCancelled) else { return nil }
        return try decoded(stored)
    }

    /// ``oldestEntry(timeout:slice:isCancelled:)`` before decoding.
    func oldestStoredEntry(timeout: Duration?, slice: Duration, isCancelled: () -> Bool) throws(PotteryError) -> StoredQueueEntry? {
        let deadline = try Self.deadline(after: timeout)
        var failures = 0
        while true {
            if isCancelled() { return nil }
            // The last look before the deadline never blocks: XREAD BLOCK 0 would wait for ever.
            var block: Duration? = slice
            if let deadline {
                let remaining = deadline - .now
                block = remaining >= .milliseconds(1) ? min(remaining, slice) : nil
            }
            let started = ContinuousClock.now
            do {
                if let entry = try readOldest(blocking: block) { return entry }
                failures = 0
            } catch where error.code == .connectionError && block != nil
                            && (failures == 0 || ContinuousClock.now - started >= .seconds(1)) {
                // The server (or something between) closed the connection while we waited:
                // XREAD took nothing, so wait again on a new connection. Two quick failures
                // in a row (the server is gone) end the wait.
                failures += 1
                continue
            }
            if block == nil { return nil }
        }
    }

    /// Takes `entry` out of the queue (`XDEL`). Returns `true` when this call
    /// removed it, so this caller alone owns the element; `false` when
    /// another consumer took it first.
    public func claim(_ entry: QueueEntry<Element>) throws(PotteryError) -> Bool {
        try claim(id: Array(entry.id.utf8))
    }

    /// ``claim(_:)`` of the entry with this ID.
    func claim(id: [UInt8]) throws(PotteryError) -> Bool {
        try storage.integer(claimCommand(id: id)) == 1
    }

    // The command of `claim`, shared by its sync and async forms.
    func claimCommand(id: [UInt8]) -> RedisCommand {
        storage.command("XDEL", id)
    }

    /// `XREAD [BLOCK ms] COUNT 1 STREAMS key 0-0`: the oldest entry, or, when
    /// blocking, the first one added within `block`. The call's deadline is the
    /// block plus the connection's I/O timeout.
    private func readOldest(blocking block: Duration?) throws(PotteryError) -> StoredQueueEntry? {
        var xread = RedisCommand("XREAD")
        var deadline: ContinuousClock.Instant?
        if let block {
            let milliseconds = max(1, Int((Double(block.components.seconds) * 1000
                                           + Double(block.components.attoseconds) / 1e15).rounded(.up)))
            xread.append("BLOCK")
            xread.append(milliseconds)
            deadline = connection.configuration.ioTimeout.map { ContinuousClock.now + .milliseconds(milliseconds) + $0 }
        }
        xread.append("COUNT")
        xread.append(1)
        xread.append("STREAMS")
        xread.append(key: key)
        xread.append("0-0")
        let reply = try connection.send(xread, deadline: deadline)
        if reply.isNull { return nil }
        guard case .array(let streams) = reply, case .array(let stream)? = streams.first, stream.count == 2,
              case .array(let entries) = stream[1] else {
            throw PotteryError(.responseError, "unexpected XREAD reply \(reply)", key: key.description, server: connection.server)
        }
        guard let first = entries.first else { return nil }
        return try stored(first)
    }

    /// One stream entry (`[id, [field, value, ...]]`) in pottery's shape, decoded.
    func entry(_ reply: RedisReply) throws(PotteryError) -> QueueEntry<Element> {
        try decoded(stored(reply))
    }

    /// One stream entry (`[id, [field, value, ...]]`), checked to be in pottery's shape.
    func stored(_ reply: RedisReply) throws(PotteryError) -> StoredQueueEntry {
        guard case .array(let parts) = reply, parts.count == 2, case .bulk(let id) = parts[0],
              case .array(let fields) = parts[1] else {
            throw PotteryError(.responseError, "unexpected stream entry \(reply)", key: key.description, server: connection.server)
        }
        guard fields.count == 2, case .bulk(let field) = fields[0], field == Self.itemField, case .bulk(let item) = fields[1] else {
            let name = String(decoding: id, as: UTF8.self)
            let names = stride(from: 0, to: fields.count, by: 2).map { String(decoding: fields[$0].bytes ?? [], as: UTF8.self) }
            throw PotteryError(.decodeError, "stream entry \(name) has fields \(names), not the one field item that "
                               + "pottery's RedisSimpleQueue writes; it was left in the queue",
                               key: key.description, server: connection.server)
        }
        return StoredQueueEntry(id: id, item: item)
    }

    /// `stored` with its item decoded.
    func decoded(_ stored: StoredQueueEntry) throws(PotteryError) -> QueueEntry<Element> {
        QueueEntry(id: String(decoding: stored.id, as: UTF8.self), element: try storage.decode(Element.self, stored.item))
    }

    static var itemField: [UInt8] { Array("item".utf8) }
}

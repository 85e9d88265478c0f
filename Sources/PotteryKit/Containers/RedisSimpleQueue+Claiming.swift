/// An element at the head of a ``RedisSimpleQueue``, seen but not yet taken.
public struct QueueEntry<Element: Sendable>: Sendable {
    /// The stream entry's ID (`1700000000000-0`), which ``RedisSimpleQueue/claim(_:)`` deletes.
    public let id: String
    /// The decoded `item` field.
    public let element: Element
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
        let deadline = try Self.deadline(after: timeout)
        var failures = 0
        while true {
            // The last look before the deadline never blocks: XREAD BLOCK 0 would wait for ever.
            var block: Duration? = Self.waitSlice
            if let deadline {
                let remaining = deadline - .now
                block = remaining >= .milliseconds(1) ? min(remaining, Self.waitSlice) : nil
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
        try storage.integer(storage.command("XDEL", Array(entry.id.utf8))) == 1
    }

    /// `XREAD [BLOCK ms] COUNT 1 STREAMS key 0-0`: the oldest entry, or, when
    /// blocking, the first one added within `block`. The call's deadline is the
    /// block plus the connection's I/O timeout.
    private func readOldest(blocking block: Duration?) throws(PotteryError) -> QueueEntry<Element>? {
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
        guard let streams = reply.array, let stream = streams.first?.array, stream.count == 2,
              let entries = stream[1].array else {
            throw PotteryError(.responseError, "unexpected XREAD reply \(reply)", key: key.description, server: connection.server)
        }
        guard let first = entries.first else { return nil }
        return try entry(first)
    }

    /// One stream entry (`[id, [field, value, ...]]`) in pottery's shape, decoded.
    func entry(_ reply: RedisReply) throws(PotteryError) -> QueueEntry<Element> {
        guard let parts = reply.array, parts.count == 2, let id = parts[0].bytes, let fields = parts[1].array else {
            throw PotteryError(.responseError, "unexpected stream entry \(reply)", key: key.description, server: connection.server)
        }
        let name = String(decoding: id, as: UTF8.self)
        guard fields.count == 2, fields[0].bytes == Self.itemField, let item = fields[1].bytes else {
            let names = stride(from: 0, to: fields.count, by: 2).map { String(decoding: fields[$0].bytes ?? [], as: UTF8.self) }
            throw PotteryError(.decodeError, "stream entry \(name) has fields \(names), not the one field item that "
                               + "pottery's RedisSimpleQueue writes; it was left in the queue",
                               key: key.description, server: connection.server)
        }
        return QueueEntry(id: name, element: try storage.decode(Element.self, item))
    }

    static var itemField: [UInt8] { Array("item".utf8) }
}

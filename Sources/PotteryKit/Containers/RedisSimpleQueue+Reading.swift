extension RedisSimpleQueue {
    /// Every element, oldest first, leaving the queue as it is. Not in
    /// Python's `SimpleQueue`; for operators and tests.
    public func elements() throws(PotteryError) -> [Element] {
        var elements: [Element] = []
        try forEachBatch { batch in elements.append(contentsOf: batch) }
        return elements
    }

    /// Streams the elements, oldest first, in batches of about `count`
    /// (`XRANGE`), with bounded memory and removing nothing. An entry that is
    /// not pottery's stops the walk after every element before it was delivered.
    public func forEachBatch(count: Int = 1000, _ body: ([Element]) throws(PotteryError) -> Void) throws(PotteryError) {
        var start: [UInt8] = Array("-".utf8)
        while true {
            var xrange = storage.command("XRANGE")
            xrange.append(bytes: start)
            xrange.append("+")
            xrange.append("COUNT")
            xrange.append(max(1, count))
            let reply = try storage.send(xrange)
            guard let entries = reply.array else {
                throw PotteryError(.responseError, "unexpected XRANGE reply \(reply)", key: key.description, server: connection.server)
            }
            try storage.deliver(entries.count, { (index) throws(PotteryError) -> Element in
                let entry = try self.entry(entries[index])
                start = Array("(".utf8) + Array(entry.id.utf8)
                return entry.element
            }, to: body)
            guard entries.count >= max(1, count) else { return }
        }
    }
}

extension RedisList {
    /// Every item, in order (one `LRANGE`; O(n)). pottery: `l.to_list()`.
    public func toArray() throws(PotteryError) -> [Element] {
        try elementsResult(storage.send(toArrayCommand()))
    }

    // The command of `toArray`, shared by its sync and async forms.
    func toArrayCommand() -> RedisCommand {
        var lrange = storage.command("LRANGE")
        lrange.append(0)
        lrange.append(-1)
        return lrange
    }

    /// The items of an array reply (`LRANGE`, a slice script), decoded.
    func elementsResult(_ reply: RedisReply) throws(PotteryError) -> [Element] {
        var elements: [Element] = []
        for item in reply.array ?? [] { elements.append(try storage.decode(Element.self, reply: item)) }
        return elements
    }

    /// Streams the items in order, in batches of about `count` (`LRANGE` by
    /// ranges), with bounded memory however long the list.
    ///
    /// Each batch is read on its own: a list changed by another client during
    /// the walk may show items twice or not at all, as a `SCAN` may. An item
    /// that is not pottery JSON stops the walk with a
    /// ``PotteryError/Code/decodeError``, after every item before it was delivered.
    public func forEachBatch(count: Int = 1000, _ body: ([Element]) throws(PotteryError) -> Void) throws(PotteryError) {
        let storage = self.storage
        try walk(batch: count) { items, _ throws(PotteryError) in
            try storage.deliver(items.count, { (index) throws(PotteryError) in
                try storage.decode(Element.self, reply: items[index])
            }, to: body)
            return true
        }
    }

    /// Whether the list holds exactly `array`'s elements, in order, compared
    /// with `Element`'s `==`. pottery: `l == list(...)` (Python compares with `==`;
    /// for Python's number equality across kinds use ``JSONValue`` and
    /// ``JSONValue/pythonEquals(_:)``). O(n).
    public func elementsEqual(_ array: [Element]) throws(PotteryError) -> Bool where Element: Equatable {
        try toArray() == array
    }

    /// The Python index of the first item equal to `element` by Python's `==`
    /// (`1`, `1.0` and `true` are equal) among the items from `start` up to,
    /// not including, `stop`, read under `WATCH` in batches, so the answer holds
    /// for one state of the list. O(n). pottery: `l.index(x[, start[, stop]])`.
    ///
    /// `start` and `stop` are Python indices: a negative one counts from the
    /// end, and both are clamped to the list, as Python's `list.index` does
    /// (`nil` for `stop` means the end).
    /// - Throws: ``PotteryError/Code/valueNotFound`` when no item in the range is equal.
    public func index(of element: Element, start: Int = 0, stop: Int? = nil) throws(PotteryError) -> Int {
        let needle = try pythonValue(element)
        let (found, _) = try storage.transaction(watching: [key]) { transaction throws(PotteryError) in
            var range = (start: start, stop: stop)
            if start < 0 || (stop ?? 0) < 0 {
                // Python clamps negative bounds against the length, read under the same WATCH.
                let length = Int(try transaction.send(self.storage.command("LLEN")).integer ?? 0)
                if start < 0 { range.start = max(start + length, 0) }
                if let stop, stop < 0 { range.stop = stop + length }
            }
            return try self.firstIndex(equalTo: needle, from: range.start, upTo: range.stop, in: transaction)
        }
        guard let found else { throw notFound(element, "index") }
        return found
    }

    /// How many items equal `element` by Python's `==`, read under `WATCH`.
    /// O(n). pottery: `l.count(x)`.
    public func count(of element: Element) throws(PotteryError) -> Int {
        let needle = try pythonValue(element)
        let storage = self.storage
        return try storage.transaction(watching: [key]) { transaction throws(PotteryError) in
            var count = 0
            try self.walk(batch: 1000, in: transaction) { items, _ throws(PotteryError) in
                for item in items where try storage.decode(JSONValue.self, reply: item).pythonEquals(needle) { count += 1 }
                return true
            }
            return count
        }.value
    }

    /// Removes the first item equal to `element` by Python's `==`, atomically
    /// (found under `WATCH`, then `MULTI; LSET; LREM; EXEC`, retried on
    /// conflict). O(n). pottery: `l.remove(x)`.
    /// - Throws: ``PotteryError/Code/valueNotFound`` when no item is equal.
    public func remove(_ element: Element) throws(PotteryError) {
        let needle = try pythonValue(element)
        let storage = self.storage
        let marker = tombstone()
        let (found, replies) = try storage.transaction(watching: [key]) { transaction throws(PotteryError) in
            guard let index = try self.firstIndex(equalTo: needle, in: transaction) else { return false }
            var lset = storage.command("LSET")
            lset.append(index)
            lset.append(bytes: marker)
            transaction.enqueue(lset)
            var lrem = storage.command("LREM")
            lrem.append(1)
            lrem.append(bytes: marker)
            transaction.enqueue(lrem)
            return true
        }
        for reply in replies { try reply.get() }
        if !found { throw notFound(element, "remove") }
    }

    // MARK: internals

    /// Walks the items with `LRANGE` by ranges of `batch`, handing each
    /// non-empty batch and its first index to `body` until the list ends or
    /// `body` returns `false`. Inside a transaction the reads run under its `WATCH`.
    func walk(batch: Int, from first: Int = 0, in transaction: RedisTransaction? = nil,
              _ body: ([RedisReply], Int) throws(PotteryError) -> Bool) throws(PotteryError) {
        let size = max(1, batch)
        var start = first
        while true {
            var lrange = storage.command("LRANGE")
            lrange.append(start)
            lrange.append(start + size - 1)
            let reply: RedisReply
            if let transaction {
                do { reply = try transaction.send(lrange) } catch { throw error.naming(key: key) }
            } else {
                reply = try storage.send(lrange)
            }
            let items = reply.array ?? []
            if !items.isEmpty, try !body(items, start) { return }
            guard items.count == size else { return }
            start += size
        }
    }

    /// The first index in `first..<stop` (to the end when `stop` is `nil`)
    /// whose item equals `needle` by Python's `==`. `first` must not be negative.
    private func firstIndex(equalTo needle: JSONValue, from first: Int = 0, upTo stop: Int? = nil,
                            in transaction: RedisTransaction) throws(PotteryError) -> Int? {
        let storage = self.storage
        var found: Int?
        if let stop, stop <= first { return nil }
        try walk(batch: 1000, from: first, in: transaction) { items, offset throws(PotteryError) in
            for (index, item) in items.enumerated() {
                if let stop, offset + index >= stop { return false }
                if try storage.decode(JSONValue.self, reply: item).pythonEquals(needle) {
                    found = offset + index
                    return false
                }
            }
            return true
        }
        return found
    }

    /// `element` as the JSON value Python would compare (its pottery bytes, decoded).
    func pythonValue(_ element: Element) throws(PotteryError) -> JSONValue {
        try storage.decode(JSONValue.self, try storage.encode(element))
    }

    private func notFound(_ element: Element, _ method: String) -> PotteryError {
        let shown = (try? storage.encode(element)).map { String(decoding: $0, as: UTF8.self) } ?? "\(element)"
        let message = method == "remove" ? "\(pythonName).remove(x): x not in \(pythonName)" : "\(shown) is not in \(pythonName)"
        return PotteryError(.valueNotFound, message, key: key.description, server: connection.server)
    }
}

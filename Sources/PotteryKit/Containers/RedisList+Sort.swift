extension RedisList {
    /// Sorts the list in place with Python's ordering, atomically: the items
    /// are read under `WATCH`, sorted here, and written back with
    /// `MULTI; DEL; RPUSH; EXEC` (retried on conflict), each item keeping its
    /// stored bytes. O(n log n), O(n) memory. pottery: `l.sort(reverse=...)`.
    ///
    /// Python's `list.sort` semantics: stable (equal items keep their order,
    /// also with `reverse`); numbers and booleans by value, strings by code
    /// point, arrays lexicographically. pottery 3.0.1 uses Redis's numeric
    /// `SORT`, which fails on strings; this sorts them as Python does. The
    /// items are compared as CPython 3.11's `list.sort` compares them, pair
    /// for pair, so a NaN (neither less nor greater than anything) ends where
    /// Python puts it.
    /// - Throws: ``PotteryError/Code/typeError`` (nothing changed) when two
    ///   items cannot be ordered in Python (`None`, objects, a string and a number, ...);
    ///   the message names the types of the first such pair Python meets.
    public func sort(reverse: Bool = false) throws(PotteryError) {
        let storage = self.storage
        let (_, replies) = try storage.transaction(watching: [key]) { transaction throws(PotteryError) in
            var bytes: [[UInt8]] = []
            var values: [JSONValue] = []
            try self.walk(batch: 10_000, in: transaction) { items, _ throws(PotteryError) in
                for item in items {
                    let raw = item.bytes ?? []
                    bytes.append(raw)
                    values.append(try storage.decode(JSONValue.self, raw))
                }
                return true
            }
            guard bytes.count > 1 else { return }
            let order = try Self.pythonSortedIndices(values, reverse: reverse, key: self.key)
            transaction.enqueue(storage.command("DEL"))
            var rpush = storage.command("RPUSH")
            for index in order { rpush.append(bytes: bytes[index]) }
            transaction.enqueue(rpush)
        }
        for reply in replies { try reply.get() }
    }

    /// The indices of `values` in the order Python's `list.sort(reverse:)`
    /// leaves them: CPython's own algorithm (``CPythonListSort``), so that a
    /// NaN lands where Python puts it and the first pair that cannot be
    /// compared is the one Python raises its `TypeError` for.
    static func pythonSortedIndices(_ values: [JSONValue], reverse: Bool, key: RedisKey) throws(PotteryError) -> [Int] {
        try CPythonListSort.sortedIndices(values.count, reverse: reverse) { i, j throws(PotteryError) in
            if let answer = values[i].pythonLess(than: values[j]) { return answer }
            let (a, b) = incomparablePair(values[i], values[j])
            throw PotteryError(.typeError, "'<' not supported between instances of '\(a.pythonTypeName)' and '\(b.pythonTypeName)'",
                               key: key.description)
        }
    }

    /// The two values Python's `a < b` fails on: `a` and `b` themselves, or,
    /// for two arrays, the first items that are not equal (at any depth).
    private static func incomparablePair(_ a: JSONValue, _ b: JSONValue) -> (JSONValue, JSONValue) {
        var (left, right) = (a, b)
        while case let (.array(x), .array(y)) = (left, right),
              let index = x.indices.first(where: { $0 < y.count && !x[$0].pythonEquals(y[$0]) }) {
            (left, right) = (x[index], y[index])
        }
        return (left, right)
    }
}

extension JSONValue {
    /// The Python type `json.loads` gives for this value (`int`, `str`, `NoneType`, ...).
    var pythonTypeName: String {
        switch self {
        case .null: return "NoneType"
        case .bool: return "bool"
        case .int, .bigInt: return "int"
        case .double: return "float"
        case .string: return "str"
        case .array: return "list"
        case .object: return "dict"
        }
    }
}

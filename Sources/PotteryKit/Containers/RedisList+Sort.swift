extension RedisList {
    /// Sorts the list in place with Python's ordering, atomically: the items
    /// are read under `WATCH`, sorted here, and written back with
    /// `MULTI; DEL; RPUSH; EXEC` (retried on conflict), each item keeping its
    /// stored bytes. O(n log n), O(n) memory. pottery: `l.sort(reverse=...)`.
    ///
    /// Python's `list.sort` semantics: stable (equal items keep their order,
    /// also with `reverse`); numbers and booleans by value, strings by code
    /// point, arrays lexicographically. pottery 3.0.1 uses Redis's numeric
    /// `SORT`, which fails on strings; this sorts them as Python does.
    /// - Throws: ``PotteryError/Code/typeError`` (nothing changed) when two
    ///   items cannot be ordered in Python (`None`, objects, a string and a number, ...).
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

    /// The indices of `values` in Python's stable sorted order.
    static func pythonSortedIndices(_ values: [JSONValue], reverse: Bool, key: RedisKey) throws(PotteryError) -> [Int] {
        var failure: PotteryError?
        func less(_ a: JSONValue, _ b: JSONValue) -> Bool {
            guard let answer = a.pythonLess(than: b) else {
                if failure == nil {
                    failure = PotteryError(.typeError, "'<' not supported between instances of '\(a.pythonTypeName)' and '\(b.pythonTypeName)'",
                                           key: key.description)
                }
                return false
            }
            return answer
        }
        let sorted: [Int]
        if values.count < CPythonSmallSort.limit {
            sorted = CPythonSmallSort.sortedIndices(values.count, reverse: reverse) { less(values[$0], values[$1]) }
        } else {
            sorted = values.indices.sorted { i, j in
                let (a, b) = reverse ? (values[j], values[i]) : (values[i], values[j])
                if less(a, b) { return true }
                if less(b, a) { return false }
                return i < j
            }
        }
        if let failure { throw failure }
        return sorted
    }
}

/// CPython's `list.sort` for lists shorter than 64 items (one run: `count_run`,
/// then binary insertion sort), comparing with `<` only, in the same order.
/// Any stable sort gives the same result when the order is consistent; this
/// one also gives Python's result when it is not (a NaN among numbers is
/// neither less nor greater than anything), and meets the same pair first
/// when two items cannot be compared.
enum CPythonSmallSort {
    /// Lists of this many items or more are merged in runs by CPython (not copied here).
    static let limit = 64

    /// The indices `0..<count` in Python's sorted order, `less(i, j)` being
    /// Python's `items[i] < items[j]`. With `reverse`, CPython reverses the
    /// list, sorts it and reverses the result (equal items keep their order).
    static func sortedIndices(_ count: Int, reverse: Bool, less: (Int, Int) -> Bool) -> [Int] {
        var items = Array(0..<count)
        if reverse { items.reverse() }
        if count > 1 {
            var run = 2
            if less(items[1], items[0]) {
                while run < count && less(items[run], items[run - 1]) { run += 1 }
                items[0..<run].reverse()
            } else {
                while run < count && !less(items[run], items[run - 1]) { run += 1 }
            }
            for start in run..<count {
                let pivot = items[start]
                var low = 0
                var high = start
                while low < high {
                    let middle = low + (high - low) / 2
                    if less(pivot, items[middle]) { high = middle } else { low = middle + 1 }
                }
                items.remove(at: start)
                items.insert(pivot, at: low)
            }
        }
        if reverse { items.reverse() }
        return items
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

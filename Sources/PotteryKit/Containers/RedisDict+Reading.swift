extension RedisDict {
    /// Streams the entries in batches of about `count` (`HSCAN`), with bounded
    /// memory however large the hash. O(n) round trips / n.
    ///
    /// An entry whose bytes are not pottery JSON stops the walk with a
    /// ``PotteryError/Code/decodeError``, after every entry before it was delivered.
    /// - Note: as with any `SCAN`, an entry may be delivered twice if the hash
    ///   is resized during the walk.
    public func forEachBatch(count: Int = 1000, _ body: ([(key: Key, value: Value)]) throws(PotteryError) -> Void) throws(PotteryError) {
        let storage = self.storage
        try storage.scan("HSCAN", count: count) { replies throws(PotteryError) in
            try storage.deliver(replies.count / 2, { (pair) throws(PotteryError) -> (key: Key, value: Value) in
                (try storage.decode(Key.self, reply: replies[2 * pair]), try storage.decode(Value.self, reply: replies[2 * pair + 1]))
            }, to: body)
            return true
        }
    }

    /// Every entry, each once (`HSCAN`). pottery: `d.items()`.
    public func items() throws(PotteryError) -> [(key: Key, value: Value)] {
        var seen: Set<[UInt8]> = []
        var items: [(key: Key, value: Value)] = []
        let storage = self.storage
        try storage.scan("HSCAN", count: 1000) { replies throws(PotteryError) in
            var index = 0
            while index + 1 < replies.count {
                if let field = replies[index].bytes, seen.insert(field).inserted {
                    items.append((try storage.decode(Key.self, field), try storage.decode(Value.self, reply: replies[index + 1])))
                }
                index += 2
            }
            return true
        }
        return items
    }

    /// Streams the keys in batches of about `count` (`HSCAN`), with bounded
    /// memory. Only the fields are decoded, as pottery's `iter(d)` does, so a
    /// bad value does not stop a listing of keys.
    public func forEachKeyBatch(count: Int = 1000, _ body: ([Key]) throws(PotteryError) -> Void) throws(PotteryError) {
        let storage = self.storage
        try storage.scan("HSCAN", count: count) { replies throws(PotteryError) in
            try storage.deliver(replies.count / 2, { (pair) throws(PotteryError) -> Key in
                try storage.decode(Key.self, reply: replies[2 * pair])
            }, to: body)
            return true
        }
    }

    /// Every key, each once (`HSCAN`; values are not decoded). pottery: `list(d)` / `d.keys()`.
    public func keys() throws(PotteryError) -> [Key] {
        var seen: Set<[UInt8]> = []
        var keys: [Key] = []
        let storage = self.storage
        try storage.scan("HSCAN", count: 1000) { replies throws(PotteryError) in
            for index in stride(from: 0, to: replies.count - 1, by: 2) {
                if let field = replies[index].bytes, seen.insert(field).inserted {
                    keys.append(try storage.decode(Key.self, field))
                }
            }
            return true
        }
        return keys
    }

    /// Every value (`HSCAN`). pottery: `d.values()`.
    public func values() throws(PotteryError) -> [Value] {
        try items().map(\.value)
    }

    /// The whole dict as a Swift dictionary (`HSCAN`). pottery: `d.to_dict()`.
    ///
    /// Fields whose decoded keys are equal in Swift (e.g. `1` and `1.0` read as
    /// `Double`) merge, the last one read winning, as in Python. Unlike
    /// Python, Swift's `String` equality is canonical equivalence: fields
    /// `"\u{E9}"` and `"e\u{301}"` merge too. ``items()`` keeps every field,
    /// and so do `JSONValue` keys (strings compared by code point).
    public func toDictionary() throws(PotteryError) -> [Key: Value] {
        var dictionary: [Key: Value] = [:]
        for (key, value) in try items() { dictionary[key] = value }
        return dictionary
    }
}

extension RedisDict where Value: Equatable {
    /// Whether the dict holds exactly `other`'s entries. pottery: `d == dict`.
    public func isEqual(to other: [Key: Value]) throws(PotteryError) -> Bool {
        try toDictionary() == other
    }

    /// Whether both dicts hold the same entries. Handles on the same server and
    /// key are equal without reading, as in pottery; otherwise both are read.
    public func isEqual(to other: RedisDict<Key, Value>) throws(PotteryError) -> Bool {
        if connection.configuration.serverIdentity == other.connection.configuration.serverIdentity, key == other.key {
            return true
        }
        return try toDictionary() == other.toDictionary()
    }
}

/// A dictionary kept in a Redis hash, byte-compatible with pottery's `RedisDict`.
///
/// Each dict key is a hash field and each value a hash value, both stored as
/// `json.dumps(x, sort_keys=True)` bytes (see ``PotteryJSON``), so Python
/// pottery on the same key reads and writes the same entries. Use Codable
/// types (`RedisDict<String, Int>`) or ``JSONValue`` for mixed data.
///
/// Every method talks to Redis and `throws`; none returns a stale copy.
///
/// - Important: a `RedisDict` is a handle (see ``RedisContainer``): two
///   handles on one key see the same data.
public final class RedisDict<Key: Codable & Hashable & Sendable, Value: Codable & Sendable>: RedisContainer, @unchecked Sendable {
    // Unchecked Sendable: a RedisContainer subclass (a checked Sendable class can have no superclass); its
    // stored properties are `let`s of Sendable types
    /// A handle on the hash at `key`. Sends nothing; the key may not exist yet.
    public init(_ connection: RedisConnection, key: RedisKey) {
        super.init(connection, key: key, redisType: "hash")
    }

    /// A dict on a new random key `pottery:<uuid4>`, deleted when this handle goes away.
    /// - Throws: ``PotteryError/Code/randomKeyError`` if no free key was found.
    public init(temporaryOn connection: RedisConnection) throws(PotteryError) {
        try super.init(temporaryOn: connection, redisType: "hash")
    }

    /// A dict holding `contents`, as pottery's `RedisDict(contents, key=...)`:
    /// written atomically, and only if the key does not exist yet.
    /// - Throws: ``PotteryError/Code/keyExists`` when the key exists (whatever its type).
    public convenience init(_ connection: RedisConnection, key: RedisKey, contents: [(key: Key, value: Value)]) throws(PotteryError) {
        self.init(connection, key: key)
        guard !contents.isEmpty else { return }
        try storage.createWithData([try hset(contents)])
    }

    /// The value for `key`, or `nil` when the dict has none (`HGET`). pottery: `d.get(k)`.
    public func get(_ key: Key) throws(PotteryError) -> Value? {
        try getResult(storage.send(getCommand(key)))
    }

    // The command and the decoding of `get`, shared by its sync and async forms.
    func getCommand(_ key: Key) throws(PotteryError) -> RedisCommand {
        try storage.command("HGET", encoding: key)
    }

    func getResult(_ reply: RedisReply) throws(PotteryError) -> Value? {
        if reply.isNull { return nil }
        return try storage.decode(Value.self, reply: reply)
    }

    /// The value for `key` (`HGET`). pottery: `d[k]`.
    /// - Throws: ``PotteryError/Code/keyError`` when missing.
    public func value(forKey key: Key) throws(PotteryError) -> Value {
        guard let value = try get(key) else { throw missing(key) }
        return value
    }

    /// Stores `value` under `key` (`HSET`). pottery: `d[k] = v`.
    public func set(_ value: Value, for key: Key) throws(PotteryError) {
        try storage.send(setCommand(value, for: key))
    }

    func setCommand(_ value: Value, for key: Key) throws(PotteryError) -> RedisCommand {
        try storage.command("HSET", encoding: key, value)
    }

    /// Whether `key` is in the dict (`HEXISTS`). pottery: `k in d`.
    public func contains(_ key: Key) throws(PotteryError) -> Bool {
        try storage.integer(containsCommand(key)) == 1
    }

    func containsCommand(_ key: Key) throws(PotteryError) -> RedisCommand {
        try storage.command("HEXISTS", encoding: key)
    }

    /// The number of entries (`HLEN`). pottery: `len(d)`.
    public func count() throws(PotteryError) -> Int {
        try storage.integer(storage.command("HLEN"))
    }

    /// Deletes `key` (`HDEL`). pottery: `del d[k]`.
    /// - Throws: ``PotteryError/Code/keyError`` when missing.
    public func delete(_ key: Key) throws(PotteryError) {
        if try storage.integer(storage.command("HDEL", try storage.encode(key))) == 0 { throw missing(key) }
    }

    /// Deletes the `keys` that are present, in one atomic round trip
    /// (`MULTI; HEXISTS…; HDEL; EXEC`), and returns the ones that were missing.
    public func removeValues(forKeys keys: [Key]) throws(PotteryError) -> [Key] {
        guard !keys.isEmpty else { return [] }
        let storage = self.storage
        let fields = try keys.map { (key) throws(PotteryError) in try storage.encode(key) }
        var hdel = storage.command("HDEL")
        for field in fields { hdel.append(bytes: field) }
        let (_, replies) = try storage.transaction(watching: []) { transaction throws(PotteryError) in
            for field in fields { transaction.enqueue(storage.command("HEXISTS", field)) }
            transaction.enqueue(hdel)
        }
        try replies.last?.get()
        return zip(keys, replies).filter { $0.1 == .integer(0) }.map(\.0)
    }

    /// Removes `key` and returns its value, or `nil` when missing. pottery: `d.pop(k, None)`.
    ///
    /// Atomic (`WATCH; HGET; MULTI; HDEL; EXEC`, retried on conflict). Stored
    /// bytes that are not pottery JSON throw and delete nothing, as in pottery.
    @discardableResult
    public func removeValue(forKey key: Key) throws(PotteryError) -> Value? {
        let field = try storage.encode(key)
        let storage = self.storage
        return try storage.transaction(watching: [self.key]) { transaction throws(PotteryError) -> Value? in
            let reply = try transaction.send(storage.command("HGET", field))
            if reply.isNull { return nil }
            let value = try storage.decode(Value.self, reply: reply)
            transaction.enqueue(storage.command("HDEL", field))
            return value
        }.value
    }

    /// Removes and returns some entry. pottery: `d.popitem()` (which takes the
    /// first field `HSCAN` finds; so does this).
    ///
    /// Atomic (`WATCH; HSCAN; MULTI; HDEL; EXEC`). An entry whose bytes are not
    /// pottery JSON throws and is not deleted, as in pottery.
    /// - Throws: ``PotteryError/Code/keyError`` when the dict is empty.
    public func popItem() throws(PotteryError) -> (key: Key, value: Value) {
        let storage = self.storage
        let (item, _) = try storage.transaction(watching: [key]) { transaction throws(PotteryError) -> (key: Key, value: Value)? in
            var found: (field: [UInt8], value: [UInt8])?
            try storage.scan("HSCAN", count: 10, in: transaction) { batch throws(PotteryError) in
                guard batch.count >= 2, let field = batch[0].bytes, let value = batch[1].bytes else { return true }
                found = (field, value)
                return false
            }
            guard let found else { return nil }
            let item = (key: try storage.decode(Key.self, found.field), value: try storage.decode(Value.self, found.value))
            transaction.enqueue(storage.command("HDEL", found.field))
            return item
        }
        guard let item else {
            throw PotteryError(.keyError, "popitem(): dictionary is empty", key: key.description, server: connection.server)
        }
        return item
    }

    /// Returns the value for `key`, first storing `value` there if the key is
    /// missing, atomically (`MULTI; HSETNX; HGET; EXEC`). pottery: `d.setdefault(k, v)`.
    @discardableResult
    public func setDefault(_ value: Value, for key: Key) throws(PotteryError) -> Value {
        let field = try storage.encode(key)
        let encoded = try storage.encode(value)
        let storage = self.storage
        let (_, replies) = try storage.transaction(watching: []) { transaction throws(PotteryError) in
            transaction.enqueue(storage.command("HSETNX", field, encoded))
            transaction.enqueue(storage.command("HGET", field))
        }
        try replies[0].get()
        return try storage.decode(Value.self, reply: try replies[1].get())
    }

    /// Stores every pair in one `HSET` (later pairs win). Nothing is sent for
    /// no pairs. pottery: `d.update(...)`.
    public func update(_ pairs: [(key: Key, value: Value)]) throws(PotteryError) {
        guard !pairs.isEmpty else { return }
        try storage.send(try hset(pairs))
    }

    /// Stores every entry of a Swift dictionary in one `HSET`.
    public func update(_ dictionary: [Key: Value]) throws(PotteryError) {
        try update(dictionary.map { (key: $0.key, value: $0.value) })
    }

    /// Deletes the hash (`UNLINK`). pottery: `d.clear()`.
    ///
    /// Unlike pottery, a key holding another Redis type is left alone.
    /// - Throws: ``PotteryError/Code/wrongType`` then.
    public func clear() throws(PotteryError) {
        try storage.clear()
    }

    private func hset(_ pairs: [(key: Key, value: Value)]) throws(PotteryError) -> RedisCommand {
        var hset = storage.command("HSET")
        for pair in pairs {
            hset.append(bytes: try storage.encode(pair.key))
            hset.append(bytes: try storage.encode(pair.value))
        }
        return hset
    }

    func missing(_ key: Key) -> PotteryError {
        let shown = (try? PotteryJSON.encode(key)).map { String(decoding: $0, as: UTF8.self) } ?? "\(key)"
        return PotteryError(.keyError, shown, key: self.key.description, server: connection.server)
    }
}

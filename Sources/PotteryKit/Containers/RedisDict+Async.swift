/// The async forms, which never block Swift's cooperative pool. The
/// one-command ones build their command and decode their reply with the same
/// code as the sync forms, and send through the connection's async pipeline
/// (``AsyncRedisConnection/send(_:)``): tasks sharing one connection overlap their
/// round trips. The others run the sync method on PotteryKit's I/O threads.
/// A task cancelled before its command is sent gets `CancellationError` and
/// nothing is sent; once sent, the command completes and its result is returned.
extension RedisDict {
    /// The async forms of this dict's calls: `try await dict.async.get(key)`.
    public var async: AsyncRedisDict<Key, Value> { AsyncRedisDict(dict: self) }
}

/// The async forms of a ``RedisDict``'s calls (``RedisDict/async``).
public struct AsyncRedisDict<Key: Codable & Hashable & Sendable, Value: Codable & Sendable>: Sendable {
    /// The dict.
    public let dict: RedisDict<Key, Value>

    /// ``RedisDict/get(_:)`` without blocking the cooperative pool.
    public func get(_ key: Key) async throws -> Value? {
        try dict.getResult(await dict.storage.sendAsync(dict.getCommand(key)))
    }

    /// ``RedisDict/value(forKey:)`` without blocking the cooperative pool.
    public func value(forKey key: Key) async throws -> Value {
        guard let value = try await get(key) else { throw dict.missing(key) }
        return value
    }

    /// ``RedisDict/set(_:for:)`` without blocking the cooperative pool.
    public func set(_ value: Value, for key: Key) async throws {
        try await dict.storage.sendAsync(dict.setCommand(value, for: key))
    }

    /// ``RedisDict/contains(_:)`` without blocking the cooperative pool.
    public func contains(_ key: Key) async throws -> Bool {
        try await dict.storage.sendAsync(dict.containsCommand(key)).integer == 1
    }

    /// ``RedisDict/count()`` without blocking the cooperative pool.
    public func count() async throws -> Int {
        Int(try await dict.storage.sendAsync(dict.storage.command("HLEN")).integer ?? 0)
    }

    /// ``RedisDict/delete(_:)`` without blocking the cooperative pool.
    public func delete(_ key: Key) async throws {
        try await IOThreadPool.shared.run { [dict] () throws(PotteryError) in try dict.delete(key) }
    }

    /// ``RedisDict/removeValues(forKeys:)`` without blocking the cooperative pool.
    public func removeValues(forKeys keys: [Key]) async throws -> [Key] {
        try await IOThreadPool.shared.run { [dict] () throws(PotteryError) in try dict.removeValues(forKeys: keys) }
    }

    /// ``RedisDict/removeValue(forKey:)`` without blocking the cooperative pool.
    public func removeValue(forKey key: Key) async throws -> Value? {
        try await IOThreadPool.shared.run { [dict] () throws(PotteryError) in try dict.removeValue(forKey: key) }
    }

    /// ``RedisDict/popItem()`` without blocking the cooperative pool.
    public func popItem() async throws -> (key: Key, value: Value) {
        try await IOThreadPool.shared.run { [dict] () throws(PotteryError) in try dict.popItem() }
    }

    /// ``RedisDict/setDefault(_:for:)`` without blocking the cooperative pool.
    public func setDefault(_ value: Value, for key: Key) async throws -> Value {
        try await IOThreadPool.shared.run { [dict] () throws(PotteryError) in try dict.setDefault(value, for: key) }
    }

    /// `RedisDict.update(_:)` of pairs, without blocking the cooperative pool.
    public func update(_ pairs: [(key: Key, value: Value)]) async throws {
        try await IOThreadPool.shared.run { [dict] () throws(PotteryError) in try dict.update(pairs) }
    }

    /// `RedisDict.update(_:)` of a dictionary, without blocking the cooperative pool.
    public func update(_ dictionary: [Key: Value]) async throws {
        try await IOThreadPool.shared.run { [dict] () throws(PotteryError) in try dict.update(dictionary) }
    }

    /// ``RedisDict/clear()`` without blocking the cooperative pool.
    public func clear() async throws {
        try await IOThreadPool.shared.run { [dict] () throws(PotteryError) in try dict.clear() }
    }

    /// `RedisDict.items()` without blocking the cooperative pool.
    public func items() async throws -> [(key: Key, value: Value)] {
        try await IOThreadPool.shared.run { [dict] () throws(PotteryError) in try dict.items() }
    }

    /// ``RedisDict/keys()`` without blocking the cooperative pool.
    public func keys() async throws -> [Key] {
        try await IOThreadPool.shared.run { [dict] () throws(PotteryError) in try dict.keys() }
    }

    /// ``RedisDict/values()`` without blocking the cooperative pool.
    public func values() async throws -> [Value] {
        try await IOThreadPool.shared.run { [dict] () throws(PotteryError) in try dict.values() }
    }

    /// ``RedisDict/toDictionary()`` without blocking the cooperative pool.
    public func toDictionary() async throws -> [Key: Value] {
        try await IOThreadPool.shared.run { [dict] () throws(PotteryError) in try dict.toDictionary() }
    }

    /// ``RedisDict/forEachBatch(count:_:)`` without blocking the cooperative
    /// pool: the walk runs on a thread of its own, one batch in flight at a
    /// time, and `body` runs in this task. A throwing body or a cancelled
    /// task (`CancellationError`) stops the walk at its next batch.
    public func forEachBatch(count: Int = 1000, _ body: ([(key: Key, value: Value)]) async throws -> Void) async throws {
        try await BatchHandoff.forEachBatch({ [dict] deliver throws(PotteryError) in
            try dict.forEachBatch(count: count, deliver)
        }, body)
    }

    /// ``RedisDict/forEachKeyBatch(count:_:)`` without blocking the cooperative pool, as ``forEachBatch(count:_:)``.
    public func forEachKeyBatch(count: Int = 1000, _ body: ([Key]) async throws -> Void) async throws {
        try await BatchHandoff.forEachBatch({ [dict] deliver throws(PotteryError) in
            try dict.forEachKeyBatch(count: count, deliver)
        }, body)
    }

    /// ``RedisDict/isEqual(to:)-([Key:Value])`` without blocking the cooperative pool.
    public func isEqual(to other: [Key: Value]) async throws -> Bool where Value: Equatable {
        try await IOThreadPool.shared.run { [dict] () throws(PotteryError) in try dict.isEqual(to: other) }
    }

    /// ``RedisDict/isEqual(to:)-(RedisDict<Key,Value>)`` without blocking the cooperative pool.
    public func isEqual(to other: RedisDict<Key, Value>) async throws -> Bool where Value: Equatable {
        try await IOThreadPool.shared.run { [dict] () throws(PotteryError) in try dict.isEqual(to: other) }
    }
}

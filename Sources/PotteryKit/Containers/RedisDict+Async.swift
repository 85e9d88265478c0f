/// The async forms: each runs the synchronous method of the same name on
/// PotteryKit's I/O threads (``IOThreadPool``), never on Swift's cooperative
/// pool, so the command building and decoding are the same code. Tasks
/// sharing one connection overlap their round trips. A task cancelled before
/// its command is sent gets `CancellationError` and nothing is sent; once
/// sent, the command completes and its result is returned.
extension RedisDict {
    /// ``get(_:)`` without blocking the cooperative pool.
    public func get(_ key: Key) async throws -> Value? {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try self.get(key) }
    }

    /// ``value(forKey:)`` without blocking the cooperative pool.
    public func value(forKey key: Key) async throws -> Value {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try self.value(forKey: key) }
    }

    /// ``set(_:for:)`` without blocking the cooperative pool.
    public func set(_ value: Value, for key: Key) async throws {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try self.set(value, for: key) }
    }

    /// ``contains(_:)`` without blocking the cooperative pool.
    public func contains(_ key: Key) async throws -> Bool {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try self.contains(key) }
    }

    /// ``count()`` without blocking the cooperative pool.
    public func count() async throws -> Int {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try self.count() }
    }

    /// ``delete(_:)`` without blocking the cooperative pool.
    public func delete(_ key: Key) async throws {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try self.delete(key) }
    }

    /// ``removeValues(forKeys:)`` without blocking the cooperative pool.
    public func removeValues(forKeys keys: [Key]) async throws -> [Key] {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try self.removeValues(forKeys: keys) }
    }

    /// ``removeValue(forKey:)`` without blocking the cooperative pool.
    public func removeValue(forKey key: Key) async throws -> Value? {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try self.removeValue(forKey: key) }
    }

    /// ``popItem()`` without blocking the cooperative pool.
    public func popItem() async throws -> (key: Key, value: Value) {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try self.popItem() }
    }

    /// ``setDefault(_:for:)`` without blocking the cooperative pool.
    public func setDefault(_ value: Value, for key: Key) async throws -> Value {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try self.setDefault(value, for: key) }
    }

    /// ``update(_:)-(_:[(key:Key,value:Value)])`` without blocking the cooperative pool.
    public func update(_ pairs: [(key: Key, value: Value)]) async throws {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try self.update(pairs) }
    }

    /// ``update(_:)-([Key:Value])`` without blocking the cooperative pool.
    public func update(_ dictionary: [Key: Value]) async throws {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try self.update(dictionary) }
    }

    /// ``clear()`` without blocking the cooperative pool.
    public func clear() async throws {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try self.clear() }
    }

    /// ``items()`` without blocking the cooperative pool.
    public func items() async throws -> [(key: Key, value: Value)] {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try self.items() }
    }

    /// ``keys()`` without blocking the cooperative pool.
    public func keys() async throws -> [Key] {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try self.keys() }
    }

    /// ``values()`` without blocking the cooperative pool.
    public func values() async throws -> [Value] {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try self.values() }
    }

    /// ``toDictionary()`` without blocking the cooperative pool.
    public func toDictionary() async throws -> [Key: Value] {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try self.toDictionary() }
    }
}

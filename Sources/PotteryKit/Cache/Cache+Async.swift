/// The async forms, which never block the cooperative pool (as ``RedisDict/async``):
/// every exchange of the caches is one script or command, built and decoded
/// by the same code as the sync forms and sent through the connection's async pipeline.
extension RedisCache {
    /// The async forms of this cache's calls: `try await cache.async.value(forField: f)`.
    public var async: AsyncRedisCache { AsyncRedisCache(cache: self) }
}

/// The async forms of a ``RedisCache``'s calls (``RedisCache/async``).
public struct AsyncRedisCache: Sendable {
    /// The cache.
    public let cache: RedisCache

    /// ``RedisCache/value(forField:)`` without blocking the cooperative pool.
    public func value(forField field: JSONValue) async throws -> JSONValue? {
        guard let bytes = try await lookup(cache.storage.encode(field)) else { return nil }
        return try cache.storage.decode(JSONValue.self, bytes)
    }

    /// ``RedisCache/store(_:forField:)`` without blocking the cooperative pool.
    public func store(_ value: JSONValue, forField field: JSONValue) async throws {
        try await cache.storage.sendAsync(cache.storeCommand(cache.storage.encode(value), at: cache.storage.encode(field)))
    }

    /// ``RedisCache/count()`` without blocking the cooperative pool.
    public func count() async throws -> Int {
        try await cache.storage.integerAsync(cache.storage.command("HLEN"))
    }

    /// ``RedisCache/clear()`` without blocking the cooperative pool.
    public func clear() async throws {
        try await cache.storage.sendAsync(cache.storage.clearCommand())
    }

    /// The lookup exchange (`HGET` and the expiry reset) from a task.
    func lookup(_ field: [UInt8]) async throws -> [UInt8]? {
        cache.lookupResult(try await cache.storage.sendAsync(cache.lookupCommand(field)))
    }
}

extension CachedFunction {
    /// The async forms of this function's calls: `try await square.async(12)`.
    ///
    /// The wrapped function itself stays synchronous and runs in the calling
    /// task on a miss; only the Redis exchanges leave the task's thread.
    public var async: AsyncCachedFunction<Arguments, Result> { AsyncCachedFunction(function: self) }
}

/// The async forms of a ``CachedFunction``'s calls (``CachedFunction/async``).
public struct AsyncCachedFunction<Arguments: Encodable, Result: Codable>: Sendable {
    /// The memoized function.
    public let function: CachedFunction<Arguments, Result>

    /// ``CachedFunction/callAsFunction(_:)`` without blocking the cooperative pool.
    public func callAsFunction(_ arguments: Arguments) async throws -> Result {
        let cache = function.cache
        let field = try cache.storage.encode(arguments)
        if let stored = try await cache.async.lookup(field) { return try function.hit(stored) }
        let value = try function.compute(arguments)
        try await cache.storage.sendAsync(cache.storeCommand(cache.storage.encode(value), at: field))
        function.recordMiss()
        return value
    }

    /// ``CachedFunction/bypass(_:)`` without blocking the cooperative pool.
    public func bypass(_ arguments: Arguments) async throws -> Result {
        let cache = function.cache
        let field = try cache.storage.encode(arguments)
        let value = try function.compute(arguments)
        try await cache.storage.sendAsync(cache.storeCommand(cache.storage.encode(value), at: field))
        return value
    }

    /// ``CachedFunction/cacheInfo()`` without blocking the cooperative pool.
    public func cacheInfo() async throws -> CacheInfo {
        function.info(size: try await function.cache.async.count())
    }

    /// ``CachedFunction/cacheClear()`` without blocking the cooperative pool.
    public func cacheClear() async throws {
        try await function.cache.async.clear()
        function.resetCounts()
    }
}

extension CachedOrderedDict {
    /// The async forms of this dict's calls: `try await prices.async.set(2.5, for: "tea")`.
    public var async: AsyncCachedOrderedDict<Key, Value> { AsyncCachedOrderedDict(dict: self) }

    /// ``init(_:key:dictKeys:timeout:)`` without blocking the cooperative pool.
    public static func load(_ connection: RedisConnection, key: RedisKey, dictKeys: [Key] = [],
                            timeout: Duration? = .seconds(60)) async throws -> CachedOrderedDict<Key, Value> {
        try await IOThreadPool.shared.run { () throws(PotteryError) in
            try CachedOrderedDict(connection, key: key, dictKeys: dictKeys, timeout: timeout)
        }
    }
}

/// The async forms of a ``CachedOrderedDict``'s Redis calls (``CachedOrderedDict/async``).
public struct AsyncCachedOrderedDict<Key: Codable & Hashable & Sendable, Value: Codable & Sendable>: Sendable {
    /// The dict.
    public let dict: CachedOrderedDict<Key, Value>

    /// ``CachedOrderedDict/set(_:for:)`` without blocking the cooperative pool.
    public func set(_ value: Value, for key: Key) async throws {
        try await update([(key: key, value: value)])
    }

    /// ``CachedOrderedDict/update(_:)`` without blocking the cooperative pool.
    public func update(_ pairs: [(key: Key, value: Value)]) async throws {
        for command in try dict.storeCommands(pairs) { try await dict.storage.sendAsync(command) }
        dict.remember(pairs)
    }

    /// ``CachedOrderedDict/setDefault(_:for:)`` without blocking the cooperative pool.
    public func setDefault(_ value: Value, for key: Key) async throws -> Value {
        if let present = dict[key] { return present }
        try await set(value, for: key)
        return value
    }
}

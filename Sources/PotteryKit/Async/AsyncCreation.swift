// The async forms of the initializers that talk to Redis: a container made on
// a random key (`init(temporaryOn:)` finds a free key) or with contents (written
// atomically, only if the key is new). Each runs its sync initializer on one of
// PotteryKit's I/O threads, so the cooperative pool is never blocked, and
// shares all of its code. Handles made without contents send nothing and need
// no async form.

extension RedisDict {
    /// ``init(temporaryOn:)`` without blocking the cooperative pool.
    public static func makeTemporary(on connection: RedisConnection) async throws -> RedisDict {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try RedisDict(temporaryOn: connection) }
    }

    /// ``init(_:key:contents:)`` without blocking the cooperative pool.
    public static func make(_ connection: RedisConnection, key: RedisKey,
                            contents: [(key: Key, value: Value)]) async throws -> RedisDict {
        let pairs = contents.map { Pair(key: $0.key, value: $0.value) }
        return try await IOThreadPool.shared.run { () throws(PotteryError) in
            try RedisDict(connection, key: key, contents: pairs.map { (key: $0.key, value: $0.value) })
        }
    }

    /// A labelled tuple is not `Sendable`; this pair carries one across threads.
    private struct Pair: Sendable {
        let key: Key
        let value: Value
    }
}

extension RedisSet {
    /// ``init(temporaryOn:)`` without blocking the cooperative pool.
    public static func makeTemporary(on connection: RedisConnection) async throws -> RedisSet {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try RedisSet(temporaryOn: connection) }
    }

    /// ``init(_:key:contents:)`` without blocking the cooperative pool.
    public static func make(_ connection: RedisConnection, key: RedisKey, contents: [Element]) async throws -> RedisSet {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try RedisSet(connection, key: key, contents: contents) }
    }
}

extension RedisList {
    /// ``init(temporaryOn:)`` without blocking the cooperative pool.
    public static func makeTemporary(on connection: RedisConnection) async throws -> RedisList {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try RedisList(temporaryOn: connection) }
    }

    /// ``init(_:key:contents:)`` without blocking the cooperative pool.
    public static func make(_ connection: RedisConnection, key: RedisKey, contents: [Element]) async throws -> RedisList {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try RedisList(connection, key: key, contents: contents) }
    }
}

extension RedisDeque {
    /// `init(_:key:contents:maxlen:)` without blocking the cooperative pool.
    public static func make(_ connection: RedisConnection, key: RedisKey, contents: [Element],
                            maxlen: Int? = nil) async throws -> RedisDeque {
        try await IOThreadPool.shared.run { () throws(PotteryError) in
            try RedisDeque(connection, key: key, contents: contents, maxlen: maxlen)
        }
    }
}

extension RedisCounter {
    /// ``init(temporaryOn:)`` without blocking the cooperative pool.
    public static func makeTemporary(on connection: RedisConnection) async throws -> RedisCounter {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try RedisCounter(temporaryOn: connection) }
    }

    /// ``init(_:key:counting:)`` without blocking the cooperative pool.
    public static func make(_ connection: RedisConnection, key: RedisKey, counting elements: [Element]) async throws -> RedisCounter {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try RedisCounter(connection, key: key, counting: elements) }
    }
}

extension RedisSimpleQueue {
    /// ``init(temporaryOn:)`` without blocking the cooperative pool.
    public static func makeTemporary(on connection: RedisConnection) async throws -> RedisSimpleQueue {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try RedisSimpleQueue(temporaryOn: connection) }
    }
}

extension HyperLogLog where Element: Sendable {
    /// ``init(temporaryOn:)`` without blocking the cooperative pool.
    public static func makeTemporary(on connection: RedisConnection) async throws -> HyperLogLog {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try HyperLogLog(temporaryOn: connection) }
    }
}

extension BloomFilter where Element: Sendable {
    /// ``init(temporaryOn:sizing:)`` without blocking the cooperative pool.
    public static func makeTemporary(on connection: RedisConnection, sizing: BloomFilterSizing) async throws -> BloomFilter {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try BloomFilter(temporaryOn: connection, sizing: sizing) }
    }
}

extension RedisCache {
    /// ``init(temporaryOn:timeout:)`` without blocking the cooperative pool.
    public static func makeTemporary(on connection: RedisConnection, timeout: Duration? = .seconds(60)) async throws -> RedisCache {
        try await IOThreadPool.shared.run { () throws(PotteryError) in try RedisCache(temporaryOn: connection, timeout: timeout) }
    }
}

extension CachedOrderedDict {
    /// ``init(_:key:dictKeys:timeout:)`` (which loads `dictKeys`) without blocking the cooperative pool.
    public static func make(_ connection: RedisConnection, key: RedisKey, dictKeys: [Key] = [],
                            timeout: Duration? = .seconds(60)) async throws -> CachedOrderedDict {
        try await IOThreadPool.shared.run { () throws(PotteryError) in
            try CachedOrderedDict(connection, key: key, dictKeys: dictKeys, timeout: timeout)
        }
    }
}

/// pottery's `CachedOrderedDict`: an ordered dictionary of the keys you ask
/// for, filled from a Redis hash in one round trip, that writes new values
/// through to Redis.
///
/// The hash is pottery's (field = JSON of the key, value = JSON of the
/// value), so Python's `CachedOrderedDict` and ``RedisDict`` read the same
/// entries. Keys missing from Redis are ``misses``: fill them (``set(_:for:)``,
/// ``update(_:)``) and they are written to Redis and leave the misses. Reads
/// (``subscript(_:)``, ``items``) send nothing. Every write resets the hash's
/// expiry to ``timeout`` (default 60 s, pottery's; `nil` leaves the expiry as
/// it is, `.zero` keeps the hash for ever).
///
/// ```swift
/// let prices = try CachedOrderedDict<String, Double>(redis, key: "prices", dictKeys: ["tea", "coffee"])
/// for item in prices.misses { try prices.set(lookUpPrice(item), for: item) }
/// ```
public final class CachedOrderedDict<Key: Codable & Hashable & Sendable, Value: Codable & Sendable>: RedisContainer,
    @unchecked Sendable {
    /// How long the hash lives after the last write; `nil` for ever.
    public let timeout: Duration?
    let cache: RedisCache
    private let state = ConnectionLock()
    // Guarded by `state`.
    private var order: [Key] = []
    private var values: [Key: Value] = [:]
    private var missing: Set<Key> = []

    /// Loads `dictKeys` (in their order, repeats once) from the hash at `key`
    /// in one round trip, and resets the hash's expiry.
    /// - Throws: ``PotteryError/Code/wrongType`` when the key holds another
    ///   Redis type; a data error for stored bytes that are not pottery JSON.
    public init(_ connection: RedisConnection, key: RedisKey, dictKeys: [Key] = [],
                timeout: Duration? = .seconds(60)) throws(PotteryError) {
        self.timeout = timeout
        self.cache = RedisCache(connection, key: key, timeout: timeout)
        super.init(connection, key: key, redisType: "hash")
        var seen = Set<Key>()
        let keys = dictKeys.filter { seen.insert($0).inserted }
        order = keys
        guard !keys.isEmpty else { return }
        var fields: [[UInt8]] = []
        for key in keys { fields.append(try storage.encode(key)) }
        var replies: [RedisReply] = []
        var start = 0
        while start < fields.count {  // scripts take at most a few thousand arguments
            let chunk = Array(fields[start..<min(start + Self.chunk, fields.count)])
            replies += try cache.evaluate(RedisCache.loadScript, [cache.expiryArgument] + chunk).array ?? []
            start += Self.chunk
        }
        for (key, reply) in zip(keys, replies) {
            if let bytes = reply.bytes {
                values[key] = try storage.decode(Value.self, bytes)
            } else {
                missing.insert(key)
            }
        }
    }

    static var chunk: Int { 1000 }

    /// The keys, in the order asked for and then added.
    public var keys: [Key] { state.withLock { order } }

    /// The keys Redis did not hold and that have not been set since.
    public var misses: Set<Key> { state.withLock { missing } }

    /// The value for `key`: loaded or set; `nil` for a miss or a key never asked for. Sends nothing.
    public subscript(key: Key) -> Value? { state.withLock { values[key] } }

    /// Every key in order with its value (`nil` for a miss). Sends nothing.
    public var items: [(key: Key, value: Value?)] {
        state.withLock { order.map { (key: $0, value: values[$0]) } }
    }

    /// Sets `value` for `key`, in Redis and here, and resets the expiry. One round trip.
    public func set(_ value: Value, for key: Key) throws(PotteryError) {
        try update([(key: key, value: value)])
    }

    /// Sets every pair, in Redis (one round trip per thousand pairs) and here, and resets the expiry.
    public func update(_ pairs: [(key: Key, value: Value)]) throws(PotteryError) {
        for command in try storeCommands(pairs) { try cache.evaluate(command) }
        remember(pairs)
    }

    /// The store scripts of ``update(_:)``, a thousand pairs each (shared by the sync and async forms).
    func storeCommands(_ pairs: [(key: Key, value: Value)]) throws(PotteryError) -> [RedisCommand] {
        var encoded: [[UInt8]] = []
        for (key, value) in pairs {
            encoded.append(try storage.encode(key))
            encoded.append(try storage.encode(value))
        }
        var commands: [RedisCommand] = []
        var start = 0
        while start < encoded.count {
            let chunk = Array(encoded[start..<min(start + 2 * Self.chunk, encoded.count)])
            commands.append(RedisCache.storeScript.command(keys: [key], arguments: [cache.expiryArgument] + chunk))
            start += 2 * Self.chunk
        }
        return commands
    }

    /// Records pairs stored in Redis here.
    func remember(_ pairs: [(key: Key, value: Value)]) {
        state.withLock {
            for (key, value) in pairs {
                if values[key] == nil && !missing.contains(key) && !order.contains(key) { order.append(key) }
                values[key] = value
                missing.remove(key)
            }
        }
    }

    /// The value for `key` when it is loaded or set; otherwise sets `value`
    /// (in Redis and here) and returns it, as Python's `setdefault`.
    public func setDefault(_ value: Value, for key: Key) throws(PotteryError) -> Value {
        if let present = self[key] { return present }
        try set(value, for: key)
        return value
    }
}

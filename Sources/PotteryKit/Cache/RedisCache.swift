/// pottery's `redis_cache()`: memoized results in a Redis hash, one field per
/// argument list, the value pottery JSON of the result.
///
/// pottery names a field by Python's `hash()` of the arguments, which Python
/// salts per process, so two Python processes rarely share an entry. Here a
/// field is the pottery JSON of the arguments value (sorted keys, so one
/// value has one text): stable across processes and machines, and readable
/// with `pottery-cli inspect`. The value and expiry are pottery's: every
/// lookup or store resets the whole hash's expiry to ``timeout`` (default
/// 60 s). `nil` is pottery's `timeout=None`: the expiry is left as it is;
/// `.zero` keeps the hash for ever (each use removes any expiry: `PERSIST`).
///
/// ```swift
/// let cache = RedisCache(redis, key: "expensive")
/// let square = cache.memoize { (n: Int) in n * n }
/// try square(12)   // computed and stored
/// try square(12)   // one round trip: a hit
/// ```
///
/// - Important: a `RedisCache` is a handle (see ``RedisContainer``).
public final class RedisCache: RedisContainer, @unchecked Sendable {
    // Unchecked Sendable: a RedisContainer subclass (a checked Sendable class can have no superclass); its
    // stored properties are `let`s of Sendable types
    /// How long the whole cache lives after its last use: `nil` leaves the
    /// hash's expiry as it is (pottery's `None`), `.zero` removes it (for ever).
    public let timeout: Duration?

    /// A cache in the hash at `key`. Sends nothing.
    public init(_ connection: RedisConnection, key: RedisKey, timeout: Duration? = .seconds(60)) {
        self.timeout = timeout
        super.init(connection, key: key, redisType: "hash")
    }

    /// A cache on a new random key `pottery:<uuid4>`, deleted when this handle goes away.
    /// - Throws: ``PotteryError/Code/randomKeyError`` if no free key was found.
    public init(temporaryOn connection: RedisConnection, timeout: Duration? = .seconds(60)) throws(PotteryError) {
        self.timeout = timeout
        try super.init(temporaryOn: connection, redisType: "hash")
    }

    /// Wraps `function` so that each call with arguments already seen returns
    /// the stored result (see ``CachedFunction``).
    public func memoize<Arguments: Encodable, Result: Codable>(
        _ function: @escaping (Arguments) throws -> Result
    ) -> CachedFunction<Arguments, Result> {
        CachedFunction(cache: self, function: function)
    }

    /// The value stored for `field`, or `nil` when there is none (a stored
    /// JSON `null` is `.null`); resets the cache's expiry. One round trip.
    /// - Throws: ``PotteryError/Code/wrongType`` when the key holds another
    ///   Redis type (nothing changes); a data error for stored bytes that are not JSON.
    public func value(forField field: JSONValue) throws(PotteryError) -> JSONValue? {
        guard let bytes = try lookup(storage.encode(field)) else { return nil }
        return try storage.decode(JSONValue.self, bytes)
    }

    /// Stores `value` for `field` and resets the cache's expiry. One round trip.
    /// - Throws: ``PotteryError/Code/wrongType`` when the key holds another Redis type.
    public func store(_ value: JSONValue, forField field: JSONValue) throws(PotteryError) {
        try store(storage.encode(value), at: storage.encode(field))
    }

    /// How many entries the cache holds (`HLEN`).
    public func count() throws(PotteryError) -> Int {
        try storage.integer(storage.command("HLEN"))
    }

    /// Deletes every entry (`UNLINK`); a key of another Redis type is left alone and is an error.
    public func clear() throws(PotteryError) {
        try storage.clear()
    }

    // MARK: the two exchanges

    /// The scripts' expiry argument: milliseconds, `persist` (`.zero` or
    /// less: for ever), or empty (`nil`: untouched).
    var expiryArgument: [UInt8] {
        guard let timeout else { return [] }
        guard timeout > .zero else { return Array("persist".utf8) }
        return Array(String(max(timeout.wholeMilliseconds, 1)).utf8)
    }

    /// The scripts' expiry step: `expiry` is ARGV[N], see ``expiryArgument``.
    private static func expiring(_ argument: String) -> String {
        """
        if \(argument) == 'persist' then redis.call('persist', KEYS[1])
        elseif \(argument) ~= '' then redis.call('pexpire', KEYS[1], \(argument)) end
        """
    }

    /// `HGET` and the expiry reset, in one script: a hit is one round trip, and a
    /// key of another type gets `WRONGTYPE` before its expiry could change.
    func lookup(_ field: [UInt8]) throws(PotteryError) -> [UInt8]? {
        lookupResult(try evaluate(lookupCommand(field)))
    }

    // The commands of the two exchanges and the lookup's decoding, shared by the sync and async forms.
    func lookupCommand(_ field: [UInt8]) -> RedisCommand {
        Self.lookupScript.command(keys: [key], arguments: [field, expiryArgument])
    }

    func lookupResult(_ reply: RedisReply) -> [UInt8]? {
        reply.isNull ? nil : reply.bytes
    }

    func store(_ value: [UInt8], at field: [UInt8]) throws(PotteryError) {
        try evaluate(storeCommand(value, at: field))
    }

    func storeCommand(_ value: [UInt8], at field: [UInt8]) -> RedisCommand {
        Self.storeScript.command(keys: [key], arguments: [expiryArgument, field, value])
    }

    @discardableResult
    func evaluate(_ script: RedisScript, _ arguments: [[UInt8]]) throws(PotteryError) -> RedisReply {
        try evaluate(script.command(keys: [key], arguments: arguments))
    }

    /// Sends one of the cache's script commands; errors name the key.
    @discardableResult
    func evaluate(_ command: RedisCommand) throws(PotteryError) -> RedisReply {
        do {
            return try connection.send(command)
        } catch {
            throw error.naming(key: key)
        }
    }

    /// ARGV: field, expiry (``expiryArgument``).
    static let lookupScript = RedisScript("""
        local value = redis.call('hget', KEYS[1], ARGV[1])
        \(expiring("ARGV[2]"))
        return value
        """)

    /// ARGV: expiry (``expiryArgument``), then field, value pairs.
    static let storeScript = RedisScript("""
        redis.call('hset', KEYS[1], unpack(ARGV, 2))
        \(expiring("ARGV[1]"))
        return 1
        """)

    /// ARGV: expiry (``expiryArgument``), then the fields. `HMGET` and the expiry reset.
    static let loadScript = RedisScript("""
        local values = redis.call('hmget', KEYS[1], unpack(ARGV, 2))
        \(expiring("ARGV[1]"))
        return values
        """)
}

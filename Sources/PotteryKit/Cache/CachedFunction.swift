/// A function memoized in a ``RedisCache`` (``RedisCache/memoize(_:)``), as a
/// function decorated by pottery's `redis_cache()`.
///
/// A call looks the arguments up (one round trip); on a hit it returns the
/// stored result, decoded, so it comes back after a JSON round trip as in
/// pottery; on a miss it calls the function, stores the result (a second
/// round trip) and returns it. Arguments that cannot be encoded are a
/// ``PotteryError/Code/typeError`` before any command; a result that cannot be
/// encoded is one after the lookup, and nothing is stored.
public final class CachedFunction<Arguments: Encodable, Result: Codable>: @unchecked Sendable {
    // Unchecked Sendable: `function` is the caller's closure, not required to be @Sendable; the counts are
    // guarded by `state`
    /// The cache it stores into.
    public let cache: RedisCache
    private let function: (Arguments) throws -> Result
    private let state = ConnectionLock()
    private var hits = 0
    private var misses = 0

    init(cache: RedisCache, function: @escaping (Arguments) throws -> Result) {
        self.cache = cache
        self.function = function
    }

    /// The result for `arguments`: stored, or computed and stored.
    /// - Throws: ``PotteryError`` for Redis and encoding failures; whatever the function throws (nothing is stored).
    public func callAsFunction(_ arguments: Arguments) throws -> Result {
        let field = try cache.storage.encode(arguments)
        if let stored = try cache.lookup(field) {
            return try hit(stored)
        }
        let value = try function(arguments)
        try cache.store(cache.storage.encode(value), at: field)
        recordMiss()
        return value
    }

    /// A stored result, decoded and counted as a hit (shared by the sync and async forms).
    func hit(_ stored: [UInt8]) throws(PotteryError) -> Result {
        let value = try cache.storage.decode(Result.self, stored)
        state.withLock { hits += 1 }
        return value
    }

    func recordMiss() {
        state.withLock { misses += 1 }
    }

    /// Calls the wrapped function.
    func compute(_ arguments: Arguments) throws -> Result {
        try function(arguments)
    }

    /// Calls the function whatever is stored, stores its result (pottery's
    /// `__bypass__`); counts neither a hit nor a miss.
    public func bypass(_ arguments: Arguments) throws -> Result {
        let field = try cache.storage.encode(arguments)
        let value = try function(arguments)
        try cache.store(cache.storage.encode(value), at: field)
        return value
    }

    /// Hits and misses of this object, and the entries in Redis (pottery's `cache_info()`).
    public func cacheInfo() throws(PotteryError) -> CacheInfo {
        info(size: try cache.count())
    }

    func info(size: Int) -> CacheInfo {
        state.withLock { CacheInfo(hits: hits, misses: misses, currsize: size) }
    }

    /// Deletes the cache and zeroes the counts (pottery's `cache_clear()`).
    public func cacheClear() throws(PotteryError) {
        try cache.clear()
        resetCounts()
    }

    func resetCounts() {
        state.withLock { hits = 0; misses = 0 }
    }
}

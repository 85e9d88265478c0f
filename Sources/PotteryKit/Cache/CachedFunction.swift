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
            let value = try cache.storage.decode(Result.self, stored)
            state.withLock { hits += 1 }
            return value
        }
        let value = try function(arguments)
        try cache.store(cache.storage.encode(value), at: field)
        state.withLock { misses += 1 }
        return value
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
        let size = try cache.count()
        return state.withLock { CacheInfo(hits: hits, misses: misses, currsize: size) }
    }

    /// Deletes the cache and zeroes the counts (pottery's `cache_clear()`).
    public func cacheClear() throws(PotteryError) {
        try cache.clear()
        state.withLock { hits = 0; misses = 0 }
    }
}

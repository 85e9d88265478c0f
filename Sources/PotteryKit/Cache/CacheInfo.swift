/// pottery's `CacheInfo`: a ``CachedFunction``'s hits and misses in this
/// process, and the entries in Redis.
public struct CacheInfo: Sendable, Equatable {
    /// Calls answered from Redis by this object.
    public var hits: Int
    /// Calls computed and stored by this object.
    public var misses: Int
    /// Always `nil`: the cache has no size bound (pottery's `maxsize=None`).
    public var maxsize: Int?
    /// Entries in the cache's hash now (`HLEN`).
    public var currsize: Int

    /// A `CacheInfo` with the given counts.
    public init(hits: Int, misses: Int, maxsize: Int? = nil, currsize: Int) {
        self.hits = hits
        self.misses = misses
        self.maxsize = maxsize
        self.currsize = currsize
    }
}

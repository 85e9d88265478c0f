/// The async forms, which never block the cooperative pool (as ``RedisDict/async``):
/// the one-command calls share the sync forms' command building and decoding
/// and go through the connection's async pipeline; a large update (registers
/// computed here, then a transaction) and a union run on PotteryKit's I/O threads.
extension HyperLogLog where Element: Sendable {
    /// The async forms of this HLL's calls: `try await hll.async.add(x)`.
    public var async: AsyncHyperLogLog<Element> { AsyncHyperLogLog(hll: self) }
}

/// The async forms of a ``HyperLogLog``'s calls (``HyperLogLog/async``).
public struct AsyncHyperLogLog<Element: Encodable & Sendable>: Sendable {
    /// The HLL.
    public let hll: HyperLogLog<Element>

    /// ``HyperLogLog/add(_:)`` without blocking the cooperative pool.
    @discardableResult
    public func add(_ element: Element) async throws -> Bool {
        try await hll.storage.integerAsync(hll.addCommand([element])) == 1
    }

    /// ``HyperLogLog/update(_:)`` without blocking the cooperative pool.
    public func update(_ elements: [Element]) async throws {
        guard !elements.isEmpty else { return }
        guard elements.count >= HyperLogLog<Element>.scriptBatchSize else {
            try await hll.storage.sendAsync(hll.addCommand(elements))
            return
        }
        try await IOThreadPool.shared.run { [hll] () throws(PotteryError) in try hll.update(elements) }
    }

    /// ``HyperLogLog/merge(_:)`` without blocking the cooperative pool.
    public func merge(_ others: [HyperLogLog<Element>]) async throws {
        try await hll.storage.sendAsync(hll.mergeCommand(others))
    }

    /// ``HyperLogLog/union(_:key:)`` without blocking the cooperative pool.
    public func union(_ others: [HyperLogLog<Element>], key destination: RedisKey? = nil) async throws -> HyperLogLog<Element> {
        try await IOThreadPool.shared.run { [hll] () throws(PotteryError) in try hll.union(others, key: destination) }
    }

    /// ``HyperLogLog/count()`` without blocking the cooperative pool.
    public func count() async throws -> Int {
        try await hll.storage.integerAsync(hll.storage.command("PFCOUNT"))
    }

    /// ``HyperLogLog/contains(_:)`` without blocking the cooperative pool.
    public func contains(_ element: Element) async throws -> Bool {
        try await containsMany([element])[0]
    }

    /// ``HyperLogLog/containsMany(_:)`` without blocking the cooperative pool.
    public func containsMany(_ elements: [Element]) async throws -> [Bool] {
        guard !elements.isEmpty else { return [] }
        return try hll.containsManyResult(await hll.storage.sendAsync(hll.containsManyCommand(elements)), count: elements.count)
    }

    /// ``HyperLogLog/clear()`` without blocking the cooperative pool.
    public func clear() async throws {
        try await hll.storage.sendAsync(hll.clearCommand())
    }
}

/// The async forms, which never block the cooperative pool (as ``RedisDict/async``):
/// a Bloom filter's calls guard its sizing (a check in the same exchange or
/// transaction), so each runs the sync method on PotteryKit's I/O threads.
extension BloomFilter where Element: Sendable {
    /// The async forms of this filter's calls: `try await bloom.async.add(x)`.
    public var async: AsyncBloomFilter<Element> { AsyncBloomFilter(filter: self) }
}

/// The async forms of a ``BloomFilter``'s calls (``BloomFilter/async``).
public struct AsyncBloomFilter<Element: Encodable & Sendable>: Sendable {
    /// The filter.
    public let filter: BloomFilter<Element>

    /// ``BloomFilter/add(_:)`` without blocking the cooperative pool.
    public func add(_ element: Element) async throws {
        try await IOThreadPool.shared.run { [filter] () throws(PotteryError) in try filter.add(element) }
    }

    /// ``BloomFilter/update(_:)`` without blocking the cooperative pool.
    public func update(_ elements: [Element]) async throws {
        try await IOThreadPool.shared.run { [filter] () throws(PotteryError) in try filter.update(elements) }
    }

    /// ``BloomFilter/contains(_:)`` without blocking the cooperative pool.
    public func contains(_ element: Element) async throws -> Bool {
        try await IOThreadPool.shared.run { [filter] () throws(PotteryError) in try filter.contains(element) }
    }

    /// ``BloomFilter/containsMany(_:)`` without blocking the cooperative pool.
    public func containsMany(_ elements: [Element]) async throws -> [Bool] {
        try await IOThreadPool.shared.run { [filter] () throws(PotteryError) in try filter.containsMany(elements) }
    }

    /// ``BloomFilter/count()`` without blocking the cooperative pool.
    public func count() async throws -> Int {
        try await IOThreadPool.shared.run { [filter] () throws(PotteryError) in try filter.count() }
    }

    /// ``BloomFilter/bitsSet()`` without blocking the cooperative pool.
    public func bitsSet() async throws -> Int {
        try await IOThreadPool.shared.run { [filter] () throws(PotteryError) in try filter.bitsSet() }
    }

    /// ``BloomFilter/checkSizing()`` without blocking the cooperative pool.
    public func checkSizing() async throws {
        try await IOThreadPool.shared.run { [filter] () throws(PotteryError) in try filter.checkSizing() }
    }

    /// ``BloomFilter/clear()`` without blocking the cooperative pool.
    public func clear() async throws {
        try await IOThreadPool.shared.run { [filter] () throws(PotteryError) in try filter.clear() }
    }
}

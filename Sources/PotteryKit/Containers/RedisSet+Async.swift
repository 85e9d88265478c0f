/// The async forms, which never block the cooperative pool (as ``RedisDict/async``):
/// one-command calls share the sync forms' command building and decoding and
/// go through the connection's async pipeline; the others (set algebra, which
/// may read several sets or ask which key has the wrong type, and `SSCAN`
/// walks) run the sync method on PotteryKit's I/O threads.
extension RedisSet {
    /// The async forms of this set's calls: `try await set.async.add(x)`.
    public var async: AsyncRedisSet<Element> { AsyncRedisSet(set: self) }
}

/// The async forms of a ``RedisSet``'s calls (``RedisSet/async``).
public struct AsyncRedisSet<Element: Codable & Hashable & Sendable>: Sendable {
    /// The set.
    public let set: RedisSet<Element>

    /// ``RedisSet/add(_:)-([Element])`` without blocking the cooperative pool.
    @discardableResult
    public func add(_ elements: [Element]) async throws -> Int {
        guard !elements.isEmpty else { return 0 }
        return try await set.storage.integerAsync(set.command("SADD", elements))
    }

    /// ``RedisSet/add(_:)-(Element)`` without blocking the cooperative pool.
    @discardableResult
    public func add(_ element: Element) async throws -> Bool {
        try await add([element]) == 1
    }

    /// ``RedisSet/remove(_:)`` without blocking the cooperative pool.
    public func remove(_ element: Element) async throws {
        if try await discard([element]) == 0 { throw try set.notMember(element) }
    }

    /// ``RedisSet/discard(_:)`` without blocking the cooperative pool.
    @discardableResult
    public func discard(_ elements: [Element]) async throws -> Int {
        guard !elements.isEmpty else { return 0 }
        return try await set.storage.integerAsync(set.command("SREM", elements))
    }

    /// ``RedisSet/contains(_:)`` without blocking the cooperative pool.
    public func contains(_ element: Element) async throws -> Bool {
        try await set.storage.integerAsync(set.containsCommand(element)) == 1
    }

    /// ``RedisSet/containsMany(_:)`` without blocking the cooperative pool.
    public func containsMany(_ elements: [Element]) async throws -> [Bool] {
        guard !elements.isEmpty else { return [] }
        return set.containsManyResult(try await set.storage.sendAsync(set.command("SMISMEMBER", elements)))
    }

    /// ``RedisSet/count()`` without blocking the cooperative pool.
    public func count() async throws -> Int {
        try await set.storage.integerAsync(set.storage.command("SCARD"))
    }

    /// ``RedisSet/pop()`` without blocking the cooperative pool.
    public func pop() async throws -> Element {
        let reply = try await set.storage.sendAsync(set.storage.command("SPOP"))
        return try await set.storage.popped(reply, restore: RedisSet<Element>.popRestore) { () throws(PotteryError) in
            try set.popResult(reply, restoring: false)
        }
    }

    /// ``RedisSet/clear()`` without blocking the cooperative pool.
    public func clear() async throws {
        try await set.storage.sendAsync(set.storage.clearCommand())
    }

    /// ``RedisSet/members()`` without blocking the cooperative pool.
    public func members() async throws -> [Element] {
        try await IOThreadPool.shared.run { [set] () throws(PotteryError) in try set.members() }
    }

    /// ``RedisSet/toSet()`` without blocking the cooperative pool.
    public func toSet() async throws -> Set<Element> {
        try await IOThreadPool.shared.run { [set] () throws(PotteryError) in try set.toSet() }
    }

    /// ``RedisSet/union(_:)`` without blocking the cooperative pool.
    public func union(_ others: [RedisSet<Element>]) async throws -> [Element] {
        try await IOThreadPool.shared.run { [set] () throws(PotteryError) in try set.union(others) }
    }

    /// ``RedisSet/intersection(_:)`` without blocking the cooperative pool.
    public func intersection(_ others: [RedisSet<Element>]) async throws -> [Element] {
        try await IOThreadPool.shared.run { [set] () throws(PotteryError) in try set.intersection(others) }
    }

    /// ``RedisSet/difference(_:)`` without blocking the cooperative pool.
    public func difference(_ others: [RedisSet<Element>]) async throws -> [Element] {
        try await IOThreadPool.shared.run { [set] () throws(PotteryError) in try set.difference(others) }
    }

    /// ``RedisSet/symmetricDifference(_:)`` without blocking the cooperative pool.
    public func symmetricDifference(_ other: RedisSet<Element>) async throws -> [Element] {
        try await IOThreadPool.shared.run { [set] () throws(PotteryError) in try set.symmetricDifference(other) }
    }

    /// ``RedisSet/isDisjoint(with:)`` without blocking the cooperative pool.
    public func isDisjoint(with other: RedisSet<Element>) async throws -> Bool {
        try await IOThreadPool.shared.run { [set] () throws(PotteryError) in try set.isDisjoint(with: other) }
    }

    /// ``RedisSet/isSubset(of:)`` without blocking the cooperative pool.
    public func isSubset(of other: RedisSet<Element>) async throws -> Bool {
        try await IOThreadPool.shared.run { [set] () throws(PotteryError) in try set.isSubset(of: other) }
    }

    /// ``RedisSet/isSuperset(of:)`` without blocking the cooperative pool.
    public func isSuperset(of other: RedisSet<Element>) async throws -> Bool {
        try await IOThreadPool.shared.run { [set] () throws(PotteryError) in try set.isSuperset(of: other) }
    }

    /// ``RedisSet/isEqual(to:)-(Set<Element>)`` without blocking the cooperative pool.
    public func isEqual(to other: Set<Element>) async throws -> Bool {
        try await IOThreadPool.shared.run { [set] () throws(PotteryError) in try set.isEqual(to: other) }
    }

    /// ``RedisSet/isEqual(to:)-(RedisSet<Element>)`` without blocking the cooperative pool.
    public func isEqual(to other: RedisSet<Element>) async throws -> Bool {
        try await IOThreadPool.shared.run { [set] () throws(PotteryError) in try set.isEqual(to: other) }
    }

    /// ``RedisSet/formUnion(_:)`` without blocking the cooperative pool.
    public func formUnion(_ others: [RedisSet<Element>]) async throws {
        try await IOThreadPool.shared.run { [set] () throws(PotteryError) in try set.formUnion(others) }
    }

    /// ``RedisSet/subtract(_:)`` without blocking the cooperative pool.
    public func subtract(_ others: [RedisSet<Element>]) async throws {
        try await IOThreadPool.shared.run { [set] () throws(PotteryError) in try set.subtract(others) }
    }

    /// ``RedisSet/formIntersection(_:)`` without blocking the cooperative pool.
    public func formIntersection(_ others: [RedisSet<Element>]) async throws {
        try await IOThreadPool.shared.run { [set] () throws(PotteryError) in try set.formIntersection(others) }
    }

    /// ``RedisSet/formSymmetricDifference(_:)`` without blocking the cooperative pool.
    public func formSymmetricDifference(_ other: RedisSet<Element>) async throws {
        try await IOThreadPool.shared.run { [set] () throws(PotteryError) in try set.formSymmetricDifference(other) }
    }

    /// ``RedisSet/forEachBatch(count:_:)`` without blocking the cooperative
    /// pool: the walk runs on a thread of its own, one batch in flight at a
    /// time, and `body` runs in this task. A throwing body or a cancelled
    /// task (`CancellationError`) stops the walk at its next batch.
    public func forEachBatch(count: Int = 1000, _ body: ([Element]) async throws -> Void) async throws {
        try await BatchHandoff.forEachBatch({ [set] deliver throws(PotteryError) in
            try set.forEachBatch(count: count, deliver)
        }, body)
    }

    /// ``RedisSet/forEachBatch(of:with:count:_:)`` without blocking the
    /// cooperative pool, as ``forEachBatch(count:_:)``.
    public func forEachBatch(of operation: SetOperation, with others: [RedisSet<Element>], count: Int = 1000,
                             _ body: ([Element]) async throws -> Void) async throws {
        try await BatchHandoff.forEachBatch({ [set] deliver throws(PotteryError) in
            try set.forEachBatch(of: operation, with: others, count: count, deliver)
        }, body)
    }
}

extension RedisConnection {
    /// Whether server-side work may use all of `keys` together: always on one
    /// server; on a cluster, when they lie in one hash slot.
    func sharesSlot(_ keys: [RedisKey]) -> Bool {
        guard configuration.isCluster, let first = keys.first else { return true }
        let slot = HashSlot.of(first.bytes)
        return keys.allSatisfy { HashSlot.of($0.bytes) == slot }
    }

    /// `companion` itself, or on a cluster when it would lie in another slot
    /// than `key`, `companion` behind a `{hash tag}` of `key`'s slot.
    func besideInSlot(of key: RedisKey, _ companion: RedisKey) -> RedisKey {
        guard configuration.isCluster else { return companion }
        let slot = HashSlot.of(key.bytes)
        if HashSlot.of(companion.bytes) == slot { return companion }
        return RedisKey(bytes: Array(("{" + HashSlot.tag(forSlot: slot) + "}").utf8) + companion.bytes)
    }

    /// The connections a walk of the whole key space must visit, in turn: this
    /// connection for one server; for a cluster, one single-server connection
    /// per master serving slots now (the slot map is refreshed first).
    /// - Throws: ``PotteryError`` when no node of the cluster answers.
    public func keyspaceConnections() throws(PotteryError) -> [RedisConnection] {
        guard let cluster else { return [self] }
        return try cluster.masters().map { cluster.connection(to: $0) }
    }

    /// Walks the whole key space with `SCAN cursor [MATCH pattern] COUNT count`
    /// to the end, handing each batch of keys to `body` as it arrives
    /// (bounded memory). On a cluster every master is walked in turn.
    ///
    /// As with any `SCAN`, a key added or removed during the walk (or, on a
    /// cluster, moved to another master) may be missed or handed over twice.
    /// - Parameters:
    ///   - pattern: a Redis glob matched by the server, or `nil` for every key.
    ///   - count: the `COUNT` hint per step.
    ///   - deadline: when each step must be over (`nil`: ``RedisConfiguration/ioTimeout``).
    ///   - body: called with each non-empty batch; returns whether to go on.
    /// - Throws: ``PotteryError`` for I/O failures and unexpected replies, and whatever `body` throws.
    public func scanKeys(matching pattern: String? = nil, count: Int = 1000, deadline: ContinuousClock.Instant? = nil,
                         _ body: ([RedisKey]) throws(PotteryError) -> Bool) throws(PotteryError) {
        let scan = RedisScan(matching: pattern, count: count, on: self)
        while let page = try scan.nextPage(deadline: deadline) {
            if try !body(page.map { RedisKey(bytes: $0.bytes ?? []) }) { return }
        }
    }
}

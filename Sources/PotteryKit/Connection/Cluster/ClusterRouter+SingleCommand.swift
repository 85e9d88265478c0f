extension ClusterRouter {
    /// The fast path for one keyed command whose master is known and
    /// connected: straight to that node's connection, without the per-call
    /// grouping of ``pipeline(_:deadline:)``.
    ///
    /// Returns `nil` when the general path must take over: the command has no
    /// key, its node is not known or connected yet, the reply is a redirect
    /// or a "try again" (the command did not run; a `MOVED` is learnt first), or
    /// the node could not be reached (nothing was sent; the map is refreshed).
    /// - Throws: ``crossSlot(_:)`` before anything is sent; ``PotteryError``
    ///   when the exchange failed after the command may have run.
    func sendAlone(_ command: RedisCommand, deadline: ContinuousClock.Instant?) throws(PotteryError) -> RedisReply? {
        guard let slot = try slot(of: command), let (node, connection) = connectedMaster(of: slot) else { return nil }
        guard connection.lock.lock() else { throw connection.reentered() }
        let part = connection.startPart([command], deadline: deadline.map(MonotonicInstant.init), now: .now)
        ExchangeEngine.run([part])
        connection.endPart(part)
        connection.release()
        switch part.result! {
        case .success(let replies):
            guard case .error = replies[0] else { return replies[0] }
            switch redirect(of: replies[0], from: node) {
            case .none: return replies[0]
            case .moved(let slot, let target):
                moved(slot, to: target)
                return nil
            case .ask, .busy: return nil
            }
        case .failure(let error):
            refreshSoon(avoiding: node)
            if part.sentNothing { return nil }
            throw error.naming(key: command.firstKey)
        }
    }
}

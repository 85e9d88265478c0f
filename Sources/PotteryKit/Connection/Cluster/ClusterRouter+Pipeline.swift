extension ClusterRouter {
    /// Sends `commands` split by master, every master's share at once (one
    /// round trip), and returns the replies in the callers' order; follows
    /// redirects (see ``ClusterRouter``).
    ///
    /// Commands that certainly did not run (a node that could not be reached,
    /// a busy reply) are sent again after a refresh of the map, until
    /// `deadline` (without one, for ``RedisConfiguration/ioTimeout``).
    ///
    /// - Throws: ``crossSlot(_:)`` before anything is sent when one command's
    ///   keys lie in different slots; ``PotteryError`` when a node's exchange
    ///   fails after its commands may have run (their outcome unknown), or
    ///   when a node stays unreachable until the time is up.
    func pipeline(_ commands: [RedisCommand], deadline: ContinuousClock.Instant?) throws(PotteryError) -> [RedisReply] {
        if commands.count == 1, let reply = try sendAlone(commands[0], deadline: deadline) { return [reply] }
        var slots: [Int?] = []
        slots.reserveCapacity(commands.count)
        for command in commands { slots.append(try slot(of: command)) }
        var replies = [RedisReply?](repeating: nil, count: commands.count)
        var pending = Array(commands.indices)
        var askTargets: [Int: ClusterNode] = [:]
        var lastFailure: PotteryError?
        let retryUntil = retryLimit(deadline)
        var redirects = 0
        var waits = 0
        while true {
            // Group by node; a command without keys follows the keyed one before it.
            var batches: [ClusterNode: [Int]] = [:]
            var order: [ClusterNode] = []
            var previous: ClusterNode?
            for index in pending {
                let node: ClusterNode
                if let target = askTargets[index] {
                    node = target
                } else if let slot = slots[index] {
                    node = try owner(of: slot)
                } else {
                    if let previous { node = previous } else { node = try anyMaster() }
                }
                previous = node
                if batches[node] == nil { order.append(node) }
                batches[node, default: []].append(index)
            }
            let asking = askTargets
            askTargets = [:]
            let sent = order.map { node in
                (node: node, indices: batches[node]!, commands: batches[node]!.flatMap { index in
                    asking[index] == nil ? [commands[index]] : Self.asking(commands[index])
                })
            }
            let outcomes = try exchange(sent.map { (connection(to: $0.node), $0.commands) }, deadline: deadline)
            var retry: [Int] = []
            var redirected = false
            var backOff = false
            for (batch, outcome) in zip(sent, outcomes) {
                switch outcome {
                case .failure(let error, _):
                    // The map may name a node that has gone: refresh it (at most every refreshInterval).
                    refreshSoon(avoiding: batch.node)
                    guard outcome.sentNothing else { throw error.naming(key: commands[batch.indices[0]].firstKey) }
                    // Nothing reached the node: send again, to whichever node the map names then.
                    lastFailure = error.naming(key: commands[batch.indices[0]].firstKey)
                    retry += batch.indices
                    backOff = true
                case .success(let batchReplies):
                    var position = 0
                    for index in batch.indices {
                        if asking[index] != nil { position += 1 }  // ASKING's OK
                        let reply = batchReplies[position]
                        position += 1
                        replies[index] = reply
                        switch redirect(of: reply, from: batch.node) {
                        case .none:
                            break
                        case .moved(let slot, let node):
                            moved(slot, to: node)
                            retry.append(index)
                            redirected = true
                        case .ask(let node):
                            askTargets[index] = node
                            retry.append(index)
                            redirected = true
                        case .busy:
                            retry.append(index)
                            backOff = true
                        }
                    }
                }
            }
            if retry.isEmpty { return replies.map { $0 ?? .null } }
            if redirected { redirects += 1 }
            if redirects > Self.maxRounds || ContinuousClock.now >= retryUntil { break }
            pending = retry.sorted()
            if backOff {
                pause(round: waits, deadline: retryUntil)
                waits += 1
                refreshSoon()
            }
        }
        if let lastFailure, pending.contains(where: { replies[$0] == nil }) { throw lastFailure }
        return replies.map { $0 ?? .null }
    }

    /// Until when commands that certainly did not run may be sent again: the
    /// call's deadline, else ``RedisConfiguration/ioTimeout`` from now (5 s without one).
    func retryLimit(_ deadline: ContinuousClock.Instant?) -> ContinuousClock.Instant {
        deadline ?? .now + (configuration.ioTimeout ?? .seconds(5))
    }

    /// `ASKING` and `command` for the importing node of a half-migrated slot.
    /// A script goes as `EVAL`: `ASKING` covers one command, so the `EVAL` sent
    /// after an `EVALSHA`'s `NOSCRIPT` would be redirected back.
    static func asking(_ command: RedisCommand) -> [RedisCommand] {
        [RedisCommand("ASKING"), command.scriptFallback ?? command]
    }

    /// Refreshes the map unless that was done in the last ``refreshInterval``,
    /// asking `avoiding` (a node that just failed) last; failures are ignored
    /// (the next call tries again).
    func refreshSoon(avoiding node: ClusterNode? = nil) {
        try? refresh(after: .now - Self.refreshInterval, avoiding: node)
    }

    /// Waits before retrying a busy cluster: 25 ms, doubling, at most 400 ms, never past `deadline`.
    func pause(round: Int, deadline: ContinuousClock.Instant?) {
        var wait = Duration.milliseconds(25 << min(round, 4))
        if let deadline { wait = min(wait, max(.zero, deadline - .now)) }
        Sleep.for(wait)
    }

    /// What a reply asks the router to do.
    enum Redirect {
        case none
        /// `MOVED slot host:port`: the slot lives there now.
        case moved(Int, ClusterNode)
        /// `ASK slot host:port`: this key, once, there (after `ASKING`).
        case ask(ClusterNode)
        /// `TRYAGAIN`, `CLUSTERDOWN`, `MASTERDOWN`, `LOADING`: wait and retry.
        case busy
    }

    /// Whether `reply` is a redirect or a "try again".
    func redirect(of reply: RedisReply, from node: ClusterNode) -> Redirect {
        guard case .error(let error) = reply, let code = error.redisCode else { return .none }
        switch code {
        case "MOVED", "ASK":
            let words = (error.serverText ?? "").split(separator: " ")
            guard words.count >= 3, let slot = Int(words[1]), (0..<HashSlot.count).contains(slot),
                  let target = ClusterNode(words[2], fallbackHost: node.host) else { return .none }
            return code == "MOVED" ? .moved(slot, target) : .ask(target)
        case "TRYAGAIN", "CLUSTERDOWN", "MASTERDOWN", "LOADING":
            return .busy
        default:
            return .none
        }
    }

    /// Runs each node's batch at once (their locks taken in one global order),
    /// one `poll(2)` loop for all, as ``RedisFanOut`` does.
    func exchange(_ batches: [(RedisConnection, [RedisCommand])],
                  deadline: ContinuousClock.Instant?) throws(PotteryError) -> [NodeOutcome] {
        let order = batches.indices.sorted { ObjectIdentifier(batches[$0].0) < ObjectIdentifier(batches[$1].0) }
        var locked: [RedisConnection] = []
        defer { for connection in locked { connection.release() } }
        for index in order {
            guard batches[index].0.lock.lock() else { throw batches[index].0.reentered() }
            locked.append(batches[index].0)
        }
        let now = MonotonicInstant.now
        let limit = deadline.map(MonotonicInstant.init)
        let parts = batches.map { $0.0.startPart($0.1, deadline: limit, now: now) }
        ExchangeEngine.run(parts)
        for part in parts { part.connection.endPart(part) }
        return parts.map { part in
            switch part.result! {
            case .success(let replies): return .success(replies)
            case .failure(let error): return .failure(error, sentNothing: part.sentNothing)
            }
        }
    }

    /// One node's share of an exchange: its replies, or why it failed and whether anything was sent.
    enum NodeOutcome {
        case success([RedisReply])
        case failure(PotteryError, sentNothing: Bool)

        var sentNothing: Bool {
            if case .failure(_, let sentNothing) = self { return sentNothing }
            return false
        }
    }
}


/// The cluster side of a ``RedisConnection`` made for a `redis+cluster://` URL:
/// keeps the slot map, one single-server ``RedisConnection`` per master, and
/// routes every command to the master of its keys' slot.
///
/// - `MOVED` patches that one slot (and refreshes the whole map, at most every
///   ``refreshInterval``) and sends the command again; `ASK` sends `ASKING`
///   and the command once to the named node, leaving the map alone;
///   `TRYAGAIN`, `CLUSTERDOWN`, `MASTERDOWN` and `LOADING` wait a little,
///   refresh and retry; at most ``maxRounds`` rounds in all.
/// - A node that cannot be reached (nothing was sent to it) makes the map
///   refresh from any known node, and its commands are sent again.
/// - A command whose keys lie in different slots is refused before anything
///   is sent (``crossSlot(_:)``).
final class ClusterRouter: @unchecked Sendable {
    /// The cluster's configuration (its seeds, credentials and timeouts).
    let configuration: RedisConfiguration
    let state = ConnectionLock()
    // Guarded by `state`.
    var map: ClusterSlotMap?
    private var nodes: [ClusterNode: RedisConnection] = [:]
    private var refreshedAt: ContinuousClock.Instant?
    /// One refresh at a time; the others wait and use its map.
    private let refreshing = ConnectionLock()

    /// How many rounds of redirects and retries one call may take.
    static let maxRounds = 6
    /// The shortest time between two full refreshes caused by `MOVED`.
    static let refreshInterval: Duration = .milliseconds(250)

    init(_ configuration: RedisConfiguration) {
        self.configuration = configuration
    }

    var server: String { configuration.maskedURL }

    // MARK: nodes and the map

    /// The single-server connection to `node`, made on first use.
    func connection(to node: ClusterNode) -> RedisConnection {
        state.withLock {
            if let existing = nodes[node] { return existing }
            var nodeConfiguration = configuration
            nodeConfiguration.clusterSeeds = []
            nodeConfiguration.endpoint = .tcp(host: node.host, port: node.port)
            nodeConfiguration.database = 0
            let made = RedisConnection(nodeConfiguration)
            nodes[node] = made
            return made
        }
    }

    /// The master serving `slot` and its connection, when both are there already.
    func connectedMaster(of slot: Int) -> (ClusterNode, RedisConnection)? {
        state.withLock {
            guard let node = map?.owner(of: slot), let connection = nodes[node] else { return nil }
            return (node, connection)
        }
    }

    /// The current map, loading it first if there is none.
    func currentMap() throws(PotteryError) -> ClusterSlotMap {
        if let map = state.withLock({ map }) { return map }
        try refresh(after: nil)
        guard let map = state.withLock({ map }) else {
            throw PotteryError(.connectionError, "no slot map for \(server)", server: server)
        }
        return map
    }

    /// The master serving `slot`.
    func owner(of slot: Int) throws(PotteryError) -> ClusterNode {
        let map = try currentMap()
        if let node = map.owner(of: slot) { return node }
        try refresh(after: .now)
        if let node = state.withLock({ self.map?.owner(of: slot) }) { return node }
        throw PotteryError(.connectionError, "no master of \(server) serves hash slot \(slot) (CLUSTERDOWN?)",
                           server: server, redisCode: "CLUSTERDOWN")
    }

    /// Any master: for commands without keys.
    func anyMaster() throws(PotteryError) -> ClusterNode {
        let map = try currentMap()
        guard let first = map.masters.first else {
            throw PotteryError(.connectionError, "\(server) has no master", server: server)
        }
        return first
    }

    /// Every master, for whole-keyspace walks (`SCAN`).
    func masters() throws(PotteryError) -> [ClusterNode] {
        try refresh(after: .now)
        let map = try currentMap()
        var serving: [ClusterNode] = []
        for slot in 0..<HashSlot.count {
            if let node = map.owner(of: slot), !serving.contains(node) { serving.append(node) }
        }
        return serving
    }

    /// Records a `MOVED`: `slot` is served by `node`; a full refresh follows when the last is old enough.
    func moved(_ slot: Int, to node: ClusterNode) {
        let stale = state.withLock { () -> Bool in
            map?.assign(slot, to: node)
            return refreshedAt.map { ContinuousClock.now - $0 > Self.refreshInterval } ?? true
        }
        if stale { try? refresh(after: .now - Self.refreshInterval) }
    }

    /// Loads the slot map with `CLUSTER SLOTS` from the first node that answers
    /// (known masters first, then known replicas, then the seeds, `avoiding`
    /// last: a node that just failed), unless a refresh finished after
    /// `observed` (then that map is used: many callers, one refresh).
    func refresh(after observed: ContinuousClock.Instant?, avoiding: ClusterNode? = nil) throws(PotteryError) {
        _ = refreshing.lock()
        defer { refreshing.unlock() }
        if let done = state.withLock({ map == nil ? nil : refreshedAt }), let observed, done > observed { return }
        if observed == nil, state.withLock({ map }) != nil { return }
        var candidates = state.withLock { (map?.masters ?? []) + (map?.replicas ?? []) }
        for seed in configuration.clusterSeeds {
            if case .tcp(let host, let port) = seed, !candidates.contains(ClusterNode(host: host, port: port)) {
                candidates.append(ClusterNode(host: host, port: port))
            }
        }
        if let avoiding, let index = candidates.firstIndex(of: avoiding) {
            candidates.append(candidates.remove(at: index))
        }
        var reasons: [String] = []
        for node in candidates {
            let connection = connection(to: node)
            do {
                let reply = try connection.send(RedisCommand("CLUSTER").with("SLOTS"))
                guard let loaded = ClusterSlotMap(slotsReply: reply, askedHost: node.host) else {
                    reasons.append("\(node): unexpected CLUSTER SLOTS reply")
                    continue
                }
                state.withLock {
                    map = loaded
                    refreshedAt = .now
                }
                return
            } catch {
                reasons.append(error.message)
            }
        }
        throw PotteryError(.connectionError, "cannot reach any node of \(server): " + reasons.joined(separator: "; "),
                           server: server)
    }

    /// Closes every node's socket.
    func close() {
        for connection in state.withLock({ Array(nodes.values) }) { connection.close() }
    }

    // MARK: slots of commands

    /// The slot of `command`'s keys, `nil` for a command without keys.
    /// - Throws: ``crossSlot(_:)`` when its keys lie in different slots.
    func slot(of command: RedisCommand) throws(PotteryError) -> Int? {
        var slot: Int?
        for position in command.keyPositions {
            let next = HashSlot.of(command.argument(position))
            if let slot, slot != next { throw crossSlot([command]) }
            slot = next
        }
        return slot
    }

    /// The one slot of all the keys of `commands`, `nil` when none has keys.
    func commonSlot(of commands: [RedisCommand]) throws(PotteryError) -> Int? {
        var common: Int?
        for command in commands {
            guard let slot = try slot(of: command) else { continue }
            if let common, common != slot { throw crossSlot(commands) }
            common = slot
        }
        return common
    }

    /// The error for keys that must share a slot but do not: nothing was sent.
    func crossSlot(_ commands: [RedisCommand]) -> PotteryError {
        var shown: [String] = []
        var seen: Set<Int> = []
        for command in commands {
            for key in command.keys where seen.insert(HashSlot.of(key.bytes)).inserted {
                shown.append("\(key) (slot \(HashSlot.of(key.bytes)))")
            }
        }
        return PotteryError(
            .valueError, "the keys " + shown.prefix(4).joined(separator: ", ")
                + " lie in different hash slots of \(server), so Redis Cluster cannot run this as one operation; "
                + "nothing was sent. Use a {hash tag} to keep such keys in one slot (e.g. {user1}:a and {user1}:b)",
            key: commands.first?.firstKey?.description, server: server, redisCode: "CROSSSLOT")
    }
}

extension RedisCommand {
    /// This command with `argument` appended.
    func with(_ argument: String) -> RedisCommand {
        var copy = self
        copy.append(argument)
        return copy
    }
}

extension ClusterRouter {
    /// ``RedisConnection/sendLater(_:)`` on the node of the command's slot, when the map is known
    /// (a container that never reached the cluster has nothing to delete).
    func sendLater(_ command: RedisCommand) {
        guard let map = state.withLock({ map }) else { return }
        let slot = (try? slot(of: command)) ?? nil
        guard let node = slot.flatMap({ map.owner(of: $0) }) ?? map.masters.first else { return }
        connection(to: node).sendLater(command)
    }
}

extension ClusterRouter {
    /// The connection to the master of the slot of `commands`' keys (any
    /// master when they have none), for ``RedisFanOut``.
    /// - Throws: a cross-slot error when their keys lie in several slots; connection errors.
    func nodeConnection(for commands: [RedisCommand]) throws(PotteryError) -> RedisConnection {
        let node: ClusterNode
        if let slot = try commonSlot(of: commands) { node = try owner(of: slot) } else { node = try anyMaster() }
        return connection(to: node)
    }
}

extension ClusterRouter {
    /// Patches the map from the `MOVED` replies of a part run outside the router (a fan-out).
    func learn(from part: ExchangePart) {
        guard case .success(let replies)? = part.result,
              case .tcp(let host, _) = part.connection.configuration.endpoint else { return }
        for reply in replies {
            if case .moved(let slot, let node) = redirect(of: reply, from: ClusterNode(host: host, port: 0)) {
                moved(slot, to: node)
            }
        }
    }
}

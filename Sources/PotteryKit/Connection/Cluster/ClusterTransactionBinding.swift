/// Which master a transaction on a cluster runs on: the master of the slot
/// of its first key (watched, read or queued), whose connection it holds
/// until the attempt ends. A command for another slot is refused before it is sent.
final class ClusterTransactionBinding {
    let router: ClusterRouter
    /// The slot the transaction's keys are in, once a key named it.
    private var slot: Int?
    /// The command that named `slot`, for the cross-slot error.
    private var slotCommand: RedisCommand?
    /// The node, its connection locked, once a command needed it.
    private(set) var node: ClusterNode?
    private var connection: RedisConnection?
    /// Whether a `WATCH` lives on the node's socket (then it must not change).
    private var watching = false

    init(router: ClusterRouter) {
        self.router = router
    }

    /// The session on the node that serves `commands`' slot, taking the node when none is taken yet.
    /// - Throws: a cross-slot ``PotteryError`` (nothing sent) when their slot differs from the transaction's.
    func session(for commands: [RedisCommand]) throws(PotteryError) -> RedisConnection.Session {
        if let next = try router.commonSlot(of: commands) {
            if let slot, slot != next { throw router.crossSlot([slotCommand!] + commands) }
            if slot == nil, let node, try router.owner(of: next) != node {
                throw router.crossSlot(commands)  // keyless commands took another master first
            }
            if slot == nil {
                slot = next
                slotCommand = commands.first { !$0.keyPositions.isEmpty }
            }
        }
        if connection == nil {
            let target: ClusterNode
            if let slot { target = try router.owner(of: slot) } else { target = try router.anyMaster() }
            let chosen = router.connection(to: target)
            guard chosen.lock.lock() else { throw chosen.reentered() }
            node = target
            connection = chosen
        }
        return RedisConnection.Session(connection: connection!, keepsSocket: watching)
    }

    /// `WATCH`es `keys` on their slot's node.
    func watch(_ keys: [RedisKey]) throws(PotteryError) {
        var watch = RedisCommand("WATCH")
        watch.append(keys: keys)
        _ = try session(for: [watch]).exchange([watch], deadline: nil)[0].get()
        watching = true
    }

    /// `UNWATCH` after a failed body.
    func unwatch() {
        guard watching, let connection else { return }
        _ = try? RedisConnection.Session(connection: connection, keepsSocket: true)
            .exchange([RedisCommand("UNWATCH")], deadline: nil)
    }

    /// Lets go of the node's connection.
    func release() {
        connection?.release()
        connection = nil
    }
}

extension ClusterRouter {
    /// ``RedisConnection/transaction(watching:maxAttempts:_:)`` on the master of
    /// the keys' slot. A `MOVED` (from the `WATCH`, a read or a queued command:
    /// nothing was committed) updates the map and the attempt runs again; `ASK`,
    /// `TRYAGAIN` and `CLUSTERDOWN` wait a little first; at most ``maxRounds`` times.
    func transaction<T>(watching keys: [RedisKey], maxAttempts: Int,
                        _ body: (RedisTransaction) throws(PotteryError) -> T) throws(PotteryError) -> (value: T, replies: [RedisReply]) {
        var conflicts = 0
        var redirects = 0
        while conflicts < max(1, maxAttempts) {
            let binding = ClusterTransactionBinding(router: self)
            defer { binding.release() }
            do throws(PotteryError) {
                if !keys.isEmpty { try binding.watch(keys) }
                let transaction = RedisTransaction(binding: binding)
                let value: T
                do throws(PotteryError) {
                    value = try body(transaction)
                } catch {
                    transaction.unwatch(after: error)
                    throw error
                }
                guard let replies = try transaction.commit(server: server) else {
                    conflicts += 1
                    continue
                }
                return (value, replies)
            } catch {
                let from = binding.node ?? ClusterNode(host: "", port: 0)
                let redirect = redirect(of: .error(error), from: from)
                if case .none = redirect { throw error }
                guard redirects < Self.maxRounds else { throw error }
                binding.release()
                switch redirect {
                case .moved(let slot, let node): moved(slot, to: node)
                case .ask, .busy:
                    pause(round: redirects, deadline: nil)
                    try? refresh(after: .now - Self.refreshInterval)
                case .none: break
                }
                redirects += 1
            }
        }
        throw PotteryError(.watchError, "watched keys kept changing; gave up after \(maxAttempts) attempts",
                           key: keys.first?.description, server: server)
    }
}

/// Which master a transaction on a cluster runs on: the master of the slot
/// of its first key (watched, read or queued), whose connection it holds
/// until the attempt ends. A command for another slot is refused before it is sent.
///
/// After an `ASK` (the slot is half-migrated and the key has moved, or is
/// new), the next attempt runs on the importing node, each exchange behind
/// `ASKING`: Redis clears the flag after every command except inside
/// `MULTI` ... `EXEC`, so reads (and the `WATCH`) each get their own `ASKING`,
/// and one `ASKING` before `MULTI` covers the whole block.
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
    /// Where an `ASK` sent this attempt: the slot and its importing node.
    private let asked: (slot: Int, node: ClusterNode)?
    /// Whether `MULTI` ... `EXEC` may have reached the node: then its outcome is
    /// unknown and the attempt must not run again.
    private(set) var commitMayHaveRun = false

    init(router: ClusterRouter, asked: (slot: Int, node: ClusterNode)? = nil) {
        self.router = router
        self.asked = asked
    }

    /// Whether this attempt runs on the importing node of an `ASK`.
    private var isAsking: Bool { asked != nil && slot == asked?.slot }

    /// The master (or `ASK` target) of `slot`.
    private func target(of slot: Int) throws(PotteryError) -> ClusterNode {
        if let asked, asked.slot == slot { return asked.node }
        return try router.owner(of: slot)
    }

    /// The node's connection, locked, once `commands` agree with the transaction's slot.
    /// - Throws: a cross-slot ``PotteryError`` (nothing sent) when their slot differs from the transaction's.
    private func bind(for commands: [RedisCommand]) throws(PotteryError) -> RedisConnection {
        if let next = try router.commonSlot(of: commands) {
            if let slot, slot != next { throw router.crossSlot([slotCommand!] + commands) }
            if slot == nil, let node, try target(of: next) != node {
                throw router.crossSlot(commands)  // keyless commands took another master first
            }
            if slot == nil {
                slot = next
                slotCommand = commands.first { !$0.keyPositions.isEmpty }
            }
        }
        if let connection { return connection }
        let chosen: ClusterNode
        if let slot { chosen = try target(of: slot) } else { chosen = try router.anyMaster() }
        let made = router.connection(to: chosen)
        guard made.lock.lock() else { throw made.reentered() }
        node = chosen
        connection = made
        return made
    }

    /// Runs `commands` now on the transaction's node (behind `ASKING` after an `ASK`).
    func exchange(_ commands: [RedisCommand]) throws(PotteryError) -> [RedisReply] {
        let connection = try bind(for: commands)
        let wire = isAsking ? commands.flatMap(ClusterRouter.asking) : commands
        let replies = try run(wire, on: connection)
        return isAsking ? stride(from: 1, to: replies.count, by: 2).map { replies[$0] } : replies
    }

    /// Sends `MULTI`, `queued` and `EXEC` (`batch`) on the transaction's node,
    /// behind one `ASKING` after an `ASK`.
    func commit(_ batch: [RedisCommand], queued: [RedisCommand]) throws(PotteryError) -> [RedisReply] {
        let connection = try bind(for: queued)
        let wire = isAsking ? [RedisCommand("ASKING")] + batch : batch
        let replies = try run(wire, on: connection, committing: true)
        return isAsking ? Array(replies.dropFirst()) : replies
    }

    private func run(_ wire: [RedisCommand], on connection: RedisConnection,
                     committing: Bool = false) throws(PotteryError) -> [RedisReply] {
        let part = connection.startPart(wire, deadline: nil, reconnect: !watching, now: .now)
        ExchangeEngine.run([part])
        connection.endPart(part)
        if committing, !part.sentNothing { commitMayHaveRun = true }
        return try part.result!.get()
    }

    /// `WATCH`es `keys` on their slot's node.
    func watch(_ keys: [RedisKey]) throws(PotteryError) {
        _ = try exchange([RedisCommand.watch(keys)])[0].get()
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
    /// the keys' slot. An attempt that certainly committed nothing runs again:
    /// after `MOVED` (from the `WATCH`, a read, a queued command or `EXEC`) with
    /// the map patched, after `ASK` on the importing node (see
    /// ``ClusterTransactionBinding``), after `TRYAGAIN`/`CLUSTERDOWN` or a node
    /// that could not be reached with a short wait and a refreshed map: at most
    /// ``maxRounds`` redirects, and waits for at most ``RedisConfiguration/ioTimeout``.
    /// A commit whose outcome is unknown (the node failed after `MULTI` was sent) is reported, never run again.
    func transaction<T>(watching keys: [RedisKey], maxAttempts: Int,
                        _ body: (RedisTransaction) throws(PotteryError) -> T) throws(PotteryError) -> (value: T, replies: [RedisReply]) {
        var conflicts = 0
        var redirects = 0
        var waits = 0
        var asked: (slot: Int, node: ClusterNode)?
        let retryUntil = retryLimit(nil)
        while conflicts < max(1, maxAttempts) {
            let binding = ClusterTransactionBinding(router: self, asked: asked)
            asked = nil
            defer { binding.release() }
            do throws(PotteryError) {
                if !keys.isEmpty { try binding.watch(keys) }
                if let done = try RedisTransaction(binding: binding).attempt(body, server: server) { return done }
                conflicts += 1
            } catch {
                let from = binding.node ?? ClusterNode(host: "", port: 0)
                binding.release()
                switch redirect(of: .error(error), from: from) {
                case .moved(let slot, let node):
                    guard redirects < Self.maxRounds else { throw error }
                    redirects += 1
                    moved(slot, to: node)
                case .ask(let node):
                    guard redirects < Self.maxRounds, let slot = Self.slot(inRedirect: error) else { throw error }
                    redirects += 1
                    asked = (slot, node)
                case .busy:
                    guard ContinuousClock.now < retryUntil else { throw error }
                    pause(round: waits, deadline: retryUntil)
                    waits += 1
                    refreshSoon()
                case .none:
                    // A node that failed before the commit was sent: nothing was committed.
                    guard error.code == .connectionError, !binding.commitMayHaveRun,
                          ContinuousClock.now < retryUntil else { throw error }
                    refreshSoon(avoiding: binding.node)
                    pause(round: waits, deadline: retryUntil)
                    waits += 1
                }
            }
        }
        throw RedisTransaction.gaveUp(after: maxAttempts, watching: keys, server: server)
    }

    /// The slot named by a `MOVED`/`ASK` error (`ASK 3999 host:port`).
    static func slot(inRedirect error: PotteryError) -> Int? {
        let words = (error.serverText ?? "").split(separator: " ")
        return words.count >= 2 ? Int(words[1]) : nil
    }
}

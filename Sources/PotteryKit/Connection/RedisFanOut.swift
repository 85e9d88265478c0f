/// Talks to several Redis servers at once from the calling thread: one batch
/// of commands per connection, written together, replies collected together
/// against one deadline.
///
/// Five masters cost about one round trip; a dead master fails its part at
/// once (connection refused) and a frozen one costs at most the deadline,
/// once per call, while the other parts' replies are still used. With
/// `until`, a call returns as soon as its outcome is decided (a quorum
/// answered): a slow or frozen master then costs nothing, and its socket is
/// kept, owing the replies, which its next exchange reads and drops.
///
/// ```swift
/// let results = try RedisFanOut.pipelines(masters.map { ($0, [set]) }, deadline: .now + .milliseconds(50))
/// let granted = results.filter { (try? $0.get())?.first == .status("OK") }.count
/// ```
public enum RedisFanOut {
    /// The replies of one connection's batch, or why it failed.
    public typealias Result = Swift.Result<[RedisReply], PotteryError>

    /// Runs each batch on its connection, all at once.
    ///
    /// - Parameters:
    ///   - batches: a connection and its commands; each connection at most once.
    ///     A cluster connection sends its batch to the master of the batch's
    ///     keys' slot (one slot per batch; redirects are not followed here: a
    ///     `MOVED` is an error reply of that batch, and the map is refreshed).
    ///   - deadline: when the whole call must be over; `nil` allows each
    ///     connection's ``RedisConfiguration/ioTimeout`` between steps of progress.
    ///   - decided: given the results so far (`nil` for parts still running),
    ///     answers whether the outcome is already known; the parts still
    ///     running are then abandoned at once: their result is a
    ///     ``PotteryError/Code/timeout`` whose outcome is unknown. Send scripts
    ///     there as ``RedisScript/evalCommand(keys:arguments:)``: an `EVALSHA`
    ///     left behind that meets `NOSCRIPT` is not sent again.
    /// - Returns: one result per batch, in order. Error replies inside a
    ///   batch are values (``RedisReply/error(_:)``), as in ``RedisConnection/pipeline(_:deadline:)``.
    /// - Throws: only for misuse: a connection given twice, or used from
    ///   inside its own transaction body.
    public static func pipelines(_ batches: [(connection: RedisConnection, commands: [RedisCommand])],
                                 deadline: ContinuousClock.Instant? = nil,
                                 until decided: (([Result?]) -> Bool)? = nil) throws(PotteryError) -> [Result] {
        if batches.count == 1, batches[0].connection.cluster == nil {
            return [try lone(batches[0].connection, batches[0].commands, deadline: deadline)]
        }
        // A cluster named as one of the connections: its batch goes to the master of its keys' slot.
        var unroutable: [Int: PotteryError] = [:]
        var routed: [(connection: RedisConnection, commands: [RedisCommand], index: Int)] = []
        for (index, batch) in batches.enumerated() {
            guard let cluster = batch.connection.cluster else {
                routed.append((batch.connection, batch.commands, index))
                continue
            }
            do throws(PotteryError) {
                routed.append((try cluster.nodeConnection(for: batch.commands), batch.commands, index))
            } catch {
                unroutable[index] = error
            }
        }
        let connections = routed.map(\.connection)
        let order = connections.indices.sorted { ObjectIdentifier(connections[$0]) < ObjectIdentifier(connections[$1]) }
        for (previous, next) in zip(order, order.dropFirst()) where connections[previous] === connections[next] {
            throw PotteryError(.valueError, "a fan-out names \(connections[next].server) twice: one batch per connection",
                               server: connections[next].server)
        }
        // Locks in one global order, so two fan-outs over the same connections cannot deadlock.
        var locked: [RedisConnection] = []
        defer { for connection in locked { connection.release() } }
        for index in order {
            guard connections[index].lock.lock() else { throw connections[index].reentered() }
            locked.append(connections[index])
        }
        let now = MonotonicInstant.now
        let limit = deadline.map(MonotonicInstant.init)
        RedisConnection.checkIdleSockets(connections, at: now)
        let parts = routed.map { $0.connection.startPart($0.commands, deadline: limit, now: now) }
        var position = [Int?](repeating: nil, count: batches.count)
        for (partIndex, batch) in routed.enumerated() { position[batch.index] = partIndex }
        func results() -> [Result?] {
            batches.indices.map { index in
                if let error = unroutable[index] { return .failure(error) }
                return parts[position[index]!].result
            }
        }
        if let decided {
            ExchangeEngine.run(parts) { decided(results()) }
        } else {
            ExchangeEngine.run(parts)
        }
        for part in parts { part.connection.endPart(part) }
        for connection in locked { connection.release() }
        locked.removeAll()
        // A cluster's MOVED replies patch its map (which may ask a node: no lock is held now).
        for (partIndex, batch) in routed.enumerated() {
            if let cluster = batches[batch.index].connection.cluster { cluster.learn(from: parts[partIndex]) }
        }
        return batches.indices.map { index in
            if let error = unroutable[index] { return .failure(error) }
            let part = parts[position[index]!]
            return part.result!.mapError { $0.naming(key: part.commands.first?.firstKey) }
        }
    }

    /// One batch on one server (a lock on one master): the single-server
    /// exchange, without the arrays of the general case. `decided` has nothing
    /// to decide before the only part ends, so it is not asked.
    private static func lone(_ connection: RedisConnection, _ commands: [RedisCommand],
                             deadline: ContinuousClock.Instant?) throws(PotteryError) -> Result {
        guard connection.lock.lock() else { throw connection.reentered() }
        defer { connection.release() }
        return RedisConnection.Session(connection: connection).outcome(of: commands, deadline: deadline.map(MonotonicInstant.init))
            .mapError { $0.naming(key: commands.first?.firstKey) }
    }

    /// Waits, until `deadline` at most, for the replies that decided fan-outs
    /// left owing on `connections`, so that what was sent to the masters left
    /// behind has landed there before the caller goes on (a command-line
    /// process about to exit: a script that reads every master next sees the
    /// released lock or the drawn ID everywhere). Connections owing nothing
    /// are not touched, and nothing is connected; a master that does not
    /// answer in time is let go as it was.
    public static func settle(_ connections: [RedisConnection], deadline: ContinuousClock.Instant) {
        let owing = connections.filter { $0.cluster == nil && $0.owesReplies }
        guard !owing.isEmpty else { return }
        _ = try? pipelines(owing.map { (connection: $0, commands: []) }, deadline: deadline)
    }
}

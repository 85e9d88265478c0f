/// The commands of one optimistic transaction, valid only inside the body
/// passed to ``RedisConnection/transaction(watching:maxAttempts:_:)``.
///
/// ``send(_:)`` and ``pipeline(_:)`` run at once, on the watching connection
/// (reads whose keys are watched); ``enqueue(_:)`` collects the writes that
/// run atomically between `MULTI` and `EXEC` when the body returns.
///
/// On a Redis Cluster every command of one transaction must name keys of one
/// hash slot (use a `{hash tag}`): the transaction runs on that slot's master,
/// and a command for another slot fails with a ``PotteryError`` before
/// anything of the transaction is committed.
public final class RedisTransaction {
    /// The watching connection (one server), or `nil` on a cluster until the first key picks the node.
    private var session: RedisConnection.Session?
    /// On a cluster: which node the transaction runs on.
    let binding: ClusterTransactionBinding?
    fileprivate(set) var queued: [RedisCommand] = []

    init(session: RedisConnection.Session) {
        self.session = session
        self.binding = nil
    }

    init(binding: ClusterTransactionBinding) {
        self.session = nil
        self.binding = binding
    }

    /// Runs a command now (under the `WATCH`) and returns its reply.
    /// - Throws: ``PotteryError``, also for an error reply.
    @discardableResult
    public func send(_ command: RedisCommand) throws(PotteryError) -> RedisReply {
        try pipeline([command])[0].get()
    }

    /// Runs commands now in one round trip; error replies are values.
    public func pipeline(_ commands: [RedisCommand]) throws(PotteryError) -> [RedisReply] {
        if let binding { return try binding.exchange(commands) }
        return try session!.exchange(commands, deadline: nil)
    }

    /// Queues a command for the atomic `MULTI`/`EXEC` block. Its reply is in
    /// the transaction's result, in order. A script
    /// (``RedisScript/command(keys:arguments:)``) is queued as `EVAL`: inside
    /// `MULTI` a `NOSCRIPT` only shows in `EXEC`'s reply, too late to retry.
    public func enqueue(_ command: RedisCommand) {
        queued.append(command)
    }

    /// `MULTI`, the queued commands, `EXEC` in one round trip: the queued
    /// commands' replies (error replies are values, named after their
    /// command), or `nil` when a watched key changed and nothing ran.
    func commit(server: String) throws(PotteryError) -> [RedisReply]? {
        let queued = self.queued.map { $0.scriptFallback ?? $0 }
        let batch = [RedisCommand("MULTI")] + queued + [RedisCommand("EXEC")]
        let replies: [RedisReply]
        if let binding {
            replies = try binding.commit(batch, queued: self.queued)
        } else {
            replies = try session!.exchange(batch, deadline: nil)
        }
        for reply in replies.dropLast() {
            if case .error(let error) = reply { throw error }
        }
        switch replies[replies.count - 1] {
        case .null:
            return nil  // a watched key changed: nothing ran
        case .array(let results):
            // An error inside EXEC names the queued command it belongs to, not EXEC.
            return zip(self.queued, results).map { command, reply -> RedisReply in
                guard case .error(let error) = reply, let text = error.serverText else { return reply }
                return .error(RedisErrorReply.error(text, command: command, server: server))
            }
        case .error(let error):
            throw error
        default:
            throw PotteryError(.responseError, "unexpected EXEC reply", server: server)
        }
    }

    /// Runs `body` on this transaction, then commits what it queued: the body's
    /// value and the queued commands' replies, or `nil` when a watched key
    /// changed and nothing ran. When `body` throws, the keys are unwatched first.
    func attempt<T>(_ body: (RedisTransaction) throws(PotteryError) -> T,
                    server: String) throws(PotteryError) -> (value: T, replies: [RedisReply])? {
        let value: T
        do throws(PotteryError) {
            value = try body(self)
        } catch {
            unwatch(after: error)
            throw error
        }
        guard let replies = try commit(server: server) else { return nil }
        return (value, replies)
    }

    /// The error after `attempts` attempts that all met a changed watched key.
    static func gaveUp(after attempts: Int, watching keys: [RedisKey], server: String) -> PotteryError {
        PotteryError(.watchError, "watched keys kept changing; gave up after \(attempts) attempts",
                     key: keys.first?.description, server: server)
    }

    /// `UNWATCH` after a failed body, unless the socket is gone anyway.
    func unwatch(after error: PotteryError) {
        guard error.code != .timeout && error.code != .connectionError else { return }
        if let binding {
            binding.unwatch()
        } else {
            _ = try? session!.exchange([RedisCommand("UNWATCH")], deadline: nil)
        }
    }
}

extension RedisConnection {
    /// Runs an optimistic transaction: `WATCH keys`, the body's reads, then
    /// `MULTI`, the queued writes and `EXEC` in one round trip.
    ///
    /// If another client changes a watched key before `EXEC`, Redis runs none
    /// of the writes and the body runs again, up to `maxAttempts` times in all.
    /// (pottery does not retry and raises `WatchError` at once.)
    ///
    /// On a Redis Cluster all the keys (watched, read and queued) must lie in
    /// one hash slot: see ``RedisTransaction``.
    ///
    /// - Parameters:
    ///   - keys: the keys whose change must abort the transaction.
    ///   - maxAttempts: how many times to run the body before giving up.
    ///   - body: reads through the ``RedisTransaction`` and queues writes; must
    ///     not keep the transaction after it returns.
    /// - Returns: the body's value from the attempt that committed, and the
    ///   replies of the queued commands (error replies are values).
    /// - Throws: ``PotteryError/Code/watchError`` after `maxAttempts` conflicts;
    ///   anything the body throws (the keys are unwatched first); I/O errors.
    @discardableResult
    public func transaction<T>(watching keys: [RedisKey], maxAttempts: Int = 10,
                               _ body: (RedisTransaction) throws(PotteryError) -> T) throws(PotteryError) -> (value: T, replies: [RedisReply]) {
        if let cluster { return try cluster.transaction(watching: keys, maxAttempts: maxAttempts, body) }
        return try exclusively { connected throws(PotteryError) in
            for _ in 0..<max(1, maxAttempts) {
                var session = connected
                if !keys.isEmpty {
                    _ = try session.exchange([RedisCommand.watch(keys)], deadline: nil)[0].get()
                    session.keepsSocket = true  // the WATCH lives on this socket only
                }
                if let done = try RedisTransaction(session: session).attempt(body, server: server) { return done }
            }
            throw RedisTransaction.gaveUp(after: maxAttempts, watching: keys, server: server)
        }
    }
}

extension RedisCommand {
    /// `WATCH keys...`.
    static func watch(_ keys: [RedisKey]) -> RedisCommand {
        var watch = RedisCommand("WATCH")
        watch.append(keys: keys)
        return watch
    }
}

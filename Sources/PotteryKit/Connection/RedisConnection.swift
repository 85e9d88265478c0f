/// A connection to one Redis server, or to a Redis Cluster, shared safely between threads.
///
/// A connection made for a `redis+cluster://` URL routes each command to the
/// master serving its keys' hash slot (one connection per master), follows
/// `MOVED` and `ASK`, and splits pipelines per master (one round trip for
/// all). Commands whose keys lie in different slots (and transactions whose
/// keys do) are refused before anything is sent: give such keys one `{hash tag}`.
///
/// The connection opens its socket lazily, on first use, and again after any
/// failure: an I/O error or timeout discards the hiredis context (its outcome is
/// unknown and a late reply must never answer the next command), and the next
/// call reconnects, authenticates (`AUTH [user] password`) and selects the
/// database.
///
/// - Important: **Thread safety.** Every call holds the connection's lock for
///   its whole exchange (a pipeline or a transaction included), so calls from
///   several threads are never interleaved. Calls that arrive while another
///   thread uses the connection are sent together in one pipelined exchange by
///   its next holder, so threads sharing a connection overlap their round
///   trips (each still gets exactly its own replies). A call blocks the
///   calling thread; ``RedisFanOut`` talks to several servers at once from one
///   thread. Using a connection from inside its own transaction body fails at
///   once with a clear error instead of waiting for ever.
///
/// Sockets are written with `MSG_NOSIGNAL`: a server that has gone is an
/// error, never a `SIGPIPE`.
public final class RedisConnection: @unchecked Sendable {
    // Unchecked Sendable: `context` and `deferred` are only touched holding `lock` / `deferredLock`
    /// Where and how this connection talks to Redis.
    public let configuration: RedisConfiguration
    /// The cluster router, for a `redis+cluster://` configuration; `nil` for one server.
    let cluster: ClusterRouter?
    let lock = ConnectionLock()
    /// Calls without a deadline waiting for the connection, sent together by its next holder.
    let combiner = PipelineCombiner()
    /// The live socket, if any. Guarded by `lock` (so no runtime exclusivity check: one thread at a time).
    @exclusivity(unchecked) var context: HiredisContext?
    /// Commands to send before the next exchange, replies dropped (a
    /// temporary key's `UNLINK` from a `deinit` that could not take the lock).
    private let deferredLock = ConnectionLock()
    private var deferred: [RedisCommand] = []

    /// A connection for `configuration`. Nothing is sent until first use.
    public init(_ configuration: RedisConfiguration) {
        self.configuration = configuration
        self.server = configuration.maskedURL
        self.cluster = configuration.isCluster ? ClusterRouter(configuration) : nil
    }

    /// A connection for a Redis URL (see ``RedisConfiguration/init(url:)``).
    public convenience init(url: String) throws(PotteryError) {
        self.init(try RedisConfiguration(url: url))
    }

    /// A connection to `$REDIS_URL`, else `redis://localhost:6379/0`, as pottery's default.
    public static func fromEnvironment() throws(PotteryError) -> RedisConnection {
        RedisConnection(try RedisConfiguration.fromEnvironment())
    }

    /// The server's URL with its password masked (worked out once: messages
    /// and every transaction name it).
    public let server: String

    /// Sends one command and returns its reply.
    ///
    /// - Parameters:
    ///   - command: the command.
    ///   - deadline: when the whole call must be over; `nil` allows
    ///     ``RedisConfiguration/ioTimeout`` between any two steps of progress.
    /// - Throws: ``PotteryError`` for a connection failure or timeout, and for
    ///   an error reply from Redis (with the server's text, its first word in
    ///   ``PotteryError/redisCode``, and the command's first key).
    @discardableResult
    public func send(_ command: RedisCommand, deadline: ContinuousClock.Instant? = nil) throws(PotteryError) -> RedisReply {
        guard let deadline else { return try send(command) }
        if cluster != nil { return try pipeline([command], deadline: deadline)[0].get() }
        let limit = MonotonicInstant(deadline)
        let outcome: Result<RedisReply, PotteryError>
        do {
            outcome = try exclusively { session throws(PotteryError) in
                if let alone = sendAlone(command, deadline: limit) { return alone }
                return .success(try session.engineOutcome(of: [command], deadline: limit).get()[0])
            }
        } catch {
            throw error.naming(key: command.firstKey)  // e.g. a failed connect names the key it was for
        }
        return try outcome.get().get()
    }

    /// Sends `commands` in one write and reads exactly as many replies: one
    /// round trip.
    ///
    /// Error replies are values of the result (``RedisReply/error(_:)``), so
    /// one failing command does not hide the others' replies. An `EVALSHA`
    /// the server does not know (`NOSCRIPT`) is sent again as `EVAL`.
    /// - Parameters:
    ///   - commands: the commands, in the order they run.
    ///   - deadline: when the whole call must be over; `nil` allows
    ///     ``RedisConfiguration/ioTimeout`` between any two steps of progress.
    /// - Throws: ``PotteryError`` only when the exchange itself fails (I/O,
    ///   timeout); then which commands ran is unknown. On a cluster, also when
    ///   one command's keys lie in different hash slots: then nothing is sent.
    public func pipeline(_ commands: [RedisCommand], deadline: ContinuousClock.Instant? = nil) throws(PotteryError) -> [RedisReply] {
        guard let deadline else { return try pipeline(commands) }
        if let cluster { return try cluster.pipeline(commands, deadline: deadline) }
        do {
            let limit = MonotonicInstant(deadline)
            return try exclusively { session throws(PotteryError) in try session.exchange(commands, deadline: limit) }
        } catch {
            throw error.naming(key: commands.first?.firstKey)  // e.g. a failed connect names the key it was for
        }
    }

    /// ``send(_:deadline:)`` without a deadline, for the library's own calls:
    /// no `Optional<ContinuousClock.Instant>` to pass along (its layout is not
    /// frozen, so each copy of one costs the runtime's value witnesses).
    @discardableResult
    func send(_ command: RedisCommand) throws(PotteryError) -> RedisReply {
        if cluster == nil, lock.tryLock() {
            // Idle. Alone, on a live socket: the single command's own exchange (no arrays, no part).
            let queued = combiner.takeAll()
            if queued.isEmpty, let outcome = sendAlone(command) {
                release()
                return try outcome.get().get()
            }
            return try runHolding([command], queued: queued, triedAlone: queued.isEmpty)[0].get()
        }
        return try pipeline([command])[0].get()
    }

    /// ``pipeline(_:deadline:)`` without a deadline, for the library's own calls
    /// (see ``send(_:)``).
    func pipeline(_ commands: [RedisCommand]) throws(PotteryError) -> [RedisReply] {
        if let cluster { return try cluster.pipeline(commands, deadline: nil) }
        return try combinedPipeline(commands)
    }

    /// ``pipeline(_:deadline:)`` without a deadline: when another thread holds
    /// the connection, this call queues its commands and waits; the next holder
    /// sends everything queued in one exchange (see ``PipelineCombiner``).
    private func combinedPipeline(_ commands: [RedisCommand]) throws(PotteryError) -> [RedisReply] {
        if lock.isHeldByCurrentThread { throw reentered() }
        if lock.tryLock() { return try runHolding(commands, queued: combiner.takeAll()) }
        let request = PipelineCombiner.Request(commands)
        if combiner.wait(request, orLead: lock) {
            // This thread holds the connection now: send everything queued, its own request included
            // unless the previous holder's exchange carried it.
            let batch = combiner.takeAll()
            if !batch.isEmpty { PipelineCombiner.run(batch, in: Session(connection: self)) }
            release()
        }
        return try request.result!.get()
    }

    /// Runs `commands` now (the lock just taken), taking along the requests that
    /// `queued` behind the previous holder, then releases the lock. `triedAlone`:
    /// ``sendAlone(_:deadline:)`` already declined `commands`, so it is not asked again.
    private func runHolding(_ commands: [RedisCommand], queued: [PipelineCombiner.Request],
                            triedAlone: Bool = false) throws(PotteryError) -> [RedisReply] {
        if queued.isEmpty {  // alone: no request to hand replies through
            defer { release() }
            let session = Session(connection: self)
            do {
                return try (triedAlone ? session.engineOutcome(of: commands, deadline: nil)
                                       : session.outcome(of: commands, deadline: nil)).get()
            } catch {
                throw error.naming(key: commands.first?.firstKey)
            }
        }
        let request = PipelineCombiner.Request(commands)
        PipelineCombiner.run([request] + queued, in: Session(connection: self))
        release()
        return try request.result!.get()
    }

    /// Whether commands wait to go before the next exchange (``sendLater(_:)``).
    var hasDeferred: Bool { deferredLock.withLock { !deferred.isEmpty } }

    /// Releases the lock and lets callers queued behind it see their results or lead.
    func release() {
        lock.unlock()
        combiner.wake()
    }

    /// Closes the socket now. The next call reconnects.
    public func close() {
        cluster?.close()
        guard lock.lock() else { context = nil; return }  // called from inside our own transaction
        context = nil
        release()
    }

    /// Sends `command` without waiting for its reply and without blocking:
    /// written now if the connection is idle, else before the next exchange.
    /// Its reply is read and dropped later. For cleanup from a `deinit`.
    func sendLater(_ command: RedisCommand) {
        if let cluster {
            cluster.sendLater(command)
            return
        }
        if lock.tryLock() {
            defer { release() }
            if let context, context.isUsable, (try? context.append(command)) != nil {
                context.owe(CollectionOfOne(command))
                _ = try? context.write(for: command)  // what the socket does not take now goes with the next exchange
                return
            }
        }
        deferredLock.withLock { deferred.append(command) }
    }

    /// Runs `body` holding the lock, with this connection as a ``Session``.
    ///
    /// - Throws: a ``PotteryError/Code/valueError`` at once when the calling
    ///   thread already holds the lock (the connection used from inside its
    ///   own transaction body), instead of waiting for ever.
    func exclusively<R>(_ body: (Session) throws(PotteryError) -> R) throws(PotteryError) -> R {
        guard lock.lock() else { throw reentered() }
        defer { release() }
        return try body(Session(connection: self))
    }

    func reentered() -> PotteryError {
        PotteryError(.valueError, "connection to \(server) used from inside its own transaction body: "
                     + "use the RedisTransaction the body was given", server: server)
    }

    /// This connection while its lock is held: the one way to run an exchange.
    struct Session {
        let connection: RedisConnection
        /// Whether exchanges must use the current socket, never a new one
        /// (a transaction after its `WATCH`, which a new socket would not carry).
        var keepsSocket = false

        /// Runs `commands` as one exchange on this connection alone.
        func exchange(_ commands: [RedisCommand], deadline: MonotonicInstant?) throws(PotteryError) -> [RedisReply] {
            try outcome(of: commands, deadline: deadline).get()
        }

        /// ``exchange(_:deadline:)``'s replies, or why it failed, as a value.
        /// One command on a live socket takes its own exchange (``RedisConnection/sendAlone(_:deadline:)``).
        func outcome(of commands: [RedisCommand], deadline: MonotonicInstant?) -> Result<[RedisReply], PotteryError> {
            if commands.count == 1, let alone = connection.sendAlone(commands[0], deadline: deadline) {
                return alone.map { [$0] }
            }
            return engineOutcome(of: commands, deadline: deadline)
        }

        /// ``outcome(of:deadline:)`` through ``ExchangeEngine``, for a caller that
        /// already tried ``RedisConnection/sendAlone(_:deadline:)``.
        func engineOutcome(of commands: [RedisCommand], deadline: MonotonicInstant?) -> Result<[RedisReply], PotteryError> {
            let part = connection.startPart(commands, deadline: deadline, reconnect: !keepsSocket, now: .now)
            ExchangeEngine.run(part)
            connection.endPart(part)
            return part.result!
        }
    }

    /// Whether this connection's socket still owes replies nobody waits for
    /// (the rest of a batch a decided fan-out left behind). `false` while another thread uses it.
    var owesReplies: Bool {
        guard lock.tryLock() else { return false }
        defer { release() }
        return (context?.repliesToDiscard ?? 0) > 0
    }

    /// Checks the idle sockets of `connections` (their locks held) in one
    /// `poll(2)` before a fan-out starts its parts (see ``HiredisContext/checkIdle(_:at:)``).
    static func checkIdleSockets(_ connections: [RedisConnection], at now: MonotonicInstant) {
        HiredisContext.checkIdle(connections.compactMap { $0.context.flatMap { $0.isUsable ? $0 : nil } }, at: now)
    }

    /// Makes this connection's part of an exchange. The lock must be held.
    func startPart(_ commands: [RedisCommand], deadline: MonotonicInstant?, reconnect: Bool = true,
                   now: MonotonicInstant) -> ExchangePart {
        let part = ExchangePart(connection: self, commands: commands, deadline: deadline, now: now)
        let pending = deferredLock.withLock { () -> [RedisCommand] in
            defer { deferred.removeAll() }
            return deferred
        }
        part.begin(existing: context, deferred: pending, reconnect: reconnect, now: now)
        return part
    }

    /// Keeps the part's socket when it is still good. The lock must be held.
    func endPart(_ part: ExchangePart) {
        context = part.context.flatMap { $0.isUsable ? $0 : nil }
        if case .failure? = part.result, context == nil, !part.deferred.isEmpty {
            // Not sent, or their outcome is unknown with the socket gone: send them again
            // (UNLINK twice is harmless). A socket kept owing replies still delivers them.
            deferredLock.withLock { deferred = part.deferred + deferred }
        }
    }

    /// AUTH and SELECT for a new socket, sent before its first commands.
    func setupCommands() -> [RedisCommand] {
        var setup: [RedisCommand] = []
        if let password = configuration.password {
            var auth = RedisCommand("AUTH")
            if let user = configuration.username { auth.append(user) }
            auth.append(password)
            setup.append(auth)
        }
        if configuration.database != 0 {
            var select = RedisCommand("SELECT")
            select.append(configuration.database)
            setup.append(select)
        }
        return setup
    }
}

extension RedisConnection {
    /// This connection's async forms: `try await connection.async.send(command)`.
    /// (A separate view, so that sync calls in async code keep meaning what they say.)
    public var async: AsyncRedisConnection { AsyncRedisConnection(connection: self) }
}

/// The async forms of a ``RedisConnection``'s calls (``RedisConnection/async``).
public struct AsyncRedisConnection: Sendable {
    /// The connection.
    public let connection: RedisConnection

    /// Sends `command` without blocking the calling task's thread: it joins the
    /// connection's next pipelined exchange, which a thread of PotteryKit's
    /// own sends, so many tasks sharing this connection overlap their round trips.
    ///
    /// A task cancelled before the exchange takes its command gets
    /// `CancellationError` and nothing is sent; once taken, the command runs
    /// and its reply is returned.
    /// - Throws: as ``RedisConnection/send(_:deadline:)``; `CancellationError`.
    @discardableResult
    public func send(_ command: RedisCommand) async throws -> RedisReply {
        try await pipeline([command])[0].get()
    }

    /// ``RedisConnection/pipeline(_:deadline:)`` without blocking the calling task's thread (see ``send(_:)``).
    public func pipeline(_ commands: [RedisCommand]) async throws -> [RedisReply] {
        if connection.cluster != nil { return try await clusterPipeline(commands) }
        let handoff = TaskHandoff<Result<[RedisReply], PotteryError>>()
        let request = PipelineCombiner.Request(commands) { handoff.resume(returning: $0) }
        let outcome = await withTaskCancellationHandler {
            await handoff.wait { connection.combiner.submit(request, on: connection) }
        } onCancel: {
            request.cancelled.set()
        }
        if case .failure(let error) = outcome, request.cancelled.isSet,
           error.message == PipelineCombiner.cancellation.message {
            throw CancellationError()
        }
        return try outcome.get()
    }
}

extension AsyncRedisConnection {
    /// A cluster's pipeline, run by a thread of the ``IOThreadPool`` (a task
    /// cancelled before the thread starts it sends nothing).
    private func clusterPipeline(_ commands: [RedisCommand]) async throws -> [RedisReply] {
        try Task.checkCancellation()
        let connection = connection
        let handoff = TaskHandoff<Result<[RedisReply], PotteryError>>()
        let outcome = await handoff.wait {
            IOThreadPool.shared.submit {
                handoff.resume(returning: Result { () throws(PotteryError) in try connection.pipeline(commands) })
            }
        }
        return try outcome.get()
    }
}

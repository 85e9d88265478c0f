/// A connection to one Redis server, shared safely between threads.
///
/// The connection opens its socket lazily, on first use, and again after any
/// failure: an I/O error or timeout discards the hiredis context (its outcome is
/// unknown and a late reply must never answer the next command), and the next
/// call reconnects, authenticates (`AUTH [user] password`) and selects the
/// database.
///
/// - Important: **Thread safety.** Every call holds the connection's lock for
///   its whole exchange (a pipeline or a transaction included), so calls from
///   several threads are serialised, never interleaved. The I/O is blocking:
///   to talk to several servers at once (Redlock over N masters), use one
///   connection per server and drive them from separate threads, not from one
///   Swift concurrency task.
///
/// - Important: hiredis writes to sockets with `write(2)`, which raises
///   `SIGPIPE` when the server has gone. PotteryKit installs no signal
///   handler; a program should ignore `SIGPIPE` (pottery-cli does).
public final class RedisConnection: @unchecked Sendable {
    /// Where and how this connection talks to Redis.
    public let configuration: RedisConfiguration
    private let lock = ConnectionLock()
    // Guarded by `lock`.
    private var context: HiredisContext?

    /// A connection for `configuration`. Nothing is sent until first use.
    public init(_ configuration: RedisConfiguration) {
        self.configuration = configuration
    }

    /// A connection for a Redis URL (see ``RedisConfiguration/init(url:)``).
    public convenience init(url: String) throws(PotteryError) {
        self.init(try RedisConfiguration(url: url))
    }

    /// A connection to `$REDIS_URL`, else `redis://localhost:6379/0`, as pottery's default.
    public static func fromEnvironment() throws(PotteryError) -> RedisConnection {
        RedisConnection(try RedisConfiguration.fromEnvironment())
    }

    /// The server's URL with its password masked.
    public var server: String { configuration.maskedURL }

    /// Sends one command and returns its reply.
    ///
    /// - Throws: ``PotteryError`` for a connection failure or timeout, and for
    ///   an error reply from Redis (with the server's text, its first word in
    ///   ``PotteryError/redisCode``, and the command's first key).
    @discardableResult
    public func send(_ command: RedisCommand) throws(PotteryError) -> RedisReply {
        try pipeline([command])[0].get()
    }

    /// Sends `commands` in one write and reads exactly as many replies: one
    /// round trip.
    ///
    /// Error replies are values of the result (``RedisReply/error(_:)``), so
    /// one failing command does not hide the others' replies.
    /// - Throws: ``PotteryError`` only when the exchange itself fails (I/O,
    ///   timeout); then which commands ran is unknown.
    public func pipeline(_ commands: [RedisCommand]) throws(PotteryError) -> [RedisReply] {
        do {
            return try withContext { context throws(PotteryError) in try Self.exchange(commands, on: context) }
        } catch {
            throw error.naming(key: commands.first?.firstKey)  // e.g. a failed connect names the key it was for
        }
    }

    /// Closes the socket now. The next call reconnects.
    public func close() {
        lock.withLock { context = nil }
    }

    /// Runs `body` with a live context under the lock; drops the context when
    /// it fails.
    func withContext<R>(_ body: (HiredisContext) throws(PotteryError) -> R) throws(PotteryError) -> R {
        try lock.withLock { () throws(PotteryError) -> R in
            let live: HiredisContext
            if let context, context.isUsable, !context.isStale {
                live = context
            } else {
                context = nil
                live = try connect()
                context = live
            }
            do throws(PotteryError) {
                return try body(live)
            } catch {
                if !live.isUsable { context = nil }
                throw error
            }
        }
    }

    /// Appends every command, then reads one reply per command.
    static func exchange(_ commands: [RedisCommand], on context: HiredisContext) throws(PotteryError) -> [RedisReply] {
        for command in commands { try context.append(command) }
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for command in commands { replies.append(try context.readReply(for: command)) }
        return replies
    }

    /// Opens a context, then authenticates and selects the database in one round trip.
    private func connect() throws(PotteryError) -> HiredisContext {
        let made = try HiredisContext(configuration)
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
        guard !setup.isEmpty else { return made }
        for reply in try Self.exchange(setup, on: made) {
            if case .error(var error) = reply {
                // RedisErrorReply already words `ERR ... password` replies as refused credentials.
                if error.code == .authenticationError, !error.message.contains("refused the credentials") {
                    error.message = "\(server) refused the credentials: " + error.message
                }
                throw error
            }
        }
        return made
    }
}

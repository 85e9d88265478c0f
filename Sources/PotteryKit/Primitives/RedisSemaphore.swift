/// A counting semaphore across machines: at most ``limit`` holders at once
/// ("at most 4 of our 40 cron hosts run the backup"). pottery has none; this
/// one follows Redisson's expirable permits.
///
/// Each permit is a random token with its own lease (``autoReleaseTime``),
/// held in the sorted set `semaphore:{KEY}` scored by when the lease ends,
/// so a crashed holder frees its permit when its lease ends. Every operation
/// is one Lua script that first drops expired permits, and time is the
/// server's (`TIME`), never the clients'. Waiters are served in arrival
/// order: a blocking acquire queues its token in `semaphore:{KEY}:waiters`
/// with a short lease of its own that each poll renews, so a waiter that dies
/// leaves the queue within ``waiterLease`` and never blocks it.
///
/// It lives on **one** server (unlike ``Redlock``): a majority of
/// independent masters cannot bound a count above 1, because two different
/// majorities may each admit `limit` holders that do not overlap on any
/// master. Use a server you would trust with the lock's job (persistence,
/// a supervised restart).
///
/// ```swift
/// let backups = RedisSemaphore(key: "backup", limit: 4, connection: redis)
/// try backups.withPermit(timeout: .seconds(60), watchdog: true) { permit in
///     // at most 4 processes run this at once
/// }
/// ```
///
/// The limit is each caller's own: a caller asking for a smaller limit than
/// the present holders count is admitted only once the holders drop below
/// it; the holders already in keep their permits.
public final class RedisSemaphore: Sendable {
    /// The semaphore's name as given.
    public let name: String
    /// The most holders at once this caller accepts (at least 1).
    public let limit: Int
    /// The server it lives on.
    public let connection: RedisConnection
    /// How long a permit lives unless extended (default 10 s, as a lock's).
    public let autoReleaseTime: Duration

    /// How long a queued waiter keeps its place without polling again.
    public static let waiterLease: Duration = .seconds(2)

    /// The drift allowed for, as a lock's: 1% of the lease + 2 ms.
    public let drift: Duration

    /// The holders', waiters' and waiting leases' keys, built once (every call sends them).
    let keys: [RedisKey]
    /// The acquire script's limit and lease arguments, formatted once.
    private let limitArgument: [UInt8]
    private let leaseArgument: [UInt8]
    private static let waiterLeaseArgument = Array(String(waiterLease.wholeMilliseconds).utf8)

    /// The semaphore `name` on `connection`, admitting at most `limit` holders.
    public init(key name: String, limit: Int, connection: RedisConnection, autoReleaseTime: Duration = .seconds(10)) {
        self.name = name
        self.limit = limit
        self.connection = connection
        self.autoReleaseTime = autoReleaseTime
        drift = autoReleaseTime / 100 + .milliseconds(2)
        let base = "semaphore:{" + name + "}"
        keys = [RedisKey(base), RedisKey(base + ":waiters"), RedisKey(base + ":waiting")]
        limitArgument = Array(String(limit).utf8)
        leaseArgument = Array(String(max(autoReleaseTime.wholeMilliseconds, 1)).utf8)
    }

    /// `semaphore:{<name>}`: the holders' sorted set (the braces keep the
    /// semaphore's keys in one Redis Cluster slot).
    public static func redisKey(_ name: String) -> RedisKey { RedisKey("semaphore:{" + name + "}") }

    /// The holders' key, `semaphore:{<name>}`.
    public var key: RedisKey { keys[0] }

    // MARK: acquire

    /// Takes a permit.
    ///
    /// - Parameters:
    ///   - blocking: `false` makes one attempt (and never queues).
    ///   - timeout: with `blocking`, how long to wait; `nil` waits as long as necessary.
    /// - Returns: the permit, or `nil` when none was free in time.
    /// - Throws: ``PotteryError/Code/valueError`` for a limit below 1 or a
    ///   timeout with `blocking: false`; ``PotteryError/Code/wrongType`` when a
    ///   key holds another Redis type; connection errors (a permit the server
    ///   may have granted unseen is released first).
    public func acquire(blocking: Bool = true, timeout: Duration? = nil) throws(PotteryError) -> SemaphorePermit? {
        try acquire(blocking: blocking, timeout: timeout, isCancelled: { false })
    }

    func acquire(blocking: Bool, timeout: Duration?, isCancelled: () -> Bool) throws(PotteryError) -> SemaphorePermit? {
        guard limit >= 1 else {
            throw PotteryError(.valueError, "a semaphore's limit must be at least 1, got \(limit)", key: key.description)
        }
        if !blocking && timeout != nil {
            throw PotteryError(.valueError, "can't specify a timeout for a non-blocking call", key: key.description)
        }
        let token = RandomKey.uuid4()
        let clock = ContinuousClock()
        let giveUp = timeout.map { clock.now + $0 }
        while true {
            let start = clock.now
            let reply: RedisReply
            do {
                reply = try connection.evaluate(SemaphoreScripts.acquire, keys: keys, arguments: [
                    Array(token.utf8), limitArgument, leaseArgument, blocking ? Self.waiterLeaseArgument : [],
                ])
            } catch {
                if error.code != .wrongType { releaseQuietly(token) }  // it may have been admitted unseen
                throw error
            }
            // The holders, this one included, when admitted; else -1 - the waiters ahead.
            let answer = reply.integer ?? -1
            if answer > 0 {
                return SemaphorePermit(semaphore: self, token: token, validUntil: start + autoReleaseTime - drift)
            }
            let now = clock.now
            if !blocking { return nil }
            if isCancelled() || giveUp.map({ now >= $0 }) == true {
                releaseQuietly(token)  // leave the queue
                return nil
            }
            // Poll soon near the head of the queue, less often further back.
            let ahead = Int(-1 - answer)
            let most = 10 + 10 * min(ahead, 9)
            var pause = Duration.milliseconds(Int.random(in: 5...most))
            if let giveUp { pause = min(pause, giveUp - now) }
            Sleep.for(pause)
        }
    }

    private func releaseQuietly(_ token: String) {
        _ = try? connection.evaluate(SemaphoreScripts.release, keys: keys, arguments: [Array(token.utf8)])
    }

    // MARK: release, extend

    /// Gives `permit` back: a plain `ZREM` while the permit is valid by this
    /// process's clock, else the release script, which checks the lease on the
    /// server's clock.
    ///
    /// - Throws: ``PotteryError/Code/releaseUnlockedLock`` when the server no
    ///   longer holds it (released already, or its lease ended).
    public func release(_ permit: SemaphorePermit) throws(PotteryError) {
        let stillValid = permit.remainingValidity > .zero
        permit.setValidUntil(nil)
        guard stillValid else { return try release(token: permit.token) }
        // Valid by our own clock (the lease less the drift): the server has not
        // ended it either, so a plain ZREM (no script: one server call, not
        // four) tells whether we still held it.
        var zrem = RedisCommand("ZREM", key: key)
        zrem.append(permit.token)
        guard try connection.send(zrem).integer == 1 else { throw notHeld() }
    }

    private func notHeld() -> PotteryError {
        PotteryError(.releaseUnlockedLock, "cannot release a permit of \(key): it is not held (released, or its lease ended)",
                     key: key.description)
    }

    /// Gives back the permit holding `token` (taken by another process:
    /// `pottery-cli semaphore release --token`).
    ///
    /// - Throws: ``PotteryError/Code/releaseUnlockedLock`` when no permit holds `token`.
    public func release(token: String) throws(PotteryError) {
        let released = try connection.evaluate(SemaphoreScripts.release, keys: keys, arguments: [Array(token.utf8)])
        guard released.integer == 1 else { throw notHeld() }
    }

    /// Resets `permit`'s lease to ``autoReleaseTime`` from now.
    ///
    /// - Throws: ``PotteryError/Code/extendUnlockedLock`` when the server no longer holds it.
    public func extend(_ permit: SemaphorePermit) throws(PotteryError) {
        try extend(permit, notAfter: nil)
    }

    /// Resets the lease of the permit holding `token` (taken by another process).
    ///
    /// - Throws: ``PotteryError/Code/extendUnlockedLock`` when no permit holds `token`.
    public func extend(token: String) throws(PotteryError) {
        _ = try renew(token: token, deadline: nil)
    }

    func extend(_ permit: SemaphorePermit, notAfter: ContinuousClock.Instant?) throws(PotteryError) {
        let start = ContinuousClock.now
        do {
            try renew(token: permit.token, deadline: notAfter)
        } catch {
            if error.code == .extendUnlockedLock { permit.setValidUntil(nil) }
            throw error
        }
        permit.setValidUntil(start + autoReleaseTime - drift)
    }

    private func renew(token: String, deadline: ContinuousClock.Instant?) throws(PotteryError) {
        let extended = try connection.evaluate(SemaphoreScripts.extend, keys: keys,
                                               arguments: [Array(token.utf8), leaseArgument],
                                               deadline: deadline)
        guard extended.integer == 1 else {
            throw PotteryError(.extendUnlockedLock, "cannot extend a permit of \(key): it is not held (released, or its lease ended)",
                               key: key.description)
        }
    }

    // MARK: inspection

    /// How many permits are held now.
    public func holders() throws(PotteryError) -> Int {
        try status().holders
    }

    /// The holders' leases, the queue's length and the last limit asked for; never the tokens.
    public func status() throws(PotteryError) -> SemaphoreStatus {
        let reply = try connection.evaluate(SemaphoreScripts.status, keys: keys).array ?? []
        let limit = reply.first?.integer.map(Int.init)
        let waiters = reply.count > 1 ? Int(reply[1].integer ?? 0) : 0
        let leases = reply.dropFirst(2).map { Duration.milliseconds($0.integer ?? 0) }
        return SemaphoreStatus(limit: limit, leases: leases, waiters: waiters)
    }
}

extension Duration {
    /// Whole milliseconds, truncated.
    var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

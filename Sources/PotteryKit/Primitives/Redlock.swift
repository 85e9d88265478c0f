import Synchronization

/// A distributed lock over N independent Redis masters: the Redlock
/// algorithm, interchangeable with Python pottery's `Redlock` on the same key.
///
/// The lock lives at `redlock:<key>` on every master as a random lowercase
/// UUID4 token with a PX TTL (``autoReleaseTime``). A holder owns the lock when
/// a majority (n/2+1) of masters granted `SET NX PX` within the TTL less the
/// time the round took and a clock drift (1% of the TTL + 2 ms), all measured
/// on a monotonic clock. Masters are contacted at once (``RedisFanOut``), so an
/// acquire costs about one round trip whatever n is.
///
/// ```swift
/// let lock = Redlock(key: "printer", masters: masters)
/// if try lock.acquire(timeout: .seconds(5)) {
///     defer { try? lock.release() }
///     // critical section
/// }
/// ```
///
/// Where we differ from pottery, on purpose: `acquire(timeout: .zero)` tries
/// once (pottery never tries); when more than half the masters *fail* (down,
/// timed out, erroring) an acquire throws ``PotteryError/Code/quorumIsImpossible``
/// at once instead of spinning (``raiseOnRedisErrors``, default `true`);
/// `locked()` returns a `Duration` (pottery returns seconds although its
/// documentation says milliseconds); a failed re-acquire does not forget the
/// lease already held.
///
/// - Important: a `Redlock` object is one holder. It is thread-safe, but
///   calls on one object are serialised.
public final class Redlock: Sendable {
    /// The lock's name as given (pottery's `key=`).
    public let name: String
    /// The masters, in the order given.
    public let masters: [RedisConnection]
    /// How long the lock lives on the masters unless extended (pottery's `auto_release_time`, default 10 s).
    public let autoReleaseTime: Duration
    /// How many times `extend()` may be called per acquisition (pottery's default 3).
    public let numExtensions: Int
    /// Whether an operation throws ``PotteryError/Code/quorumIsImpossible`` when
    /// more than half the masters failed. `false` gives pottery's default:
    /// acquire answers `false` and a blocking acquire keeps trying.
    public let raiseOnRedisErrors: Bool
    /// Whether each acquisition also draws a fencing token (see ``fencingToken``).
    public let fencing: Bool

    /// The lease this object holds, if any.
    struct Held {
        var token: String?
        var fencingToken: Int?
        var extensionCount = 0
        var validUntil: ContinuousClock.Instant?
    }

    let held = Mutex(Held())

    private let masterSet: Masters

    /// pottery's retry delay bound between acquire attempts: a uniform random wait in 0..<200 ms.
    static let retryDelay: Duration = .milliseconds(200)

    /// A lock named `name` (Redis key `redlock:<name>`) over `masters`.
    ///
    /// - Parameters:
    ///   - name: the lock's name (pottery's `key=`).
    ///   - masters: independent Redis servers (not replicas, not one cluster), each connection once.
    ///   - autoReleaseTime: how long the lock lives unless extended (pottery's default 10 s).
    ///   - numExtensions: how many times `extend()` may be called per acquisition.
    ///   - raiseOnRedisErrors: throw ``PotteryError/Code/quorumIsImpossible`` when more than half the masters fail.
    ///   - fencing: draw a fencing token with every acquisition.
    public init(key name: String, masters: [RedisConnection], autoReleaseTime: Duration = .seconds(10),
                numExtensions: Int = 3, raiseOnRedisErrors: Bool = true, fencing: Bool = false) {
        self.name = name
        self.masters = masters
        self.autoReleaseTime = autoReleaseTime
        self.numExtensions = numExtensions
        self.raiseOnRedisErrors = raiseOnRedisErrors
        self.fencing = fencing
        self.masterSet = Masters(masters, key: Self.redisKey(name))
        self.drift = autoReleaseTime / 100 + .milliseconds(2)
        let (seconds, attoseconds) = autoReleaseTime.components
        self.ttlMilliseconds = Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }

    /// A handle on a lease taken by another process (pottery-cli's `lock
    /// release --token`): `release()`, `extend()` and `locked()` act on
    /// `token`.
    public convenience init(key name: String, masters: [RedisConnection], token: String,
                            autoReleaseTime: Duration = .seconds(10), raiseOnRedisErrors: Bool = true) {
        self.init(key: name, masters: masters, autoReleaseTime: autoReleaseTime, numExtensions: .max,
                  raiseOnRedisErrors: raiseOnRedisErrors)
        held.withLock { $0.token = token }
    }

    /// `redlock:<name>`, pottery's key for a lock named `name`.
    public static func redisKey(_ name: String) -> RedisKey { RedisKey("redlock:" + name) }

    /// The Redis key on every master: `redlock:<name>`.
    public var key: RedisKey { masterSet.key }

    /// The random token of the current lease (a lowercase UUID4), if held.
    public var token: String? { held.withLock { $0.token } }

    /// The fencing token of the current lease: an integer that strictly
    /// increases with every grant of this lock, to any client, so a resource
    /// can refuse a holder whose lease has passed to another. `nil` unless
    /// ``fencing`` is on and the lock is held.
    public var fencingToken: Int? { held.withLock { $0.fencingToken } }

    /// How long the current lease is safe to rely on from now: the TTL less
    /// the acquire's (or last extension's) round and drift, less the time
    /// since. `.zero` when not held.
    public var remainingValidity: Duration {
        guard let until = held.withLock({ $0.validUntil }) else { return .zero }
        return max(until - .now, .zero)
    }

    /// pottery's clock drift allowance: 1% of the TTL + 2 ms.
    public let drift: Duration

    /// ``autoReleaseTime`` in whole milliseconds, truncated as pottery's `int(s * 1000)`.
    let ttlMilliseconds: Int

    // MARK: acquire

    /// Takes the lock.
    ///
    /// - Parameters:
    ///   - blocking: `false` makes exactly one attempt.
    ///   - timeout: with `blocking`, how long to keep trying; `nil` waits as
    ///     long as necessary. Attempts are spaced by a random wait below 200 ms.
    /// - Returns: whether the lock is now held by this object.
    /// - Throws: ``PotteryError/Code/valueError`` for a timeout with
    ///   `blocking: false`; ``PotteryError/Code/quorumIsImpossible`` when more
    ///   than half the masters failed (with ``raiseOnRedisErrors``).
    @discardableResult
    public func acquire(blocking: Bool = true, timeout: Duration? = nil) throws(PotteryError) -> Bool {
        try acquire(blocking: blocking, timeout: timeout, isCancelled: { false })
    }

    func acquire(blocking: Bool, timeout: Duration?, isCancelled: () -> Bool) throws(PotteryError) -> Bool {
        if !blocking && timeout != nil {
            throw PotteryError(.valueError, "can't specify a timeout for a non-blocking call", key: key.description)
        }
        let clock = ContinuousClock()
        let giveUp = timeout.map { clock.now + $0 }
        while true {
            if try attempt() { return true }
            if !blocking || isCancelled() { return false }
            let now = clock.now
            if let giveUp, now >= giveUp { return false }
            var pause = Duration.nanoseconds(Int64.random(in: 0..<Int64(Self.retryDelay.components.attoseconds / 1_000_000_000)))
            if let giveUp { pause = min(pause, giveUp - now) }
            Sleep.for(pause)
        }
    }

    /// One attempt: `SET NX PX` on every master at once.
    private func attempt() throws(PotteryError) -> Bool {
        let token = RandomKey.uuid4()
        let ttl = ttlMilliseconds
        let clock = ContinuousClock()
        let start = clock.now
        var set = RedisCommand("SET", key: key)
        set.append(token)
        set.append("NX")
        set.append("PX")
        set.append(ttl)
        let batch = fencing ? [set, RedisCommand("GET", key: FencingCounter.key(for: name))] : [set]
        let quorum = masterSet.quorum
        let count = masterSet.count
        // Waiting past the TTL less drift is pointless: the lease could not be valid.
        let deadline = start + max(autoReleaseTime - drift, .milliseconds(1))
        let tally = try masterSet.round(deadline: deadline, { _ in batch },
                                        until: { $0.isDecided(quorum: quorum, of: count) },
                                        judge: { $0 == .status("OK") })
        let validity = autoReleaseTime - (clock.now - start) - drift
        if tally.granted >= quorum && validity > .zero {
            var fence: Int?
            if fencing {
                do {
                    fence = try FencingCounter(name: name, masters: masterSet.connections).draw(after: tally)
                } catch {
                    releaseQuietly(token)
                    throw error
                }
            }
            held.withLock { $0 = Held(token: token, fencingToken: fence, extensionCount: 0, validUntil: start + validity) }
            return true
        }
        // Some masters may have granted (or did, unseen, before a timeout): undo it everywhere.
        releaseQuietly(token)
        if raiseOnRedisErrors && tally.isImpossible(of: count) && !lifeRanOut(tally, before: deadline, clock: clock) {
            throw masterSet.failure(.quorumIsImpossible, "cannot acquire \(key): more than half the masters failed", tally)
        }
        return false
    }

    /// Whether the masters that failed only ran out of the lease's own life: every failure is a
    /// timeout at `deadline` (the TTL less drift) that came before the connection's own time
    /// limits would have. A lease of 50 ms cannot wait for a fresh connection; that is a lease
    /// not acquired (pottery: `False`), not masters that failed.
    private func lifeRanOut(_ tally: Tally, before deadline: ContinuousClock.Instant,
                            clock: ContinuousClock) -> Bool {
        guard clock.now >= deadline, !tally.errors.isEmpty else { return false }
        let life = autoReleaseTime - drift
        return tally.errors.allSatisfy { $0.code == .timeout }
            && masterSet.connections.allSatisfy { life < $0.configuration.connectTimeout }
    }

    private func releaseQuietly(_ token: String) {
        _ = try? run(RedlockScripts.release, token: token, extra: [], deadline: nil)
    }

    // MARK: release, extend, locked

    /// Releases the lock on every master.
    ///
    /// - Throws: ``PotteryError/Code/releaseUnlockedLock`` when a majority did
    ///   not hold this object's token (never acquired, released already, or
    ///   expired); ``PotteryError/Code/quorumIsImpossible`` when more than half
    ///   the masters failed (with ``raiseOnRedisErrors``).
    public func release() throws(PotteryError) {
        let token = held.withLock { held -> String? in
            defer { held.token = nil; held.fencingToken = nil; held.validUntil = nil }
            return held.token
        }
        guard let token else {
            throw PotteryError(.releaseUnlockedLock, "cannot release \(key): not acquired by this holder", key: key.description)
        }
        let tally = try run(RedlockScripts.release, token: token, extra: [], deadline: nil)
        if tally.granted >= masterSet.quorum { return }
        throw failure(.releaseUnlockedLock, "cannot release \(key): a majority of masters no longer hold this lease", tally)
    }

    /// Resets the lock's TTL to ``autoReleaseTime`` on every master.
    ///
    /// - Throws: ``PotteryError/Code/tooManyExtensions`` after ``numExtensions``
    ///   extensions (no command sent); ``PotteryError/Code/extendUnlockedLock``
    ///   when a majority did not hold this object's token.
    public func extend() throws(PotteryError) {
        let token = try held.withLock { (held) throws(PotteryError) -> String? in
            if held.token != nil && held.extensionCount >= numExtensions {
                throw PotteryError(.tooManyExtensions, "\(key) was extended \(numExtensions) times already",
                                   key: key.description)
            }
            return held.token
        }
        guard let token else {
            throw PotteryError(.extendUnlockedLock, "cannot extend \(key): not acquired by this holder", key: key.description)
        }
        try renew(token, counted: true)
    }

    /// One extension round; `counted` ones use up ``numExtensions`` (the watchdog's do not). The round
    /// gives up at `notAfter` if that comes first (the watchdog's local deadline: the lease's validity).
    func renew(_ token: String, counted: Bool, notAfter: ContinuousClock.Instant? = nil) throws(PotteryError) {
        let clock = ContinuousClock()
        let start = clock.now
        var deadline = start + max(autoReleaseTime - drift, .milliseconds(1))
        if let notAfter { deadline = min(deadline, notAfter) }
        let tally = try run(RedlockScripts.extend, token: token, extra: [Array(String(ttlMilliseconds).utf8)],
                            deadline: deadline)
        let validity = autoReleaseTime - (clock.now - start) - drift
        guard tally.granted >= masterSet.quorum, validity > .zero else {
            throw failure(.extendUnlockedLock, "cannot extend \(key): a majority of masters no longer hold this lease", tally)
        }
        held.withLock { held in
            if counted { held.extensionCount += 1 }
            if held.token == token { held.validUntil = start + validity }
        }
    }

    /// How long the lease of this object has left on a majority of masters,
    /// less drift; `.zero` when it is not held (pottery's `locked()`, as a
    /// `Duration` rather than seconds).
    public func locked() throws(PotteryError) -> Duration {
        guard let token = token else { return .zero }
        let clock = ContinuousClock()
        let start = clock.now
        let tally = try run(RedlockScripts.acquired, token: token, extra: [], deadline: nil)
        var ttls: [Int64] = []
        for index in masters.indices {
            if let ttl = tally.replies(index)?.first?.integer, ttl > 0 { ttls.append(ttl) }
        }
        guard ttls.count >= masterSet.quorum, let shortest = ttls.min() else {
            if raiseOnRedisErrors && tally.isImpossible(of: masterSet.count) {
                throw masterSet.failure(.quorumIsImpossible, "cannot tell whether \(key) is held", tally)
            }
            return .zero
        }
        return max(.milliseconds(shortest) - drift - (clock.now - start), .zero)
    }

    /// Runs one of the token scripts on every master; a master grants when it answers 1 (or a positive TTL).
    private func run(_ script: RedisScript, token: String, extra: [[UInt8]],
                     deadline: ContinuousClock.Instant?) throws(PotteryError) -> Tally {
        let command = script.command(keys: [key], arguments: [Array(token.utf8)] + extra)
        let quorum = masterSet.quorum
        let count = masterSet.count
        return try masterSet.round(deadline: deadline, { _ in [command] },
                                   until: { $0.isDecided(quorum: quorum, of: count) },
                                   judge: { ($0.integer ?? 0) > 0 })
    }

    private func failure(_ code: PotteryError.Code, _ message: String, _ tally: Tally) -> PotteryError {
        if raiseOnRedisErrors && tally.isImpossible(of: masterSet.count) {
            return masterSet.failure(.quorumIsImpossible, message, tally)
        }
        return masterSet.failure(code, message, tally)
    }
}

extension Redlock: CustomStringConvertible {
    /// `<Redlock key=redlock:NAME>`, as pottery's repr.
    public var description: String { "<Redlock key=\(key)>" }
}

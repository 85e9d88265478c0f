/// What the masters say about a lock, for operators: per master whether the
/// key is held and its TTL, and whether one holder has a majority. Never the
/// holder's token.
public struct RedlockStatus: Sendable {
    /// One master's view.
    public struct Master: Sendable {
        /// The master's URL, password masked.
        public let server: String
        /// Whether the lock key exists there.
        public let held: Bool
        /// Its remaining TTL, when held.
        public let ttl: Duration?
        /// Why the master could not answer, if it could not.
        public let error: PotteryError?
        /// Whether this master's holder is the majority holder.
        public let holdsMajorityLease: Bool
    }

    /// The lock's Redis key (`redlock:<name>`).
    public let key: RedisKey
    /// Each master, in the order given.
    public let masters: [Master]
    /// The number of masters that makes a majority.
    public let quorum: Int
    /// Whether one holder's token is on a majority of masters.
    public let isHeld: Bool
    /// The time left on that majority (the shortest of its TTLs, less drift
    /// and the time the round took), `.zero` when not held: pottery's `locked()`.
    public let remaining: Duration

    /// When the lock is not held and fewer than a majority of masters could
    /// answer, "not held" cannot be told: the error that says why
    /// (``PotteryError/Code/quorumIsImpossible`` with each master's failure as
    /// a cause, or ``PotteryError/Code/wrongType`` when a majority holds the key
    /// as another Redis type); `nil` when the answer stands.
    public var unanswerable: PotteryError? {
        let failures = masters.compactMap(\.error)
        guard !isHeld, masters.count - failures.count < quorum else { return nil }
        let wrongType = failures.filter { $0.code == .wrongType }.count >= quorum
        let summary = failures.map { "\($0.server ?? "?"): \($0.message)" }.joined(separator: "; ")
        var error = PotteryError(wrongType ? .wrongType : .quorumIsImpossible,
                                 "cannot tell whether \(key) is held: \(failures.count) of \(masters.count) masters failed: \(summary)",
                                 key: key.description)
        error.causes = failures
        return error
    }
}

extension Redlock {
    /// Asks every master about the lock named `name`, whoever holds it.
    public static func status(key name: String, masters: [RedisConnection],
                              autoReleaseTime: Duration = .seconds(10)) throws(PotteryError) -> RedlockStatus {
        let lock = Redlock(key: name, masters: masters, autoReleaseTime: autoReleaseTime)
        let key = lock.key
        let clock = ContinuousClock()
        let start = clock.now
        let set = Masters(masters, key: key)
        let tally = try set.round(deadline: nil, { _ in [RedisCommand("GET", key: key), RedisCommand("PTTL", key: key)] },
                                  judge: { _ in true })
        let elapsed = clock.now - start
        var byToken: [[UInt8]: [Int]] = [:]
        for index in masters.indices {
            if let replies = tally.replies(index), let token = replies[0].bytes { byToken[token, default: []].append(index) }
        }
        let majority = byToken.first { $0.value.count >= set.quorum }?.value ?? []
        var views: [RedlockStatus.Master] = []
        var ttls: [Duration] = []
        for index in masters.indices {
            let server = masters[index].server
            guard let replies = tally.replies(index) else {
                let error: PotteryError? = if case .failure(let failure)? = tally.results[index] { failure } else {
                    tally.results[index].flatMap { try? $0.get() }?.lazy.compactMap(\.error).first
                }
                views.append(.init(server: server, held: false, ttl: nil, error: error, holdsMajorityLease: false))
                continue
            }
            let held = replies[0].bytes != nil
            let ttl = replies[1].integer.flatMap { $0 >= 0 ? Duration.milliseconds($0) : nil }
            let inMajority = majority.contains(index)
            if inMajority, let ttl { ttls.append(ttl) }
            views.append(.init(server: server, held: held, ttl: held ? ttl : nil, error: nil, holdsMajorityLease: inMajority))
        }
        let remaining = ttls.min().map { max($0 - lock.drift - elapsed, .zero) } ?? .zero
        return RedlockStatus(key: key, masters: views, quorum: set.quorum, isHeld: !majority.isEmpty && remaining > .zero,
                             remaining: remaining)
    }
}

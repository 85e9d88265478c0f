import Synchronization

/// Unique, increasing IDs drawn from N independent Redis masters,
/// interchangeable with Python pottery's `NextID` on the same key.
///
/// The sequence lives at `nextid:<name>` on every master as a plain decimal
/// string (the last ID handed out). An ID is handed out only when a majority
/// of masters accepted it, and a master accepts only values above its own, so
/// two clients can never both win one ID; holes are allowed. Uncontended, a
/// draw is one round trip: the object proposes the last value it knows + 1,
/// and when a majority refuses, their replies say what to propose instead.
///
/// ```swift
/// let ids = NextID(key: "orders", masters: masters)
/// let id = try ids.next()              // 1, then 2, ...
/// let block = try ids.next(count: 1000) // 1000 consecutive IDs, one quorum round
/// ```
///
/// - Important: masters that restart must come back with their data (AOF
///   with `appendfsync always`) or stay down for longer than clients take to
///   draw: a master that forgets its value can let a minority's stale value
///   win. pottery has the same requirement.
public final class NextID: Sendable {
    /// The sequence's name as given (pottery's `key=`, default `current`).
    public let name: String
    /// The masters, in the order given.
    public let masters: [RedisConnection]
    /// How many split votes (some masters granted another client's
    /// proposal) a draw survives before ``PotteryError/Code/quorumNotAchieved``
    /// (pottery's `num_tries`; default 5 where pottery's is 3, as each of our
    /// tries is one round trip where pottery's is two). A round that every
    /// master refused only taught us the current value and is not counted.
    public let numTries: Int
    /// Whether a round where more than half the masters failed throws
    /// ``PotteryError/Code/quorumIsImpossible`` at once.
    public let raiseOnRedisErrors: Bool

    private let masterSet: Masters
    /// The highest value this object knows any master holds.
    private let lastKnown = Mutex<Int?>(nil)

    /// A sequence named `name` (Redis key `nextid:<name>`) over `masters`.
    public init(key name: String = "current", masters: [RedisConnection], numTries: Int = 5,
                raiseOnRedisErrors: Bool = true) {
        self.name = name
        self.masters = masters
        self.numTries = numTries
        self.raiseOnRedisErrors = raiseOnRedisErrors
        self.masterSet = Masters(masters, key: Self.redisKey(name))
    }

    /// `nextid:<name>`, pottery's key for a sequence named `name`.
    public static func redisKey(_ name: String) -> RedisKey { RedisKey("nextid:" + name) }

    /// The Redis key on every master: `nextid:<name>`.
    public var key: RedisKey { masterSet.key }

    /// Draws the next ID.
    /// - Throws: ``PotteryError/Code/quorumNotAchieved`` after ``numTries``
    ///   contended rounds; ``PotteryError/Code/quorumIsImpossible`` when more
    ///   than half the masters failed; ``PotteryError/Code/typeError`` when no
    ///   majority could be had and a master holds a value that is not an
    ///   integer (such a master counts as failed, and its value is left alone).
    public func next() throws(PotteryError) -> Int {
        try next(count: 1).lowerBound
    }

    /// Reserves `count` consecutive IDs in one quorum round: no other client
    /// ever receives any of them.
    public func next(count: Int) throws(PotteryError) -> ClosedRange<Int> {
        guard count >= 1 else {
            throw PotteryError(.valueError, "count must be at least 1, not \(count)", key: key.description)
        }
        var splitVotes = 0
        var skip = 0
        // A master holding a value that is not an integer is a failed master; if no majority can
        // be had, that is the error to report (a data error), rather than the quorum.
        var garbage: PotteryError?
        for _ in 0..<Self.maxRounds {
            let base = lastKnown.withLock { $0 ?? 0 } + skip
            let (first, overflowA) = base.addingReportingOverflow(1)
            let (last, overflowB) = first.addingReportingOverflow(count - 1)
            if overflowA || overflowB {
                // The stored value is at the type's limit: a data error (exit 4), as a counter past Int64.
                throw PotteryError(.typeError, "\(key) cannot grow past \(Int.max): the next ID would not fit in a 64-bit integer",
                                   key: key.description)
            }
            let (tally, rival, notAnID) = try propose(first, last)
            if tally.granted >= masterSet.quorum { return first...last }
            garbage = garbage ?? notAnID
            if raiseOnRedisErrors && tally.isImpossible(of: masterSet.count) {
                if let garbage { throw garbage }
                throw masterSet.failure(.quorumIsImpossible, "cannot draw from \(key): more than half the masters failed", tally)
            }
            // Refusals above our range: our value was stale, and they told us the current one (free).
            skip = 0
            guard rival || !tally.errors.isEmpty else { continue }
            // A rival took some of our numbers on some masters (or masters failed): that is a try.
            // Proposing a little further ahead (holes are allowed) wins every master that has not seen
            // a higher value yet, instead of meeting the same rival on the same value again.
            splitVotes += 1
            if splitVotes >= numTries {
                if let garbage { throw garbage }
                throw masterSet.failure(.quorumNotAchieved, "no majority accepted an ID from \(key) in \(numTries) tries", tally)
            }
            if rival { skip = Int.random(in: 1...8) }
        }
        if let garbage { throw garbage }
        throw PotteryError(.quorumNotAchieved, "\(key) kept moving ahead of this client in \(Self.maxRounds) rounds",
                           key: key.description)
    }

    /// A bound on rounds that only learned a newer value (heavy contention).
    static let maxRounds = 1000

    /// The highest ID a majority of masters report, without drawing one
    /// (0 for a new sequence): when every master answers, the value that at
    /// least a quorum of them hold or exceed. Every ID ever drawn is at most
    /// this (a majority took it), and every later draw, here or by pottery, is
    /// above it (its majority meets this quorum), even when a minority holds a
    /// higher value that no majority took. With k masters silent, the
    /// (quorum − k)-th highest answer: still at least every ID drawn.
    public func current() throws(PotteryError) -> Int {
        let tally = try masterSet.round(deadline: nil, { _ in [RedisCommand("GET", key: self.key)] },
                                        judge: { _ in true })
        // A master holding a value that is not an integer counts as failed, as in a draw.
        var values: [Int] = []
        var garbage: PotteryError?
        for index in masters.indices {
            guard let reply = tally.replies(index)?.first else { continue }
            do {
                values.append(try value(reply, on: index))
            } catch {
                garbage = garbage ?? error
            }
        }
        guard values.count >= masterSet.quorum else {
            if let garbage { throw garbage }
            let code: PotteryError.Code = raiseOnRedisErrors && tally.isImpossible(of: masterSet.count)
                ? .quorumIsImpossible : .quorumNotAchieved
            throw masterSet.failure(code, "no majority of masters answered for \(key)", tally)
        }
        values.sort(by: >)
        lastKnown.withLock { $0 = max($0 ?? 0, values[0]) }
        // A drawn ID is held by a quorum, of whom at most `silent` did not answer.
        let silent = masterSet.count - values.count
        return values[masterSet.quorum - silent - 1]
    }

    /// Sets the sequence back to 0 (`DEL` on every master), as pottery's
    /// `reset()`: it succeeds only when every master answered.
    public func reset() throws(PotteryError) {
        let tally = try masterSet.round(deadline: nil, { _ in [RedisCommand("DEL", key: self.key)] }, judge: { _ in true })
        guard tally.errors.isEmpty else {
            let code: PotteryError.Code = raiseOnRedisErrors && tally.isImpossible(of: masterSet.count)
                ? .quorumIsImpossible : .quorumNotAchieved
            throw masterSet.failure(code, "cannot reset \(key) on every master", tally)
        }
        lastKnown.withLock { $0 = nil }
    }

    /// Sets what this object believes the highest stored value is (fencing:
    /// the values read in the same round as the lock's `SET`).
    func learn(_ value: Int) {
        lastKnown.withLock { $0 = max($0 ?? 0, value) }
    }

    /// One round of the conditional set; learns the highest value any master reported.
    /// Also says whether a master refused with a value inside `first...last`
    /// (a rival proposed the same numbers at the same time), and gives the
    /// data error of a master whose value is not an integer, if one answered so.
    private func propose(_ first: Int, _ last: Int) throws(PotteryError) -> (Tally, rival: Bool, notAnID: PotteryError?) {
        let command = NextIDScript.propose.command(keys: [key], arguments: [Array(String(first).utf8), Array(String(last).utf8)])
        let quorum = masterSet.quorum
        let count = masterSet.count
        let tally = try masterSet.round(deadline: nil, { _ in [command] },
                                        until: { $0.isDecided(quorum: quorum, of: count) },
                                        judge: { $0.array?.first == .integer(1) })
        // What each master holds now: `last` where it accepted, its own value where it refused.
        var highest = 0
        var rival = false
        for index in masters.indices {
            if let reply = tally.replies(index)?.first?.array, reply.count == 2 {
                let held = try value(reply[1], on: index)
                highest = max(highest, held)
                if reply[0] == .integer(0) && (first...last).contains(held) { rival = true }
            }
        }
        // Refused everywhere is staleness (someone took these numbers before), not a race.
        rival = rival && tally.granted > 0
        let notAnID = tally.errors.first(where: { $0.redisCode == "NOTANID" }).map { error in
            PotteryError(.typeError, error.serverText.map { String($0.dropFirst("NOTANID ".count)) } ?? error.message,
                         key: key.description, server: error.server)
        }
        lastKnown.withLock { $0 = max($0 ?? 0, highest) }
        return (tally, rival, notAnID)
    }

    /// A master's stored value: missing is 0; anything but a decimal integer is a data error.
    private func value(_ reply: RedisReply, on index: Int) throws(PotteryError) -> Int {
        if reply == .null { return 0 }
        guard let bytes = reply.bytes, let number = Int(String(decoding: bytes, as: UTF8.self)) else {
            throw PotteryError(.typeError, "\(key) holds \(ContainerStorage.excerpt(reply.bytes ?? [])), not an integer ID",
                               key: key.description, server: masters[index].server)
        }
        return number
    }
}

extension NextID: CustomStringConvertible {
    /// `<NextID key=nextid:NAME>`, as pottery's repr.
    public var description: String { "<NextID key=\(key)>" }
}

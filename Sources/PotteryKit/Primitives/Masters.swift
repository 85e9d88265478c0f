/// The independent Redis masters of a Redlock or a NextID, and the
/// bookkeeping of one round over them: who granted, who refused, who failed.
///
/// Masters must be independent servers (not replicas of one another, not
/// nodes of one cluster): the safety of both algorithms rests on any two
/// majorities sharing a master.
struct Masters: Sendable {
    let connections: [RedisConnection]
    /// The Redis key the primitive keeps on every master.
    let key: RedisKey

    var count: Int { connections.count }
    /// A strict majority: n // 2 + 1.
    var quorum: Int { count / 2 + 1 }

    init(_ connections: [RedisConnection], key: RedisKey) {
        self.connections = connections
        self.key = key
    }

    /// Sends each master its batch at once and returns every master's
    /// result. Returns early (leaving the slower masters behind) once `decided` answers
    /// true for the results so far.
    func round(deadline: ContinuousClock.Instant?, _ batch: (Int) -> [RedisCommand],
               until decided: ((Tally) -> Bool)? = nil, judge: @escaping (RedisReply) -> Bool) throws(PotteryError) -> Tally {
        guard !connections.isEmpty else {
            throw PotteryError(.valueError, "no masters given", key: key.description)
        }
        let batches = connections.indices.map { (connection: connections[$0], commands: batch($0)) }
        let results: [RedisFanOut.Result]
        if let decided {
            results = try RedisFanOut.pipelines(batches, deadline: deadline) { partial in
                decided(Tally(partial, judge: judge, key: key))
            }
        } else {
            results = try RedisFanOut.pipelines(batches, deadline: deadline)
        }
        return Tally(results, judge: judge, key: key)
    }

    /// The error for a round that did not reach a majority: `code` with every
    /// master's failure as a cause.
    /// When a majority of the masters answered `WRONGTYPE`, the key holds
    /// another Redis type: a data error (``PotteryError/Code/wrongType``), not a server's.
    func failure(_ code: PotteryError.Code, _ message: String, _ tally: Tally) -> PotteryError {
        let wrongType = tally.errors.filter { $0.code == .wrongType }.count >= quorum
        var error = PotteryError(wrongType ? .wrongType : code, "\(message) (\(tally.summary(of: count)))", key: key.description)
        error.causes = tally.errors
        if let first = tally.errors.first, tally.errors.count == count { error.server = first.server }
        return error
    }
}

/// The results of one round over the masters.
struct Tally {
    /// Each master's replies (`nil` while still running), in the masters' order.
    let results: [RedisFanOut.Result?]
    /// Masters whose last reply the judge accepted.
    private(set) var granted = 0
    /// Masters that answered but did not grant.
    private(set) var refused = 0
    /// Masters that failed (connection, timeout, error reply), each error naming its server.
    private(set) var errors: [PotteryError] = []
    /// Masters left behind once the outcome was decided: neither granted nor failed.
    private(set) var unanswered = 0

    init(_ results: [RedisFanOut.Result?], judge: (RedisReply) -> Bool, key: RedisKey) {
        self.results = results
        for result in results {
            switch result {
            case .none: continue
            case .success(let replies):
                if let error = replies.lazy.compactMap(\.error).first {
                    errors.append(error.naming(key: key))
                } else if let first = replies.first, judge(first) {
                    granted += 1
                } else {
                    refused += 1
                }
            case .failure(let error) where error.wasAbandoned:
                unanswered += 1
            case .failure(let error):
                errors.append(error)
            }
        }
    }

    init(_ results: [RedisFanOut.Result], judge: (RedisReply) -> Bool, key: RedisKey) {
        self.init(results.map { Optional($0) }, judge: judge, key: key)
    }

    /// The replies of master `index`, if it answered without error.
    func replies(_ index: Int) -> [RedisReply]? {
        guard case .success(let replies)? = results[index], !replies.contains(where: { $0.error != nil }) else { return nil }
        return replies
    }

    /// Whether a majority is settled either way (granted, or no longer possible).
    func isDecided(quorum: Int, of count: Int) -> Bool {
        granted >= quorum || count - refused - errors.count < quorum
    }

    /// So many masters failed that the rest cannot make a majority (pottery's
    /// `errors > count // 2` for an odd count; with an even count, half of them
    /// failed is already too many: 1 of 2, 2 of 4).
    func isImpossible(of count: Int) -> Bool { errors.count > count - (count / 2 + 1) }

    func summary(of count: Int) -> String {
        var text = "\(granted) of \(count) masters granted"
        if refused > 0 { text += ", \(refused) refused" }
        if unanswered > 0 { text += ", \(unanswered) not waited for" }
        if !errors.isEmpty {
            text += ", \(errors.count) failed: " + errors.map { "\($0.server ?? "?"): \($0.message)" }.joined(separator: "; ")
        }
        return text
    }
}

extension RedisReply {
    /// The error of an error reply.
    var error: PotteryError? {
        if case .error(let error) = self { return error }
        return nil
    }
}

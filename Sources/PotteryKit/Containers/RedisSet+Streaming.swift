/// A set operation whose result can be streamed.
public enum SetOperation: Sendable, Hashable {
    /// Members of any of the sets (`SUNION`).
    case union
    /// Members of all of the sets (`SINTER`).
    case intersection
    /// Members of the first set in none of the others (`SDIFF`).
    case difference
    /// Members of exactly one of two sets.
    case symmetricDifference
}

extension RedisSet {
    /// Streams the result of `operation` between this set and `others` in
    /// batches of about `count`, with bounded memory however large the result.
    ///
    /// On one server the result is stored server-side in a temporary
    /// `pottery:<uuid4>` key (`SUNIONSTORE` and friends, in one `MULTI`), walked
    /// with `SSCAN` and deleted afterwards; the key carries an expiry, renewed
    /// at every batch, so it cannot outlive a process that dies mid-walk. Across
    /// servers the operands are read and the result computed in memory, then
    /// handed out in batches.
    /// - Parameters:
    ///   - operation: union, intersection, difference or symmetric difference.
    ///   - others: for ``SetOperation/symmetricDifference``, exactly one set.
    ///   - count: about how many members each batch holds.
    ///   - body: called with each batch, in order.
    /// - Throws: ``PotteryError/Code/valueError`` for a symmetric difference of
    ///   other than two sets; server and data errors as the other set methods.
    public func forEachBatch(of operation: SetOperation, with others: [RedisSet<Element>], count: Int = 1000,
                             _ body: ([Element]) throws(PotteryError) -> Void) throws(PotteryError) {
        if operation == .symmetricDifference && others.count != 1 {
            throw PotteryError(.valueError, "a symmetric difference takes exactly one other set", key: key.description)
        }
        guard sharesServer(with: others) else {
            let result: [Element]
            switch operation {
            case .union: result = try union(others)
            case .intersection: result = try intersection(others)
            case .difference: result = try difference(others)
            case .symmetricDifference: result = try symmetricDifference(others[0])
            }
            var start = 0
            while start < result.count {
                try body(Array(result[start..<min(start + max(1, count), result.count)]))
                start += max(1, count)
            }
            return
        }
        let scratch = RedisSet<Element>(connection, key: try RandomKey.make(on: connection, beside: key))
        defer { _ = try? connection.send(RedisCommand("UNLINK", key: scratch.key)) }
        let lifetime = 600_000  // ms; renewed at every batch
        var commands: [RedisCommand] = []
        func store(_ name: String, into destination: RedisKey, _ keys: [RedisKey]) -> RedisCommand {
            var command = RedisCommand(name, key: destination)
            command.append(keys: keys)
            return command
        }
        switch operation {
        case .union: commands.append(store("SUNIONSTORE", into: scratch.key, [key] + others.map(\.key)))
        case .intersection: commands.append(store("SINTERSTORE", into: scratch.key, [key] + others.map(\.key)))
        case .difference: commands.append(store("SDIFFSTORE", into: scratch.key, [key] + others.map(\.key)))
        case .symmetricDifference:
            let theirs = RedisKey(scratch.key.description + ":b")
            commands += [
                store("SDIFFSTORE", into: scratch.key, [key, others[0].key]),
                store("SDIFFSTORE", into: theirs, [others[0].key, key]),
                store("SUNIONSTORE", into: scratch.key, [scratch.key, theirs]),
                RedisCommand("UNLINK", key: theirs),
            ]
        }
        var expire = RedisCommand("PEXPIRE", key: scratch.key)
        expire.append(lifetime)
        commands.append(expire)
        let queued = commands
        let (_, replies) = try storage.transaction(watching: []) { transaction throws(PotteryError) in
            for command in queued { transaction.enqueue(command) }
        }
        for reply in replies {
            do {
                try reply.get()
            } catch {
                throw storage.pinpointWrongType(error, among: [key] + others.map(\.key))
            }
        }
        do {
            try scratch.forEachBatch(count: count) { batch throws(PotteryError) in
                try connection.send(expire)
                try body(batch)
            }
        } catch {
            // Bad bytes came from one of the operands, not from the scratch key.
            guard error.key == scratch.key.description else { throw error }
            var named = error
            named.key = key.description
            named.message += " (in the result of the \(operation) with \(others.map(\.key.description).joined(separator: ", ")))"
            throw named
        }
    }
}

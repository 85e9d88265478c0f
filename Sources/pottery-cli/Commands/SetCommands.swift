import PotteryKit

/// `set` verbs: thin calls into `RedisSet<JSONValue>`. Other sets named by
/// `OTHER` live on the same server, so set algebra runs server-side.
enum SetCommands {
    typealias RSet = RedisSet<JSONValue>

    private static func set(_ invocation: Invocation) -> RSet {
        RSet(invocation.connection, key: invocation.key)
    }

    private static func others(_ invocation: Invocation) -> [RSet] {
        invocation.textList("OTHER").map { RSet(invocation.connection, key: RedisKey($0)) }
    }

    private static func other(_ invocation: Invocation) -> RSet {
        RSet(invocation.connection, key: RedisKey(invocation.text("OTHER")))
    }

    static func add(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let elements = invocation.elementList("ELEM")
        return invocation.print(.int(elements.isEmpty ? 0 : try set(invocation).add(elements)))
    }

    static func remove(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try set(invocation).remove(invocation.element("ELEM"))
        return invocation.print(.null)
    }

    static func discard(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let elements = invocation.elementList("ELEM")
        return invocation.print(.int(elements.isEmpty ? 0 : try set(invocation).discard(elements)))
    }

    static func contains(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        invocation.answer(try set(invocation).contains(invocation.element("ELEM")))
    }

    static func containsMany(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let elements = invocation.elementList("ELEM")
        let found = elements.isEmpty ? [] : try set(invocation).containsMany(elements)
        return invocation.print(.array(found.map(JSONValue.bool)))
    }

    static func len(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        return invocation.print(.int(try set(invocation).count()))
    }

    /// Streams the members with SSCAN, one batch in memory at a time.
    static func members(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let set = set(invocation)
        try invocation.output.writeArray { (array: inout JSONArrayStream) throws(PotteryError) in
            try set.forEachBatch { (batch: [JSONValue]) throws(PotteryError) in
                for member in batch { try array.append(member) }
            }
        }
        return .success
    }

    static func pop(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        return invocation.print(try set(invocation).pop())
    }

    static func clear(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try set(invocation).clear()
        return invocation.print(.null)
    }

    // MARK: - With other sets

    static func union(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try stream(.union, with: others(invocation), invocation)
    }

    static func intersection(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try stream(.intersection, with: others(invocation), invocation)
    }

    static func difference(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try stream(.difference, with: others(invocation), invocation)
    }

    static func symmetricDifference(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try stream(.symmetricDifference, with: [other(invocation)], invocation)
    }

    /// Streams a set operation's result (stored server-side in a temporary
    /// key and walked with SSCAN), one batch in memory at a time.
    private static func stream(_ operation: SetOperation, with others: [RSet],
                               _ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let set = set(invocation)
        try invocation.output.writeArray { (array: inout JSONArrayStream) throws(PotteryError) in
            try set.forEachBatch(of: operation, with: others) { (batch: [JSONValue]) throws(PotteryError) in
                for member in batch { try array.append(member) }
            }
        }
        return .success
    }

    static func isDisjoint(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        invocation.answer(try set(invocation).isDisjoint(with: other(invocation)))
    }

    static func isSubset(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        invocation.answer(try set(invocation).isSubset(of: other(invocation)))
    }

    static func isSuperset(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        invocation.answer(try set(invocation).isSuperset(of: other(invocation)))
    }

    static func update(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try set(invocation).formUnion(others(invocation))
        return invocation.print(.null)
    }

    static func differenceUpdate(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try set(invocation).subtract(others(invocation))
        return invocation.print(.null)
    }

    static func intersectionUpdate(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try set(invocation).formIntersection(others(invocation))
        return invocation.print(.null)
    }

    static func symmetricDifferenceUpdate(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try set(invocation).formSymmetricDifference(other(invocation))
        return invocation.print(.null)
    }
}

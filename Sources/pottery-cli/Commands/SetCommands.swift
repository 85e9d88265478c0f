import PotteryKit

/// `set` verbs: thin calls into `RedisSet<JSONValue>`. Other sets named by
/// `OTHER` live on the same server, so set algebra runs server-side.
enum SetCommands {
    static let structure = StructureSpec(
        "set", summary: "pottery's RedisSet: a Redis set used as a Python set (members are JSON)",
        verbs: [
            VerbSpec("add", [.key, .element("ELEM", .oneOrMore)],
                     summary: "adds the ELEMs in one command (s.add(ELEM) for each)",
                     prints: "the number of ELEMs that were not members yet",
                     handler: add),
            VerbSpec("remove", [.key, .element("ELEM")],
                     summary: "removes ELEM (s.remove(ELEM))",
                     prints: "null; exit 1 with KeyError when ELEM is not a member",
                     handler: remove),
            VerbSpec("discard", [.key, .element("ELEM", .oneOrMore)],
                     summary: "removes the ELEMs that are members, in one command (s.discard(ELEM) for each)",
                     prints: "the number of members removed",
                     handler: discard),
            VerbSpec("contains", [.key, .element("ELEM")],
                     summary: "whether ELEM is a member (ELEM in s)",
                     prints: "true (exit 0) or false (exit 1)",
                     handler: contains),
            VerbSpec("contains-many", [.key, .element("ELEM", .oneOrMore)],
                     summary: "whether each ELEM is a member (s.contains_many(...))",
                     prints: "a JSON array of booleans in the order of the ELEMs; exit 0",
                     handler: containsMany),
            VerbSpec("len", [.key],
                     summary: "the number of members (len(s))",
                     prints: "an integer",
                     handler: len),
            VerbSpec("members", [.key],
                     summary: "the members (iter(s))",
                     prints: "a JSON array, streamed (SSCAN)",
                     handler: members),
            VerbSpec("pop", [.key],
                     summary: "removes a random member and gives it (s.pop())",
                     prints: "the member; exit 1 with KeyError when the set is empty",
                     handler: pop),
            VerbSpec("clear", [.key],
                     summary: "deletes the set (s.clear())",
                     prints: "null; exit 4 with WrongTypeError, deleting nothing, when KEY holds another Redis type",
                     handler: clear),
            VerbSpec("union", [.key, .text("OTHER", .zeroOrMore)],
                     summary: "the members of KEY or of any OTHER set (s.union(*others))",
                     prints: "a JSON array",
                     handler: union),
            VerbSpec("intersection", [.key, .text("OTHER", .zeroOrMore)],
                     summary: "the members of KEY that are in every OTHER set (s.intersection(*others))",
                     prints: "a JSON array",
                     handler: intersection),
            VerbSpec("difference", [.key, .text("OTHER", .zeroOrMore)],
                     summary: "the members of KEY that are in no OTHER set (s.difference(*others))",
                     prints: "a JSON array",
                     handler: difference),
            VerbSpec("symmetric-difference", [.key, .text("OTHER")],
                     summary: "the members of exactly one of KEY and OTHER (s.symmetric_difference(other))",
                     prints: "a JSON array",
                     handler: symmetricDifference),
            VerbSpec("isdisjoint", [.key, .text("OTHER")],
                     summary: "whether KEY and OTHER have no member in common (s.isdisjoint(other))",
                     prints: "true (exit 0) or false (exit 1)",
                     handler: isDisjoint),
            VerbSpec("issubset", [.key, .text("OTHER")],
                     summary: "whether every member of KEY is in OTHER (s.issubset(other))",
                     prints: "true (exit 0) or false (exit 1)",
                     handler: isSubset),
            VerbSpec("issuperset", [.key, .text("OTHER")],
                     summary: "whether every member of OTHER is in KEY (s.issuperset(other))",
                     prints: "true (exit 0) or false (exit 1)",
                     handler: isSuperset),
            VerbSpec("update", [.key, .text("OTHER", .zeroOrMore)],
                     summary: "adds the members of every OTHER set to KEY (s.update(*others))",
                     prints: "null (Python's None)",
                     handler: update),
            VerbSpec("difference-update", [.key, .text("OTHER", .zeroOrMore)],
                     summary: "removes from KEY the members of any OTHER set (s.difference_update(*others))",
                     prints: "null (Python's None)",
                     handler: differenceUpdate),
            VerbSpec("intersection-update", [.key, .text("OTHER", .zeroOrMore)],
                     summary: "keeps in KEY only the members found in every OTHER set (s.intersection_update(*others))",
                     prints: "null (Python's None)",
                     handler: intersectionUpdate),
            VerbSpec("symmetric-difference-update", [.key, .text("OTHER")],
                     summary: "makes KEY the members of exactly one of KEY and OTHER (s.symmetric_difference_update(other))",
                     prints: "null (Python's None)",
                     handler: symmetricDifferenceUpdate),
        ])

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

    /// Streams the members with SSCAN, a few pages in memory at a time (``StoredListing``).
    static func members(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let listing = StoredListing(key: invocation.key, connection: invocation.connection)
        try StoredListing.print(PagedReads.scan("SSCAN", key: invocation.key, on: invocation.connection),
                                to: invocation.output) { (page, array) throws(PotteryError) in
            for member in page { try listing.append(member, to: &array) }
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

import PotteryKit

/// `hll` verbs: thin calls into `HyperLogLog<JSONValue>`.
enum HLLCommands {
    static let structure = StructureSpec(
        "hll", summary: "pottery's HyperLogLog: a Redis HLL counting distinct elements (elements are JSON; they cannot be listed)",
        verbs: [
            VerbSpec("add", [.key, .streamedElements("ELEM")],
                     summary: "adds the ELEMs (hll.update([ELEM...])); from stdin (-) in batches, all or nothing",
                     prints: "null (Python's None)", handler: add),
            VerbSpec("count", [.key],
                     summary: "the estimated number of distinct elements, PFCOUNT (len(hll))",
                     prints: "an integer", handler: count),
            VerbSpec("contains", [.key, .element("ELEM")],
                     summary: "whether ELEM may have been added: would adding it change the HLL? (ELEM in hll)",
                     prints: "true (exit 0) or false (exit 1)", handler: contains),
            VerbSpec("contains-many", [.key, .streamedElements("ELEM")],
                     summary: "whether each ELEM may have been added, in one atomic script per batch (hll.contains_many(...))",
                     prints: "a JSON array of booleans in the order of the ELEMs, streamed; exit 0", handler: containsMany),
            VerbSpec("merge", [.key, .text("SRC", .oneOrMore)],
                     summary: "merges the HLLs at the SRC keys into KEY, PFMERGE (hll.update(src_hll, ...))",
                     prints: "null (Python's None)", handler: merge),
            VerbSpec("clear", [.key],
                     summary: "deletes the HLL (hll.clear())",
                     prints: "null; exit 4 with WrongTypeError, deleting nothing, when KEY holds a Redis type other than string",
                     handler: clear),
        ])

    typealias HLL = HyperLogLog<JSONValue>

    private static func hll(_ invocation: Invocation) -> HLL {
        HLL(invocation.connection, key: invocation.key)
    }

    static func add(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try hll(invocation).update(batches: invocation.elementBatches("ELEM", size: BloomCommands.batchSize))
        return invocation.print(.null)
    }

    static func count(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        invocation.print(.int(try hll(invocation).count()))
    }

    static func contains(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        invocation.answer(try hll(invocation).contains(invocation.element("ELEM")))
    }

    static func containsMany(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let hll = hll(invocation)
        let next = invocation.elementBatches("ELEM", size: BloomCommands.batchSize)
        try invocation.output.writeArray { (array: inout JSONArrayStream) throws(PotteryError) in
            while let batch = try next() {
                for found in try hll.containsMany(batch) { try array.append(.bool(found)) }
            }
        }
        return .success
    }

    static func merge(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try hll(invocation).merge(invocation.textList("SRC").map { HLL(invocation.connection, key: RedisKey($0)) })
        return invocation.print(.null)
    }

    static func clear(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try hll(invocation).clear()
        return invocation.print(.null)
    }
}

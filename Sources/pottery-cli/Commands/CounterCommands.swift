import PotteryKit

/// `counter` verbs: thin calls into `RedisCounter<JSONValue>`.
enum CounterCommands {
    static let structure = StructureSpec(
        "counter", summary: "pottery's RedisCounter: a Redis hash used as a Python collections.Counter (elements are JSON, counts JSON integers)",
        verbs: [
            VerbSpec("get", [.key, .element("ELEM")],
                     summary: "the count of ELEM (c[ELEM]); writes nothing",
                     prints: "an integer; 0 when ELEM is missing",
                     handler: get),
            VerbSpec("update", [.key, .element("ELEM", .oneOrMore)],
                     summary: "adds 1 to the count of ELEM per occurrence, atomically (c.update([ELEM...]))",
                     prints: "null (Python's None)",
                     handler: update),
            VerbSpec("subtract", [.key, .element("ELEM", .oneOrMore)],
                     summary: "subtracts 1 from the count of ELEM per occurrence, atomically; counts may reach zero or below and are kept (c.subtract([ELEM...]))",
                     prints: "null (Python's None)",
                     handler: subtract),
            VerbSpec("set", [.key, .element("ELEM"), .text("N")],
                     summary: "stores the whole number N as the count of ELEM (c[ELEM] = N)",
                     prints: "null (Python's None)",
                     handler: set),
            VerbSpec("del", [.key, .element("ELEM")],
                     summary: "removes ELEM; a missing ELEM is no error, as in Python's Counter (del c[ELEM])",
                     prints: "null (Python's None)",
                     handler: del),
            VerbSpec("most-common", [.key, .text("N", .optional)],
                     summary: "the N most common elements (all without N), highest count first; ties keep the order in which Redis returns the fields (c.most_common(N))",
                     prints: "a JSON array of [elem, count] pairs",
                     handler: mostCommon),
            VerbSpec("elements", [.key],
                     summary: "each element repeated as many times as its count; counts below 1 are left out (list(c.elements()))",
                     prints: "a JSON array, streamed",
                     handler: elements),
            VerbSpec("total", [.key],
                     summary: "the sum of the counts, negative ones included (c.total())",
                     prints: "an integer",
                     handler: total),
            VerbSpec("items", [.key],
                     summary: "the elements and their counts (c.items())",
                     prints: "a JSON array of [elem, count] pairs, streamed (HSCAN); elements need not be strings",
                     handler: items),
            VerbSpec("len", [.key],
                     summary: "the number of distinct elements, whatever their counts (len(c))",
                     prints: "an integer",
                     handler: len),
            VerbSpec("clear", [.key],
                     summary: "deletes the counter (c.clear())",
                     prints: "null; exit 4 with WrongTypeError, deleting nothing, when KEY holds another Redis type",
                     handler: clear),
        ])

    typealias Counter = RedisCounter<JSONValue>

    private static func counter(_ invocation: Invocation) -> Counter {
        Counter(invocation.connection, key: invocation.key)
    }

    /// A whole-number argument; anything else is a usage error (exit 2).
    private static func integer(_ text: String, _ name: String) throws(PotteryError) -> Int {
        guard let value = Int(text) else {
            throw PotteryError(.valueError, "\(name) needs a whole number (64-bit), got \(text)")
        }
        return value
    }

    static func get(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        invocation.print(.int(try counter(invocation).count(of: invocation.element("ELEM"))))
    }

    static func update(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try counter(invocation).update(invocation.elementList("ELEM"))
        return invocation.print(.null)
    }

    static func subtract(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try counter(invocation).subtract(invocation.elementList("ELEM"))
        return invocation.print(.null)
    }

    static func set(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let count = try integer(invocation.text("N"), "N")
        try counter(invocation).set(count, for: invocation.element("ELEM"))
        return invocation.print(.null)
    }

    static func del(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try counter(invocation).delete(invocation.element("ELEM"))
        return invocation.print(.null)
    }

    static func mostCommon(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let n = try invocation.optionalText("N").map { (text) throws(PotteryError) in try integer(text, "N") }
        let pairs = try counter(invocation).mostCommon(n)
        return invocation.print(.array(pairs.map { .array([$0.element, .int($0.count)]) }))
    }

    static func elements(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        // Read (and check) everything first, as Python's Counter does, then stream the repetitions.
        let items = try counter(invocation).items()
        try invocation.output.writeArray { (array: inout JSONArrayStream) throws(PotteryError) in
            for (element, count) in items where count > 0 {
                for _ in 0..<count { try array.append(element) }
            }
        }
        return .success
    }

    static func total(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        invocation.print(.int(try counter(invocation).total()))
    }

    static func items(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let counter = counter(invocation)
        try invocation.output.writeArray { (array: inout JSONArrayStream) throws(PotteryError) in
            try counter.forEachBatch { (batch: [(element: JSONValue, count: Int)]) throws(PotteryError) in
                for item in batch { try array.append(.array([item.element, .int(item.count)])) }
            }
        }
        return .success
    }

    static func len(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        invocation.print(.int(try counter(invocation).count()))
    }

    static func clear(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try counter(invocation).clear()
        return invocation.print(.null)
    }
}

import PotteryKit

/// `list` verbs: thin calls into `RedisList<JSONValue>`. `deque` shares them
/// (see ``DequeCommands``), with `--maxlen` on the verbs that add.
enum ListCommands {
    static let structure = StructureSpec(
        "list", summary: "pottery's RedisList: a Redis list used as a Python list (items are JSON)",
        verbs: verbs(bounded: false))

    static let maxlenOption = OptionSpec(
        name: "maxlen", value: .text("N"),
        summary: "keep at most N items (N >= 0): items fall off the other end, as in collections.deque; "
            + "a deque already longer than N is refused (IndexError, exit 1), as pottery refuses it")

    private static let rangeOptions = [
        OptionSpec(name: "start", value: .text("N"),
                   summary: "search from index N (a Python index: negative counts from the end; default 0)"),
        OptionSpec(name: "stop", value: .text("N"),
                   summary: "search up to, not including, index N (a Python index; default the end)"),
    ]

    private static let reverseOption = OptionSpec(
        name: "reverse", value: .none, summary: "sort in descending order")

    static let indexDetails = [
        "INDEX     a Python index: 0 is the first item, -1 the last",
        "SLICE     Python slice notation START:STOP[:STEP], each part optional (1:-1:2, ::-1, 3:);",
        "          a STEP of 0, or a part that is not a whole number, is a usage error",
    ]

    /// The verbs of a list; with `bounded`, the adding verbs take `--maxlen` (for `deque`).
    static func verbs(bounded: Bool) -> [VerbSpec] {
        let adding = bounded ? [maxlenOption] : []
        let name = bounded ? "d" : "l"
        return [
            VerbSpec("get", [.key, .text("INDEX")],
                     summary: "the item at INDEX (\(name)[INDEX]), or the items of the slice START:STOP[:STEP] (\(name)[START:STOP:STEP])",
                     prints: "the item, or a JSON array for a slice; exit 1 with IndexError when INDEX is out of range",
                     details: indexDetails, handler: get),
            VerbSpec("set", [.key, .text("INDEX"), .element("VALUE")],
                     summary: "replaces the item at INDEX (\(name)[INDEX] = VALUE)",
                     prints: "null; exit 1 with IndexError when INDEX is out of range",
                     details: Array(indexDetails.prefix(1)), handler: set),
            VerbSpec("del", [.key, .text("INDEX")],
                     summary: "deletes the item at INDEX, or the items of a slice, atomically (del \(name)[INDEX])",
                     prints: "null; exit 1 with IndexError when INDEX is out of range (an empty slice deletes nothing)",
                     details: indexDetails, handler: del),
            VerbSpec("append", [.key, .element("ELEM")], options: adding,
                     summary: "adds ELEM at the end (\(name).append(ELEM))",
                     prints: "null (Python's None)", handler: append),
            VerbSpec("extend", [.key, .element("ELEM", .oneOrMore)], options: adding,
                     summary: "adds the ELEMs at the end, in order, in one command (\(name).extend([ELEM...]))",
                     prints: "null (Python's None)", handler: extend),
            VerbSpec("insert", [.key, .text("INDEX"), .element("ELEM")], options: adding,
                     summary: "inserts ELEM before INDEX, clamped to the ends as Python does (\(name).insert(INDEX, ELEM))",
                     prints: bounded ? "null; exit 1 with IndexError when the deque already holds --maxlen items" : "null (Python's None)",
                     details: Array(indexDetails.prefix(1)), handler: insert),
            VerbSpec("pop", [.key, .text("INDEX", .optional)],
                     summary: "removes and gives the item at INDEX, the last without INDEX (\(name).pop([INDEX]))",
                     prints: "the item; exit 1 with IndexError when empty or INDEX is out of range",
                     details: Array(indexDetails.prefix(1)), handler: pop),
            VerbSpec("remove", [.key, .element("ELEM")],
                     summary: "removes the first item equal to ELEM by Python's == (1, 1.0 and true are equal) (\(name).remove(ELEM))",
                     prints: "null; exit 1 with ValueError when no item is equal", handler: remove),
            VerbSpec("index", [.key, .element("ELEM")], options: rangeOptions,
                     summary: "the index of the first item equal to ELEM by Python's == (\(name).index(ELEM[, START[, STOP]]))",
                     prints: "an integer; exit 1 with ValueError when no item in the range is equal", handler: index),
            VerbSpec("count", [.key, .element("ELEM")],
                     summary: "how many items equal ELEM by Python's == (\(name).count(ELEM))",
                     prints: "an integer", handler: count),
            VerbSpec("len", [.key],
                     summary: "the number of items (len(\(name)))",
                     prints: "an integer", handler: len),
            VerbSpec("items", [.key],
                     summary: "the items in order (list(\(name)))",
                     prints: "a JSON array, streamed (LRANGE in batches)", handler: items),
            VerbSpec("reverse", [.key],
                     summary: "reverses the items in place, atomically (\(name).reverse())",
                     prints: "null (Python's None)", handler: reverse),
            VerbSpec("sort", [.key], options: [reverseOption],
                     summary: "sorts the items in place with Python's ordering, stable and atomic (\(name).sort(reverse=...))",
                     prints: "null; exit 4 with TypeError, changing nothing, when two items cannot be ordered in Python (a string and a number, null, objects)",
                     handler: sort),
            VerbSpec("clear", [.key],
                     summary: "deletes the \(bounded ? "deque" : "list") (\(name).clear())",
                     prints: "null; exit 4 with WrongTypeError, deleting nothing, when KEY holds another Redis type",
                     handler: clear),
        ]
    }

    /// The list of the invocation: a bounded `RedisDeque` for `deque` verbs.
    static func list(_ invocation: Invocation) throws(PotteryError) -> RedisList<JSONValue> {
        guard invocation.verb.structure == "deque" else { return RedisList(invocation.connection, key: invocation.key) }
        return try DequeCommands.deque(invocation)
    }

    /// A whole-number argument; anything else is a usage error (exit 2).
    static func integer(_ text: String, _ name: String, _ invocation: Invocation) throws(PotteryError) -> Int {
        guard let value = Int(text) else {
            throw PotteryError(.valueError, "\(name) needs a whole number (64-bit), got \(text)")
        }
        return value
    }

    /// A list position (`INDEX`, `--start`, `--stop`): a whole number; one beyond
    /// 64 bits is clamped, as Python clamps it (out of range for any list:
    /// `IndexError`, exit 1; `insert` goes to that end). Anything else is a usage error (exit 2).
    static func index(_ text: String, _ name: String) throws(PotteryError) -> Int {
        guard let value = ListSlice.clampedInteger(text) else {
            throw PotteryError(.valueError, "\(name) needs a whole number, got \(text)")
        }
        return value
    }

    /// `INDEX`, or a slice when it holds a colon.
    private static func position(_ invocation: Invocation) throws(PotteryError) -> Either {
        let text = invocation.text("INDEX")
        guard text.contains(":") else { return .index(try index(text, "INDEX")) }
        return .slice(try ListSlice(parsing: text))
    }

    private enum Either {
        case index(Int)
        case slice(ListSlice)
    }

    static func get(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        switch try position(invocation) {
        case .index(let index): return invocation.print(try list(invocation).element(at: index))
        case .slice(let slice): return invocation.print(.array(try list(invocation).elements(in: slice)))
        }
    }

    static func set(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let index = try index(invocation.text("INDEX"), "INDEX")
        try list(invocation).set(invocation.element("VALUE"), at: index)
        return invocation.print(.null)
    }

    static func del(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        switch try position(invocation) {
        case .index(let index): try list(invocation).remove(at: index)
        case .slice(let slice): try list(invocation).removeElements(in: slice)
        }
        return invocation.print(.null)
    }

    static func append(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try list(invocation).append(invocation.element("ELEM"))
        return invocation.print(.null)
    }

    static func extend(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let elements = invocation.elementList("ELEM")
        let list = try list(invocation)
        if elements.isEmpty { _ = try list.count() } else { try list.extend(elements) }  // stdin may hold none: still check the type
        return invocation.print(.null)
    }

    static func insert(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let index = try index(invocation.text("INDEX"), "INDEX")
        try list(invocation).insert(invocation.element("ELEM"), at: index)
        return invocation.print(.null)
    }

    static func pop(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let index = try invocation.optionalText("INDEX").map { (text) throws(PotteryError) in try Self.index(text, "INDEX") }
        return invocation.print(try list(invocation).pop(at: index))
    }

    static func remove(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try list(invocation).remove(invocation.element("ELEM"))
        return invocation.print(.null)
    }

    static func index(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let start = try invocation.textOptions["start"].map { (text) throws(PotteryError) in try Self.index(text, "--start") } ?? 0
        let stop = try invocation.textOptions["stop"].map { (text) throws(PotteryError) in try Self.index(text, "--stop") }
        return invocation.print(.int(try list(invocation).index(of: invocation.element("ELEM"), start: start, stop: stop)))
    }

    static func count(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        invocation.print(.int(try list(invocation).count(of: invocation.element("ELEM"))))
    }

    static func len(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        invocation.print(.int(try list(invocation).count()))
    }

    /// Streams the items with LRANGE by ranges, a few pages in memory at a time (``StoredListing``).
    static func items(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let key = try list(invocation).key
        let listing = StoredListing(key: key, connection: invocation.connection)
        try StoredListing.print(PagedReads.ranges(of: key, on: invocation.connection),
                                to: invocation.output) { (page, array) throws(PotteryError) in
            for item in page { try listing.append(item, to: &array) }
        }
        return .success
    }

    static func reverse(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try list(invocation).reverse()
        return invocation.print(.null)
    }

    static func sort(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try list(invocation).sort(reverse: invocation.flag("reverse"))
        return invocation.print(.null)
    }

    static func clear(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try list(invocation).clear()
        return invocation.print(.null)
    }
}

import PotteryKit

/// `bloom` verbs: thin calls into `BloomFilter<JSONValue>`, always guarding the
/// sizing in `KEY:bloom-sizing` (see `details`).
enum BloomCommands {
    static let sizingOptions = [
        OptionSpec(name: "num-elements", value: .text("N"),
                   summary: "the number of elements the filter is sized for (pottery's num_elements), a whole number >= 1"),
        OptionSpec(name: "false-positives", value: .text("P"),
                   summary: "the acceptable false-positive rate (pottery's false_positives), strictly between 0 and 1"),
    ]

    /// The sizing options of every verb but `clear`, which needs none.
    static let requiredSizing = sizingOptions.map { $0.required() }

    static let details = [
        "Every verb but clear needs --num-elements N --false-positives P: pottery stores neither,",
        "and they fix the bit positions (m bits, k hashes), so every reader must use the same ones.",
        "pottery-cli remembers them in the companion key KEY:bloom-sizing (pottery JSON) on first",
        "use (any verb on an existing filter, add on a new one) and refuses other sizing with",
        "exit 2 (ValueError), changing nothing; sizing giving the same m and k is accepted.",
        "Filters made by Python pottery (no companion key) are read and written as usual; one",
        "longer than the given sizing's m bits fill (ceil(m/8) bytes) was made with other sizing",
        "and is refused too, and a record that a filter has outgrown (pottery remade it) gives way.",
        "clear deletes KEY and KEY:bloom-sizing. ELEM - reads elements from stdin, one per line,",
        "in batches with bounded memory; add applies them all or not at all.",
    ]

    /// The short form, for the verbs after `add`.
    static let sizingNote = [
        "Needs the filter's --num-elements and --false-positives; sizing other than the one",
        "recorded in KEY:bloom-sizing is refused with exit 2 (see pottery-cli help bloom add).",
    ]

    static let structure = StructureSpec(
        "bloom", summary: "pottery's BloomFilter: a Redis string used as a bitmap (elements are JSON; they cannot be listed)",
        verbs: [
            VerbSpec("add", [.key, .streamedElements("ELEM")], options: requiredSizing,
                     summary: "sets the bits of every ELEM, atomically (bf.update([ELEM...]))",
                     prints: "null (Python's None)", details: details, handler: add),
            VerbSpec("contains", [.key, .element("ELEM")], options: requiredSizing,
                     summary: "whether ELEM may have been added: false positives possible, false negatives not (ELEM in bf)",
                     prints: "true (exit 0) or false (exit 1)", details: sizingNote, handler: contains),
            VerbSpec("contains-many", [.key, .streamedElements("ELEM")], options: requiredSizing,
                     summary: "whether each ELEM may have been added (bf.contains_many(...))",
                     prints: "a JSON array of booleans in the order of the ELEMs, streamed; exit 0", details: sizingNote,
                     handler: containsMany),
            VerbSpec("len", [.key], options: requiredSizing,
                     summary: "pottery's estimate of the number of elements added, from the bits set (len(bf))",
                     prints: "an integer; exit 2 with ValueError when every bit is set", details: sizingNote, handler: len),
            VerbSpec("info", [.key], options: requiredSizing,
                     summary: "the filter's size in bits (bf.size()), number of hashes (bf.num_hashes()) and bits set",
                     prints: "a JSON object {\"bits_set\", \"false_positives\", \"num_elements\", \"num_hashes\", \"size\"}",
                     details: sizingNote, handler: info),
            VerbSpec("clear", [.key], options: sizingOptions,
                     summary: "deletes the filter and its sizing record (bf.clear()); needs no sizing",
                     prints: "null; exit 4 with WrongTypeError, deleting nothing, when KEY holds another Redis type",
                     handler: clear),
        ])

    typealias Filter = BloomFilter<JSONValue>

    /// Elements per round trip when reading stdin.
    static let batchSize = 20_000

    /// The sizing from the options: both are required (exit 2 without them).
    static func sizing(_ invocation: Invocation) throws(PotteryError) -> BloomFilterSizing {
        guard let n = invocation.textOptions["num-elements"], let p = invocation.textOptions["false-positives"] else {
            throw PotteryError(.valueError, "bloom \(invocation.verb.name) needs --num-elements N and --false-positives P: "
                               + "pottery stores neither, and they decide which bits an element has")
        }
        guard let numElements = Int(n), numElements >= 1 else {
            throw PotteryError(.valueError, "--num-elements needs a whole number >= 1, got \(n)")
        }
        guard let falsePositives = OptionValues.decimal(p), falsePositives > 0, falsePositives < 1 else {
            throw PotteryError(.valueError, "--false-positives needs a number strictly between 0 and 1, got \(p)")
        }
        return try BloomFilterSizing(numElements: numElements, falsePositives: falsePositives)
    }

    private static func filter(_ invocation: Invocation) throws(PotteryError) -> Filter {
        Filter(invocation.connection, key: invocation.key, sizing: try sizing(invocation), guardsSizing: true)
    }

    static func add(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let filter = try filter(invocation)
        try filter.update(batches: invocation.elementBatches("ELEM", size: batchSize))
        return invocation.print(.null)
    }

    static func contains(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        invocation.answer(try filter(invocation).contains(invocation.element("ELEM")))
    }

    static func containsMany(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let filter = try filter(invocation)
        let next = invocation.elementBatches("ELEM", size: batchSize)
        try invocation.output.writeArray { (array: inout JSONArrayStream) throws(PotteryError) in
            while let batch = try next() {
                for found in try filter.containsMany(batch) { try array.append(.bool(found)) }
            }
        }
        return .success
    }

    static func len(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        invocation.print(.int(try filter(invocation).count()))
    }

    static func info(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let filter = try filter(invocation)
        let bitsSet = try filter.bitsSet()
        return invocation.print(.object([
            "bits_set": .int(bitsSet), "false_positives": .double(filter.sizing.falsePositives),
            "num_elements": .int(filter.sizing.numElements), "num_hashes": .int(filter.numHashes), "size": .int(filter.size),
        ]))
    }

    static func clear(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        // Any sizing will do: clear deletes the filter and its record whatever they say.
        let sizing = try BloomFilterSizing(numElements: 1, falsePositives: 0.5)
        try Filter(invocation.connection, key: invocation.key, sizing: sizing, guardsSizing: true).clear()
        return invocation.print(.null)
    }
}

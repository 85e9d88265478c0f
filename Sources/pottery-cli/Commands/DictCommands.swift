import PotteryKit

/// `dict` verbs: thin calls into `RedisDict<JSONValue, JSONValue>`.
enum DictCommands {
    private static let defaultOption = OptionSpec(
        name: "default", value: .element("V"),
        summary: "print V (exit 0) when FIELD is missing; an element argument")

    static let structure = StructureSpec(
        "dict", summary: "pottery's RedisDict: a Redis hash used as a Python dict (fields and values are JSON)",
        verbs: [
            VerbSpec("get", [.key, .element("FIELD")], options: [defaultOption],
                     summary: "the value at FIELD (Python d[FIELD], or d.get(FIELD, V) with --default)",
                     prints: "the value; exit 1 with KeyError when FIELD is missing and no --default is given",
                     handler: get),
            VerbSpec("set", [.key, .element("FIELD"), .element("VALUE")],
                     summary: "stores VALUE at FIELD (d[FIELD] = VALUE)",
                     prints: "null (Python's None)",
                     handler: set),
            VerbSpec("del", [.key, .element("FIELD", .oneOrMore)],
                     summary: "deletes the FIELDs, those present in one command (del d[FIELD])",
                     prints: "null; exit 1 with a KeyError naming the FIELDs that were missing (the others are deleted)",
                     handler: del),
            VerbSpec("contains", [.key, .element("FIELD")],
                     summary: "whether FIELD is in the dict (FIELD in d)",
                     prints: "true (exit 0) or false (exit 1)",
                     handler: contains),
            VerbSpec("len", [.key],
                     summary: "the number of fields (len(d))",
                     prints: "an integer",
                     handler: len),
            VerbSpec("keys", [.key],
                     summary: "the fields (d.keys())",
                     prints: "a JSON array, streamed (HSCAN)",
                     handler: keys),
            VerbSpec("values", [.key],
                     summary: "the values (d.values())",
                     prints: "a JSON array, streamed (HSCAN)",
                     handler: values),
            VerbSpec("items", [.key],
                     summary: "the fields and their values (d.items())",
                     prints: "a JSON array of [field, value] pairs, streamed (HSCAN); fields need not be strings",
                     handler: items),
            VerbSpec("update", [.key, .element("FIELD VALUE", .pairs)],
                     summary: "stores every FIELD VALUE pair in one command (d.update(...))",
                     prints: "null (Python's None)",
                     handler: update),
            VerbSpec("pop", [.key, .element("FIELD")], options: [defaultOption],
                     summary: "removes FIELD and gives its value (d.pop(FIELD[, V]))",
                     prints: "the value, or V when FIELD is missing; exit 1 with KeyError when it is missing and no --default is given",
                     handler: pop),
            VerbSpec("popitem", [.key],
                     summary: "removes some field and gives it with its value (d.popitem())",
                     prints: "[field, value]; exit 1 with KeyError when the dict is empty",
                     handler: popitem),
            VerbSpec("setdefault", [.key, .element("FIELD"), .element("VALUE", .optional)],
                     summary: "the value at FIELD, first storing VALUE (default null) there when FIELD is missing (d.setdefault(FIELD, VALUE))",
                     prints: "the value at FIELD after the call",
                     handler: setdefault),
            VerbSpec("clear", [.key],
                     summary: "deletes the dict (d.clear())",
                     prints: "null; exit 4 with WrongTypeError, deleting nothing, when KEY holds another Redis type",
                     handler: clear),
        ])

    typealias Dict = RedisDict<JSONValue, JSONValue>

    private static func dict(_ invocation: Invocation) -> Dict {
        Dict(invocation.connection, key: invocation.key)
    }

    /// `KeyError`, naming the fields as JSON, as Python's `KeyError(k)` names its key.
    private static func keyError(_ fields: [JSONValue], _ invocation: Invocation) -> PotteryError {
        let names = fields.map { String(decoding: PotteryJSON.encode($0), as: UTF8.self) }
        let what = names.count == 1 ? "field \(names[0]) is" : "fields \(names.joined(separator: ", ")) are"
        return PotteryError(.keyError, "\(what) not in the dict", key: invocation.key.description)
    }

    static func get(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let field = invocation.element("FIELD")
        guard let value = try dict(invocation).get(field) ?? invocation.elementOption("default") else {
            throw keyError([field], invocation)
        }
        return invocation.print(value)
    }

    static func set(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try dict(invocation).set(invocation.element("VALUE"), for: invocation.element("FIELD"))
        return invocation.print(.null)
    }

    static func del(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let fields = invocation.elementList("FIELD")
        let missing = fields.isEmpty ? [] : try dict(invocation).removeValues(forKeys: fields)
        guard missing.isEmpty else { throw keyError(missing, invocation) }
        return invocation.print(.null)
    }

    static func contains(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        invocation.answer(try dict(invocation).contains(invocation.element("FIELD")))
    }

    static func len(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        return invocation.print(.int(try dict(invocation).count()))
    }

    static func keys(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        // Only the fields are decoded, as pottery's keys(): a bad value does not stop it.
        let dict = dict(invocation)
        try invocation.output.writeArray { (array: inout JSONArrayStream) throws(PotteryError) in
            try dict.forEachKeyBatch { (batch: [JSONValue]) throws(PotteryError) in
                for key in batch { try array.append(key) }
            }
        }
        return .success
    }

    static func values(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try stream(invocation) { item in item.value }
    }

    /// Streams the items with HSCAN, a few pages in memory at a time (``StoredListing``).
    static func items(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let listing = StoredListing(key: invocation.key, connection: invocation.connection)
        try StoredListing.print(PagedReads.scan("HSCAN", key: invocation.key, on: invocation.connection),
                                to: invocation.output) { (page, array) throws(PotteryError) in
            for index in stride(from: 0, to: page.count - 1, by: 2) {
                try listing.appendPair(page[index], page[index + 1], to: &array)
            }
        }
        return .success
    }

    /// Streams the hash with HSCAN, one batch in memory at a time.
    private static func stream(_ invocation: Invocation,
                               _ transform: ((key: JSONValue, value: JSONValue)) -> JSONValue) throws(PotteryError) -> ExitStatus {
        let dict = dict(invocation)
        try invocation.output.writeArray { (array: inout JSONArrayStream) throws(PotteryError) in
            try dict.forEachBatch { (batch: [(key: JSONValue, value: JSONValue)]) throws(PotteryError) in
                for item in batch { try array.append(transform(item)) }
            }
        }
        return .success
    }

    static func update(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let words = invocation.elementList("FIELD VALUE")
        let pairs = stride(from: 0, to: words.count - 1, by: 2).map { (key: words[$0], value: words[$0 + 1]) }
        if !pairs.isEmpty { try dict(invocation).update(pairs) }
        return invocation.print(.null)
    }

    static func pop(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let field = invocation.element("FIELD")
        guard let value = try dict(invocation).removeValue(forKey: field) ?? invocation.elementOption("default") else {
            throw keyError([field], invocation)
        }
        return invocation.print(value)
    }

    static func popitem(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let item = try dict(invocation).popItem()
        return invocation.print(.array([item.key, item.value]))
    }

    static func setdefault(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let value = try dict(invocation).setDefault(invocation.optionalElement("VALUE") ?? .null,
                                                    for: invocation.element("FIELD"))
        return invocation.print(value)
    }

    static func clear(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try dict(invocation).clear()
        return invocation.print(.null)
    }
}

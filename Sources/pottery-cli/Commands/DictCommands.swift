import PotteryKit

/// `dict` verbs: thin calls into `RedisDict<JSONValue, JSONValue>`.
enum DictCommands {
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

    static func items(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try stream(invocation) { item in .array([item.key, item.value]) }
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

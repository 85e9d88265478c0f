import PotteryKit

/// A command line that passed every check: the verb, its arguments as
/// values, and the (not yet connected) connection and output.
///
/// Handlers read arguments by the names the verb table gives them. Asking for
/// a name the verb does not declare is a programming error (the tests run
/// every verb).
struct Invocation {
    let verb: VerbSpec
    /// Verbatim positional arguments (`KEY`, `OTHER`, `PATTERN`), by name.
    let texts: [String: [String]]
    /// Element positional arguments (`FIELD`, `VALUE`, `ELEM`), by name; `pairs` arguments flattened.
    let elements: [String: [JSONValue]]
    /// For arguments that stream stdin (``ArgumentSpec/streamsStdin``): where
    /// among their elements the `-` stood, by name. Read with ``elementBatches(_:size:)``.
    var stdinPositions: [String: Int] = [:]
    /// Element-valued options given on the command line, by name.
    let elementOptions: [String: JSONValue]
    /// Text-valued options given on the command line, by name.
    let textOptions: [String: String]
    let global: GlobalOptions
    /// Opens its socket on first use.
    let connection: RedisConnection
    /// The Redlock / NextID masters: `--master`s, else `$POTTERY_MASTERS`, else the `--url` server.
    let masters: [RedisConnection]
    let output: OutputWriter

    /// The `KEY` argument as a Redis key.
    var key: RedisKey { RedisKey(text("KEY")) }

    func text(_ name: String) -> String {
        guard let value = texts[name]?.first else { preconditionFailure("no argument \(name) for \(verb.name)") }
        return value
    }

    func optionalText(_ name: String) -> String? {
        texts[name]?.first
    }

    func textList(_ name: String) -> [String] {
        texts[name] ?? []
    }

    func element(_ name: String) -> JSONValue {
        guard let value = elements[name]?.first else { preconditionFailure("no argument \(name) for \(verb.name)") }
        return value
    }

    func optionalElement(_ name: String) -> JSONValue? {
        elements[name]?.first
    }

    func elementList(_ name: String) -> [JSONValue] {
        elements[name] ?? []
    }

    /// The elements of a streaming argument in order, in batches of at most
    /// `size`, stdin's lines read as they are needed (bounded memory). The
    /// function returns `nil` after the last batch; a line that is not a
    /// valid element throws a usage error (exit 2).
    func elementBatches(_ name: String, size: Int) -> () throws(PotteryError) -> [JSONValue]? {
        let all = elements[name] ?? []
        guard let position = stdinPositions[name] else {
            var start = 0
            return { () throws(PotteryError) -> [JSONValue]? in
                guard start < all.count else { return nil }
                defer { start = min(start + size, all.count) }
                return Array(all[start..<min(start + size, all.count)])
            }
        }
        var before = position > 0 ? Array(all[..<position]) : nil
        var after = position < all.count ? Array(all[position...]) : nil
        let lines = StandardInputLines(fd: 0, mode: global.elementMode, argument: name)
        return { () throws(PotteryError) -> [JSONValue]? in
            if let batch = before { before = nil; return batch }
            if let batch = try lines.next(size) { return batch }
            if let batch = after { after = nil; return batch }
            return nil
        }
    }

    func elementOption(_ name: String) -> JSONValue? {
        elementOptions[name]
    }

    /// Whether a flag option was given.
    func flag(_ name: String) -> Bool {
        textOptions[name] != nil
    }

    /// Prints a verb's result and gives exit status 0.
    func print(_ result: JSONValue) -> ExitStatus {
        output.write(result)
        return .success
    }

    /// Prints a predicate's answer and gives its status: `true` exit 0, `false` exit 1.
    func answer(_ predicate: Bool) -> ExitStatus {
        output.write(predicate)
        return ExitStatus(predicate: predicate)
    }
}

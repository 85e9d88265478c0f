import PotteryKit

/// Turns element arguments (dict fields and values, set elements) into JSON
/// values, as the contract says:
/// - by default a word is JSON when it parses as Python's `json.loads` parses
///   it (`4098`, `NaN`, `1e999`, `[1, 2]`), else a string (`jack`);
/// - `--strings` takes every word as a literal string;
/// - `--json` requires valid JSON (exit 2 otherwise);
/// - JSON nested deeper than ``maxDepth`` (900), or holding a lone surrogate
///   escape (`"\ud800"`, which Swift cannot hold), is a usage error in every mode;
/// - `-` reads elements from stdin, one per line, split at `\n` only (not `\r`,
///   not U+2028); a final newline adds no element. Stdin can be read once per call.
enum ElementArguments {
    /// How element words are read.
    enum Mode: Sendable {
        case auto, strings, json
    }

    /// The deepest nesting written: Python's json, and so pottery, fails with
    /// RecursionError at about 990 levels, so values must stay well below.
    static let maxDepth = 900

    /// One element from its UTF-8 bytes. `origin` names it in errors.
    static func parse(_ bytes: some Collection<UInt8>, mode: Mode, origin: String) throws(UsageError) -> JSONValue {
        if mode == .strings {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw UsageError("\(origin) is not valid UTF-8")
            }
            return .string(text)
        }
        let value: JSONValue
        do {
            value = try PotteryJSON.decodeRejectingLoneSurrogates(bytes)
        } catch {
            if error.kind == .tooDeep || error.message.hasPrefix("Lone surrogate") {
                throw UsageError("\(origin): JSON \(error.message)")
            }
            guard mode == .auto else {
                throw UsageError("\(origin) is not valid JSON (--json): \(error.message)")
            }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw UsageError("\(origin) is not valid UTF-8")
            }
            return .string(text)
        }
        if value.nestingDepth > maxDepth {
            throw UsageError("\(origin): JSON nested \(value.nestingDepth) levels deep; pottery-cli writes at most \(maxDepth), "
                             + "as Python's json (pottery) cannot read values nested about 990 levels deep")
        }
        return value
    }

    /// Splits stdin's bytes into lines at `\n`; a final newline adds no element.
    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if bytes.isEmpty || bytes.last == UInt8(ascii: "\n") { lines.removeLast() }
        return lines
    }
}

/// Reads stdin at most once for the `-` arguments of one command line.
struct StandardInputElements {
    private var consumed = false

    /// Reserves stdin for `argument`, to be read later (``StandardInputLines``).
    mutating func claim(for argument: String) throws(UsageError) {
        guard !consumed else {
            throw UsageError("- (stdin) may appear only once per command, again for \(argument)")
        }
        consumed = true
    }

    /// The elements on stdin, parsed per `mode`.
    mutating func read(mode: ElementArguments.Mode, for argument: String) throws(UsageError) -> [JSONValue] {
        try claim(for: argument)
        guard let bytes = SystemIO.readAll(from: 0) else {
            throw UsageError("cannot read stdin for \(argument): \(SystemIO.lastErrorText())")
        }
        var elements: [JSONValue] = []
        for (number, line) in ElementArguments.lines(bytes).enumerated() {
            elements.append(try ElementArguments.parse(line, mode: mode, origin: "stdin line \(number + 1) for \(argument)"))
        }
        return elements
    }
}

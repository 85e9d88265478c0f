/// Splits argv into options (with their values) and positional words, before
/// any command is matched.
///
/// The lexer knows every option name (global options and every verb's), so it
/// can tell an option from a value:
/// - `--name V` and `--name=V` give an option with a value; `--name` a flag.
///   A value is taken verbatim, even when it starts with `-` (`--default -1`).
/// - `-h` is the one short option.
/// - `-` (stdin) and words that start with `-` followed by a digit or `.`, or
///   that are `-Infinity`, are positional values: `-5`, `-1.5e3`, `-Infinity`.
///   (swift-argument-parser issue #31 reads `-5` as an option; we do not.)
/// - Any other word starting with `-` is an unknown option: a usage error
///   suggesting `--` before values that start with a dash.
/// - After `--` every word is positional.
struct ArgumentLexer {
    /// One lexed word.
    struct Token: Sendable {
        enum Kind: Sendable {
            case option(name: String, value: String?)
            case positional(String)
        }

        let kind: Kind
        /// Its index in the argument list (0 = the first word after the program name).
        let position: Int
        /// Whether it came after `--`.
        let afterTerminator: Bool
    }

    /// Every option that may appear on any command line, by long name.
    let options: [String: OptionSpec]
    /// One-letter aliases (`h` -> `help`): a handful, so a list (a `[Character: ...]`
    /// dictionary would cost every call a runtime conformance lookup at start-up).
    let shortNames: [(letter: Character, name: String)]

    init(options specs: [OptionSpec]) {
        var options: [String: OptionSpec] = [:]
        var shortNames: [(letter: Character, name: String)] = []
        for spec in specs {
            options[spec.name] = spec
            if let short = spec.shortName { shortNames.append((short, spec.name)) }
        }
        self.options = options
        self.shortNames = shortNames
    }

    func lex(_ arguments: [String]) throws(UsageError) -> [Token] {
        var tokens: [Token] = []
        var index = 0
        var terminated = false
        while index < arguments.count {
            let word = arguments[index]
            defer { index += 1 }
            if terminated {
                tokens.append(Token(kind: .positional(word), position: index, afterTerminator: true))
                continue
            }
            if word == "--" {
                terminated = true
                continue
            }
            if word.hasPrefix("--") {
                let body = word.dropFirst(2)
                let name: String
                var value: String?
                if let equals = body.firstIndex(of: "=") {
                    name = String(body[..<equals])
                    value = String(body[body.index(after: equals)...])
                } else {
                    name = String(body)
                }
                guard let spec = options[name] else {
                    throw UsageError("unknown option --\(name)\(suggestion(for: "--" + name))\(Self.dashHint)")
                }
                if spec.takesValue {
                    if value == nil {
                        guard index + 1 < arguments.count else {
                            throw UsageError("option \(spec.usage) needs a value")
                        }
                        index += 1
                        value = arguments[index]
                    }
                } else if value != nil {
                    throw UsageError("option --\(name) takes no value")
                }
                tokens.append(Token(kind: .option(name: name, value: value), position: index, afterTerminator: false))
                continue
            }
            if word.hasPrefix("-") && !Self.isValue(word) {
                let letter = word.dropFirst()
                guard letter.count == 1, let name = shortNames.first(where: { $0.letter == letter.first! })?.name else {
                    let typed = String(word.prefix { $0 != "=" })
                    throw UsageError("unknown option \(word)\(suggestion(for: typed))\(Self.dashHint)")
                }
                tokens.append(Token(kind: .option(name: name, value: nil), position: index, afterTerminator: false))
                continue
            }
            tokens.append(Token(kind: .positional(word), position: index, afterTerminator: false))
        }
        return tokens
    }

    /// `; did you mean "--pretty"?` for `--prety` or `-pretty`, or nothing.
    private func suggestion(for typed: String) -> String {
        let name = String(typed.drop { $0 == "-" })
        return Suggestion.hint(for: name, among: options.keys.sorted()) { "--" + $0 }
    }

    private static let dashHint = "; put -- before values that start with a dash"

    /// `-`, a negative number such as `-5` or `-.5`, or `-Infinity`.
    static func isValue(_ word: String) -> Bool {
        let utf8 = word.utf8
        guard utf8.first == UInt8(ascii: "-") else { return true }
        guard utf8.count > 1 else { return true }
        let second = utf8[utf8.index(after: utf8.startIndex)]
        if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(second) || second == UInt8(ascii: ".") { return true }
        return word == "-Infinity"
    }
}

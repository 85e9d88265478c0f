import PotteryKit

/// The shapes the verb table is made of: structures, verbs, their positional
/// arguments and options. ``VerbTable`` holds the one instance of each; dispatch,
/// help, the man page and the completions are derived from it.

/// How a positional argument's text becomes a value.
enum ArgumentKind: Sendable {
    /// Taken verbatim: a Redis key, a SCAN pattern.
    case text
    /// An element argument (see ``ElementArguments``): JSON, else a string;
    /// `-` reads elements from stdin.
    case element
}

/// How many words a positional argument takes. Only the last argument of a
/// verb may be anything but ``one``.
enum Arity: Sendable {
    /// Exactly one word.
    case one
    /// Zero or one word.
    case optional
    /// One word or more.
    case oneOrMore
    /// Any number of words.
    case zeroOrMore
    /// One or more pairs of words (`FIELD VALUE [FIELD VALUE...]`).
    case pairs
    /// Every word after `--`, unchanged: a command to run and its arguments
    /// (`lock run KEY -- COMMAND [ARGS...]`). At least one word.
    case command
}

/// A positional argument of a verb.
struct ArgumentSpec: Sendable {
    /// The name shown in help and used by handlers to fetch the value, e.g. `FIELD`.
    let name: String
    let kind: ArgumentKind
    let arity: Arity
    /// For element arguments: `-` is read from stdin in batches while the verb
    /// runs (bounded memory), instead of whole before it starts.
    var streamsStdin = false

    /// The Redis key every container verb takes first.
    static let key = ArgumentSpec(name: "KEY", kind: .text, arity: .one)

    static func element(_ name: String, _ arity: Arity = .one) -> ArgumentSpec {
        ArgumentSpec(name: name, kind: .element, arity: arity)
    }

    /// `ELEM...` whose `-` streams stdin (see ``streamsStdin``).
    static func streamedElements(_ name: String) -> ArgumentSpec {
        ArgumentSpec(name: name, kind: .element, arity: .oneOrMore, streamsStdin: true)
    }

    static func text(_ name: String, _ arity: Arity = .one) -> ArgumentSpec {
        ArgumentSpec(name: name, kind: .text, arity: arity)
    }

    /// `FIELD`, `[VALUE]`, `ELEM...`, `[OTHER...]`, `FIELD VALUE [FIELD VALUE...]`.
    var usage: String {
        switch arity {
        case .one: return name
        case .optional: return "[\(name)]"
        case .oneOrMore: return "\(name)..."
        case .zeroOrMore: return "[\(name)...]"
        case .pairs:
            let parts = name.split(separator: " ")
            return "\(name) [\(parts.joined(separator: " "))...]"
        case .command:
            return "-- \(name) [ARGS...]"
        }
    }
}

/// An option: a flag, or an option that takes one value (`--name V` or `--name=V`).
struct OptionSpec: Sendable {
    /// How an option's value is read.
    enum Value: Sendable {
        /// No value: a flag.
        case none
        /// Verbatim text, e.g. a URL or a number checked by its user.
        case text(String)
        /// An element argument (JSON, else a string, per `--strings`/`--json`).
        case element(String)
    }

    /// The long name without dashes, e.g. `default`.
    let name: String
    /// A one-letter alias without its dash, e.g. `h`.
    var shortName: Character? = nil
    let value: Value
    /// One line for help.
    let summary: String
    /// Whether the verb cannot run without it: help shows it without brackets.
    var isRequired = false

    /// The same option, marked required for the verbs that need it.
    func required() -> OptionSpec {
        var option = self
        option.isRequired = true
        return option
    }

    var takesValue: Bool {
        if case .none = value { return false }
        return true
    }

    /// `--default V`, `--pretty`.
    var usage: String {
        switch value {
        case .none: return "--\(name)"
        case .text(let placeholder), .element(let placeholder): return "--\(name) \(placeholder)"
        }
    }
}

/// What a handler does with a parsed invocation: it prints its result through
/// the invocation's output and returns the exit status (0, or 1 for a negative
/// answer such as a false predicate). Failures are thrown.
typealias CommandHandler = @Sendable (Invocation) throws(PotteryError) -> ExitStatus

/// A verb of a structure (`dict get`), or an operator command (`inspect`).
struct VerbSpec: Sendable {
    /// The word on the command line, e.g. `contains-many`.
    let name: String
    let arguments: [ArgumentSpec]
    /// Options of this verb only (global options are in ``GlobalOptions/specs``).
    let options: [OptionSpec]
    /// One line: what the verb does (and the pottery method it mirrors).
    let summary: String
    /// One line: what it prints and which exit status it gives.
    let prints: String
    /// Further lines for the verb's own help (formats, caveats).
    let details: [String]
    let handler: CommandHandler
    /// The structure this verb belongs to (`dict`), or `nil` for an operator command.
    fileprivate(set) var structure: String?

    init(_ name: String, _ arguments: [ArgumentSpec], options: [OptionSpec] = [],
         summary: String, prints: String, details: [String] = [], handler: @escaping CommandHandler) {
        self.name = name
        self.arguments = arguments
        self.options = options
        self.summary = summary
        self.prints = prints
        self.details = details
        self.handler = handler
    }

    /// Whether the verb works on the Redlock / NextID masters (`lock ...`, `nextid`).
    var usesMasters: Bool { structure == "lock" || (structure == nil && name == "nextid") }

    /// `dict get`, or `inspect`.
    var path: String {
        structure.map { "\($0) \(name)" } ?? name
    }
}

/// A pottery structure and its verbs.
struct StructureSpec: Sendable {
    /// The word on the command line, e.g. `dict`.
    let name: String
    /// One line, naming the pottery class.
    let summary: String
    let verbs: [VerbSpec]

    init(_ name: String, summary: String, verbs: [VerbSpec]) {
        self.name = name
        self.summary = summary
        self.verbs = verbs.map { verb in
            var stamped = verb
            stamped.structure = name
            return stamped
        }
    }

    func verb(named name: String) -> VerbSpec? {
        verbs.first { $0.name == name }
    }
}

import PotteryKit

/// Turns argv into a request, checking everything (options, arguments,
/// element JSON, URLs, timeouts, the password file) before any socket opens.
enum CommandLineParser {
    /// What the command line asks for.
    enum Request {
        case help(Help.Topic)
        case version
        case run(Invocation)
    }

    /// Every option any command line may hold: the lexer needs them all to
    /// tell option values and negative numbers apart before the verb is known.
    /// Every option the lexer knows: the global ones and every verb's (from the
    /// written-out ``VerbOptionIndex``, so that lexing builds no verb table).
    static let allOptions: [OptionSpec] = GlobalOptions.specs + VerbOptionIndex.specs.filter { !GlobalOptions.names.contains($0.name) }

    /// ``allOptions`` as the verb table declares them (what `VerbOptionIndexTests` compares).
    static var tableOptions: [OptionSpec] {
        var seen = Set<String>()
        var specs: [OptionSpec] = []
        let verbOptions = VerbTable.structures.flatMap(\.verbs).flatMap(\.options) + VerbTable.operators.flatMap(\.options)
        for spec in GlobalOptions.specs + verbOptions where seen.insert(spec.name).inserted {
            specs.append(spec)
        }
        return specs
    }

    static func parse(_ arguments: [String]) throws(UsageError) -> Request {
        let tokens = try ArgumentLexer(options: allOptions).lex(arguments)
        let global = GlobalOptions(tokens: tokens)
        var words: [String] = []
        var terminated: [String] = []  // the words after `--`
        for token in tokens {
            if case .positional(let word) = token.kind {
                words.append(word)
                if token.afterTerminator { terminated.append(word) }
            }
        }

        if words.first == "help" {
            guard words.count <= 3 else {
                throw UsageError("help takes at most STRUCTURE VERB, got: \(words.dropFirst().joined(separator: " "))")
            }
            return .help(try topic(words.dropFirst(), exact: true))
        }
        if global.help { return .help(try topic(words[...], exact: false)) }
        if global.version { return .version }

        guard let command = words.first else {
            throw UsageError("missing command; see pottery-cli --help")
        }
        let verb: VerbSpec
        let argumentWords: ArraySlice<String>
        if let structure = VerbTable.structure(named: command) {
            guard words.count > 1 else {
                throw UsageError("missing verb: pottery-cli \(command) VERB, one of: \(structure.verbs.map(\.name).joined(separator: ", "))")
            }
            guard let found = structure.verb(named: words[1]) else { throw unknownVerb(words[1], in: structure) }
            verb = found
            argumentWords = words.dropFirst(2)
        } else if let found = VerbTable.operator(named: command) {
            verb = found
            argumentWords = words.dropFirst(1)
        } else {
            throw unknownCommand(command)
        }
        let key = givenKey(argumentWords, of: verb, terminated: terminated.count, total: words.count)
        do throws(UsageError) {
            return try invocation(verb, argumentWords, tokens: tokens, global: global, terminated: terminated)
        } catch {
            var named = error
            if named.key == nil { named.key = key }
            throw named
        }
    }

    /// KEY as the command line gives it, for error messages: `nil` when the
    /// verb takes none, or the command line stops before it (or gives it empty).
    private static func givenKey(_ argumentWords: ArraySlice<String>, of verb: VerbSpec,
                                 terminated: Int, total: Int) -> String? {
        guard verb.arguments.first?.name == ArgumentSpec.key.name, let word = argumentWords.first, !word.isEmpty else {
            return nil
        }
        // `lock run -- CMD`: the first word after `--` is the command, not a KEY.
        if verb.arguments.last?.arity == .command, argumentWords.startIndex >= total - terminated { return nil }
        return word
    }

    /// The invocation of a known verb: its options, arguments and connections checked.
    private static func invocation(_ verb: VerbSpec, _ argumentWords: ArraySlice<String>, tokens: [ArgumentLexer.Token],
                                   global: GlobalOptions, terminated: [String]) throws(UsageError) -> Request {
        let title = Help.commandTitle(of: verb)

        // Options of other verbs are known to the lexer but not allowed here.
        var stdin = StandardInputElements()
        var elementOptions: [String: JSONValue] = [:]
        var textOptions: [String: String] = [:]
        for token in tokens {
            guard case .option(let name, let value) = token.kind, !GlobalOptions.names.contains(name) else { continue }
            guard let spec = verb.options.first(where: { $0.name == name }) else {
                let hint = Suggestion.hint(for: name, among: verb.options.map(\.name)) { "--" + $0 }
                throw UsageError("\(title) takes no option --\(name)\(hint)")
            }
            switch spec.value {
            case .none: textOptions[name] = ""
            case .text: textOptions[name] = value ?? ""
            case .element where value == "-":
                // `--default -`: an element argument, so `-` reads it from stdin (one line).
                let read = try stdin.read(mode: global.elementMode, for: "--\(name)")
                guard read.count == 1 else {
                    throw UsageError("\(title): --\(name) is -, so stdin must hold exactly one line, got \(read.count)")
                }
                elementOptions[name] = read[0]
            case .element:
                elementOptions[name] = try ElementArguments.parse(
                    Array((value ?? "").utf8), mode: global.elementMode, origin: "--\(name)")
            }
        }

        var positional = Array(argumentWords)
        var commandWords: [String] = []
        if let spec = verb.arguments.last, spec.arity == .command {
            // `lock run KEY -- COMMAND...`: everything after `--` is the command, unchanged.
            guard !terminated.isEmpty else {
                throw UsageError("\(title) needs \(spec.usage) after its options; usage: \(Help.usageLine(of: verb))")
            }
            positional.removeLast(terminated.count)
            commandWords = terminated
        }
        var (texts, elements, stdinPositions) = try bind(positional, to: verb, title: title, mode: global.elementMode, stdin: &stdin)
        if let spec = verb.arguments.last, spec.arity == .command { texts[spec.name] = commandWords }
        let configuration = try ConnectionSettings.configuration(global)
        return .run(Invocation(
            verb: verb, texts: texts, elements: elements, stdinPositions: stdinPositions,
            elementOptions: elementOptions, textOptions: textOptions, global: global,
            connection: RedisConnection(configuration),
            // Only locks and IDs use the masters: other commands skip resolving their names.
            masters: verb.usesMasters ? try ConnectionSettings.masters(global, base: configuration) : [],
            output: OutputWriter(pretty: global.pretty, raw: global.raw)))
    }

    /// The help topic named by `words` (`[]`, `[dict]`, `[dict, get]`, `[inspect]`).
    /// With `exact`, extra words are an error; otherwise (`dict get K F --help`) they are ignored.
    static func topic(_ words: ArraySlice<String>, exact: Bool) throws(UsageError) -> Help.Topic {
        guard let first = words.first else { return .top }
        // `help help` (and `help --help`): the help command is described on the top page.
        if first == "help" {
            if exact && words.count > 1 { throw UsageError("help has no verbs; try pottery-cli help") }
            return .top
        }
        if let structure = VerbTable.structure(named: first) {
            guard words.count > 1 else { return .structure(structure) }
            let name = words[words.startIndex + 1]
            guard let verb = structure.verb(named: name) else { throw unknownVerb(name, in: structure) }
            return .verb(verb)
        }
        if let verb = VerbTable.operator(named: first) {
            if exact && words.count > 1 {
                throw UsageError("\(first) has no verbs; try pottery-cli help \(first)")
            }
            return .verb(verb)
        }
        throw unknownCommand(first)
    }

    /// Assigns the positional words to the verb's arguments and reads the elements.
    private static func bind(_ words: [String], to verb: VerbSpec, title: String, mode: ElementArguments.Mode,
                             stdin: inout StandardInputElements) throws(UsageError) -> ([String: [String]], [String: [JSONValue]], [String: Int]) {
        var texts: [String: [String]] = [:]
        var elements: [String: [JSONValue]] = [:]
        var stdinPositions: [String: Int] = [:]
        var index = 0
        // Only an error needs the usage line: building it costs a one-shot call start-up time.
        var usage: String { "usage: " + Help.usageLine(of: verb) }
        for spec in verb.arguments where spec.arity != .command {
            let taken: ArraySlice<String>
            switch spec.arity {
            case .one:
                guard index < words.count else { throw UsageError("\(title) needs \(spec.name); \(usage)") }
                taken = words[index...index]
            case .optional:
                taken = words[index..<min(index + 1, words.count)]
            case .oneOrMore, .pairs:
                guard index < words.count else { throw UsageError("\(title) needs \(spec.usage); \(usage)") }
                taken = words[index...]
            case .zeroOrMore, .command:
                taken = words[index...]
            }
            index += taken.count
            switch spec.kind {
            case .text:
                // pottery gives an empty key a random name, which a one-shot command would lose.
                if spec.name != "PATTERN", let empty = taken.firstIndex(of: "") {
                    throw UsageError("\(title): \(spec.name) argument \(empty - taken.startIndex + 1) is empty; a Redis key must be named")
                }
                texts[spec.name] = Array(taken)
            case .element:
                var values: [JSONValue] = []
                for (offset, word) in taken.enumerated() {
                    let origin = "\(spec.name) argument \(offset + 1)"
                    if word == "-" && spec.streamsStdin {
                        try stdin.claim(for: spec.name)
                        stdinPositions[spec.name] = values.count
                    } else if word == "-" {
                        let read = try stdin.read(mode: mode, for: spec.name)
                        if spec.arity == .one || spec.arity == .optional, read.count != 1 {
                            throw UsageError("\(title): \(spec.name) is -, so stdin must hold exactly one line, got \(read.count)")
                        }
                        values.append(contentsOf: read)
                    } else {
                        values.append(try ElementArguments.parse(Array(word.utf8), mode: mode, origin: origin))
                    }
                }
                if spec.arity == .pairs, !values.count.isMultiple(of: 2) {
                    throw UsageError("\(title) needs \(spec.usage): got an odd number of words (\(values.count))")
                }
                elements[spec.name] = values
            }
        }
        guard index == words.count else {
            throw UsageError("\(title): too many arguments from \(words[index]); \(usage)")
        }
        return (texts, elements, stdinPositions)
    }

    /// `unknown verb dict gte; did you mean "dict get"? verbs: get, set, ...`
    private static func unknownVerb(_ name: String, in structure: StructureSpec) -> UsageError {
        let verbs = structure.verbs.map(\.name)
        let hint = Suggestion.hint(for: name, among: verbs) { "\(structure.name) \($0)" }
        return UsageError("unknown verb \(structure.name) \(name)\(hint); verbs: \(verbs.joined(separator: ", "))")
    }

    /// `unknown command dcit; did you mean "dict"? expected one of: ...`
    private static func unknownCommand(_ name: String) -> UsageError {
        let known = VerbTable.structures.map(\.name) + VerbTable.operators.map(\.name) + ["help"]
        let hint = Suggestion.hint(for: name, among: known)
        return UsageError("unknown command \(name)\(hint); expected one of: \(known.joined(separator: ", "))")
    }
}

import PotteryKit

/// Help text, made from the verb table and the global options.
///
/// `pottery-cli help [STRUCTURE [VERB]]`, `--help` and `-h` at the same level
/// print the same text, to stdout, with exit status 0.
enum Help {
    /// What help is asked for.
    enum Topic {
        case top
        case structure(StructureSpec)
        case verb(VerbSpec)
    }

    /// What pottery-cli is, after the version on the first line of `--help`;
    /// the man page's NAME line.
    static let tagline = "pottery's Redis containers (\"Redis for Humans\") from the shell"

    /// How element arguments are read: the lines `--help` prints (code in
    /// backquotes); the man page joins them into one paragraph.
    static let elementArgumentLines = [
        "JSON when they parse as JSON (as Python's json.loads: NaN, Infinity, 1e999), else a",
        "string: `dict set tel jack 4098` stores field \"jack\", value 4098. --strings takes",
        "them literally (\"4098\"), --json requires JSON. `-` reads them from stdin, one per",
        "line, split at \\n only; a final newline adds no element. Negative numbers (-5, -1.5)",
        "are values; put other words that start with a dash after --. JSON nested deeper than",
        "900, or holding a lone surrogate (\"\\ud800\", which Python accepts), is refused (exit 2).",
    ]

    /// What goes to stdout and stderr, as ``elementArgumentLines``.
    static let outputLines = [
        "stdout: one JSON document (listings stream a JSON array). On failure, stderr gets",
        "{\"error\": {\"key\": KEY or null, \"message\": \"...\", \"type\": \"KeyError\"}} and stdout",
        "nothing (a listing that fails midway still closes its array).",
    ]

    /// The `help` command's row in the list of commands.
    static let helpCommand = (usage: "help [STRUCTURE [VERB]]", summary: "print help; also -h or --help after any command")

    static func text(for topic: Topic) -> String {
        switch topic {
        case .top: return topText()
        case .structure(let structure): return structureText(structure)
        case .verb(let verb): return verbText(verb)
        }
    }

    /// `dict get`, for messages.
    static func commandTitle(of verb: VerbSpec) -> String {
        verb.path
    }

    /// `pottery-cli [GLOBAL OPTIONS] dict get KEY FIELD [--default V]`.
    static func usageLine(of verb: VerbSpec) -> String {
        "pottery-cli [GLOBAL OPTIONS] \(verb.path)" + synopsis(of: verb).map { " " + $0 }.joined()
    }

    /// `KEY FIELD [--default V]`: the arguments, then the options; a
    /// command after `--` comes last, since nothing after `--` is an option.
    static func synopsis(of verb: VerbSpec) -> [String] {
        let command = verb.arguments.filter { $0.arity == .command }
        let others = verb.arguments.filter { $0.arity != .command }
        return others.map(\.usage) + verb.options.map { $0.isRequired ? $0.usage : "[\($0.usage)]" } + command.map(\.usage)
    }

    private static func topText() -> String {
        var lines = [
            "pottery-cli \(PotteryKit.version): \(tagline).",
            "",
            "Usage:",
            "  pottery-cli [GLOBAL OPTIONS] STRUCTURE VERB KEY [ARGS...] [OPTIONS]",
            "  pottery-cli [GLOBAL OPTIONS] COMMAND [ARGS...]",
            "  pottery-cli help [STRUCTURE [VERB]]",
            "",
            "Structures (pottery-cli help STRUCTURE lists their verbs):",
        ]
        lines += table(VerbTable.structures.map { ($0.name, $0.summary) })
        lines += ["", "Commands:"]
        lines += table(VerbTable.operators.map { (([$0.name] + synopsis(of: $0)).joined(separator: " "), $0.summary) }
            + [helpCommand])
        lines += ["", "Global options (anywhere before --; a repeated option: the last one wins):"]
        lines += table(GlobalOptions.specs.map { (optionName($0), $0.summary) })
        lines += [
            "",
            "Element arguments (FIELD, VALUE, ELEM, --default V):",
        ]
        lines += elementArgumentLines.map { "  " + $0 }
        lines += ["", "Output:"]
        lines += outputLines.map { "  " + $0 }
        lines += ["", "Exit status:"]
        lines += table(ExitStatus.documented.map { (String($0.status.code), $0.meaning) })
        return lines.joined(separator: "\n") + "\n"
    }

    private static func structureText(_ structure: StructureSpec) -> String {
        var lines = [
            "pottery-cli \(structure.name): \(structure.summary)",
            "",
            "Usage: pottery-cli [GLOBAL OPTIONS] \(structure.name) VERB KEY [ARGS...] [OPTIONS]",
            "",
            "Verbs:",
        ]
        lines += table(structure.verbs.map { (([$0.name] + synopsis(of: $0)).joined(separator: " "), $0.summary) })
        lines += exampleLines(ScriptExamples.example(for: structure.name))
        lines += [
            "",
            "pottery-cli help \(structure.name) VERB tells what a verb prints; pottery-cli --help",
            "gives the global options, element arguments and exit statuses.",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    private static func verbText(_ verb: VerbSpec) -> String {
        var lines = [
            "Usage: \(usageLine(of: verb))",
            "",
        ]
        lines += wrap(capitalized(verb.summary) + ".", width: lineWidth)
        lines += wrap("Prints: \(verb.prints).", width: lineWidth)
        if !verb.details.isEmpty {
            lines += [""] + verb.details.map { "  " + $0 }
        }
        if !verb.options.isEmpty {
            lines += ["", "Options:"]
            lines += table(verb.options.map { ($0.usage, $0.summary) })
        }
        if verb.structure == nil {
            lines += exampleLines(ScriptExamples.example(for: verb.name))
        }
        lines += ["", "Global options, element arguments and exit statuses: pottery-cli --help."]
        return lines.joined(separator: "\n") + "\n"
    }

    /// `Example: TEXT` and the transcript, indented; nothing without an example.
    private static func exampleLines(_ example: CommandExample?) -> [String] {
        guard let example else { return [] }
        return ["", "Example: " + example.text] + example.transcript.map { "  " + $0 }
    }

    private static func optionName(_ spec: OptionSpec) -> String {
        spec.shortName.map { "-\($0), " + spec.usage } ?? spec.usage
    }

    /// `text` with its first letter upper-cased.
    static func capitalized(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }

    /// Two aligned columns, indented by two spaces, descriptions wrapped at
    /// ``lineWidth``; a long first column puts its description on the next line.
    private static func table(_ rows: [(String, String)]) -> [String] {
        let width = min(rows.map(\.0.count).max() ?? 0, 28)
        let column = 2 + width + 2
        var lines: [String] = []
        for (name, text) in rows {
            var first = "  " + name
            if name.count > width {
                lines.append(first)
                first = ""
            }
            let wrapped = wrap(text, width: lineWidth - column)
            for (index, line) in wrapped.enumerated() {
                let lead = index == 0 ? first : ""
                lines.append(lead + String(repeating: " ", count: column - lead.count) + line)
            }
        }
        return lines
    }

    private static let lineWidth = 100

    /// Splits `text` at spaces into lines of at most `width` characters (a longer word stays whole).
    private static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty && current.count + 1 + word.count > width {
                lines.append(current)
                current = ""
            }
            current += (current.isEmpty ? "" : " ") + word
        }
        lines.append(current)
        return lines
    }
}

/// Every verb option the lexer must know, by name and value placeholder,
/// written out: lexing a command line then never builds the whole verb table
/// (a quarter of a one-shot call's start-up, by callgrind). `VerbOptionIndexTests`
/// checks it against the table, so an option added to a verb must be added here.
/// Summaries and kinds come from the verb's own spec once the verb is known.
enum VerbOptionIndex {
    static let specs: [OptionSpec] = [
        ("auto-release", "S"), ("conflict-exit-code", "N"), ("count", "N"), ("current", nil), ("default", "V"),
        ("env", "NAMES"), ("false-positives", "P"), ("fencing", nil), ("limit", "N"), ("maxlen", "N"),
        ("no-wait", nil), ("num-elements", "N"), ("reset", nil), ("reverse", nil), ("start", "N"), ("stop", "N"),
        ("timeout", "S"), ("token", "T"), ("ttl", "S"),
    ].map { name, placeholder in
        OptionSpec(name: name, value: placeholder.map { .text($0) } ?? .none, summary: "")
    }
}

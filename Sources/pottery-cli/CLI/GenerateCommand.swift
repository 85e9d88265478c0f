/// `pottery-cli __generate man|bash|zsh|fish`: prints the man page or a shell
/// completion script, made from the verb table and the global options.
///
/// Hidden: not in help and not among the commands an error message lists. The
/// outputs are committed (``Target/path``), and `GeneratedDocsTests` fails
/// when they differ from what this prints, so a verb added to ``VerbTable``
/// reaches the man page and the completions in the same commit. Regenerate
/// with `POTTERY_RECORD_DOCS=1 swift test --filter GeneratedDocsTests`, or
/// `pottery-cli __generate man > man/pottery-cli.1` and so on.
enum GenerateCommand {
    /// The first word that selects this command.
    static let name = "__generate"

    /// What can be generated.
    enum Target: String, CaseIterable, Sendable {
        case man, bash, zsh, fish

        /// Where the output is committed, relative to the repository's top
        /// (where `make install` looks for it).
        var path: String {
            switch self {
            case .man: return "man/pottery-cli.1"
            case .bash: return "completions/pottery-cli.bash"
            case .zsh: return "completions/_pottery-cli"
            case .fish: return "completions/pottery-cli.fish"
            }
        }

        func render() -> String {
            switch self {
            case .man: return ManPageGenerator.render()
            case .bash: return CompletionGenerator.bash()
            case .zsh: return CompletionGenerator.zsh()
            case .fish: return CompletionGenerator.fish()
            }
        }
    }

    /// The text for `__generate TARGET`; `words` are the words after `__generate`.
    static func text(_ words: ArraySlice<String>) throws(UsageError) -> String {
        let names = Target.allCases.map(\.rawValue).joined(separator: "|")
        guard words.count == 1, let word = words.first, let target = Target(rawValue: word) else {
            throw UsageError("usage: pottery-cli \(name) \(names)")
        }
        return target.render()
    }
}

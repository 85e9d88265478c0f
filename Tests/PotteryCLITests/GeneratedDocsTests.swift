@testable import pottery_cli
import Foundation
import PotteryTestSupport
import Testing

/// The man page and the completion scripts are generated from the verb table
/// by the hidden `pottery-cli __generate man|bash|zsh|fish` and committed
/// (`man/`, `completions/`). These tests fail when a committed file differs
/// from what the built binary prints, so a verb added to the table must reach
/// them in the same commit.
///
/// To regenerate: `POTTERY_RECORD_DOCS=1 swift test --filter GeneratedDocsTests`
/// rewrites the files and fails (a new baseline never passes silently); run
/// again without it.
@Suite struct GeneratedDocsTests {
    typealias Target = GenerateCommand.Target

    /// The top of the repository: three levels above this file.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let recording = ProcessInfo.processInfo.environment["POTTERY_RECORD_DOCS"] == "1"

    /// The built binary's output for `__generate TARGET`, as text.
    private static func generated(_ target: Target) throws -> String {
        let result = try CLI.run([GenerateCommand.name, target.rawValue], url: nil)
        #expect(result.status == 0, "\(target): \(result)")
        #expect(result.stderr.isEmpty, "\(target): \(result)")
        return result.out
    }

    // MARK: - Drift

    @Test("the committed file is what `pottery-cli __generate` prints, byte for byte", arguments: Target.allCases)
    func committedFileIsUpToDate(target: Target) throws {
        let result = try CLI.run([GenerateCommand.name, target.rawValue], url: nil)
        try #require(result.status == 0 && result.stderr.isEmpty, "\(result)")
        let file = Self.root.appendingPathComponent(target.path)
        if Self.recording {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(result.stdout).write(to: file, options: .atomic)
            Issue.record("POTTERY_RECORD_DOCS=1: wrote \(target.path); a recording run always fails, run again without it")
            return
        }
        let regenerate = "regenerate with POTTERY_RECORD_DOCS=1 swift test --filter GeneratedDocsTests"
        guard let committed = FileManager.default.contents(atPath: file.path) else {
            Issue.record("\(target.path) is missing; \(regenerate)")
            return
        }
        if Array(committed) != result.stdout {
            let old = String(decoding: committed, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let new = result.out.split(separator: "\n", omittingEmptySubsequences: false)
            let line = zip(old, new).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(old.count, new.count)
            let was = line < old.count ? String(old[line]) : "(end of file)"
            let now = line < new.count ? String(new[line]) : "(end of output)"
            Issue.record("""
                \(target.path) differs from `pottery-cli __generate \(target.rawValue)` at line \(line + 1); \(regenerate)
                committed: \(was)
                generated: \(now)
                """)
        }
    }

    @Test func generatorIsHiddenAndChecksItsArgument() throws {
        let help = try CLI.run(["--help"], url: nil)
        #expect(help.status == 0)
        #expect(!help.out.contains(GenerateCommand.name))
        let unknown = try CLI.run(["no-such-command"], url: nil)
        #expect(unknown.status == 2)
        #expect(!unknown.err.contains(GenerateCommand.name))
        for arguments in [[], ["html"], ["man", "bash"]] {
            let result = try CLI.run([GenerateCommand.name] + arguments, url: nil)
            #expect(result.status == 2, "\(arguments): \(result)")
            #expect(result.stdout.isEmpty && result.error?.type == "UsageError", "\(arguments): \(result)")
        }
    }

    // MARK: - Everything in the table is in every file

    @Test func manPageHasEveryStructureVerbOptionAndExitStatus() throws {
        let page = try Self.generated(.man)
        let lines = page.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix(".Dd ") && !$0.contains("$Mdocdate") })
        #expect(lines.contains(".Dt POTTERY-CLI 1"))
        let sections = ["NAME", "SYNOPSIS", "DESCRIPTION", "GLOBAL OPTIONS", "ELEMENT ARGUMENTS", "STRUCTURES",
                        "OTHER COMMANDS", "OUTPUT", "ENVIRONMENT", "EXIT STATUS", "EXAMPLES", "SEE ALSO"]
        #expect(lines.filter { $0.hasPrefix(".Sh ") } == sections.map { ".Sh " + $0 })

        for structure in VerbTable.structures {
            // The lines of `.Ss STRUCTURE`, up to the next subsection or section.
            guard let start = lines.firstIndex(of: ".Ss \(structure.name)") else {
                Issue.record("no .Ss \(structure.name)")
                continue
            }
            let rest = lines[(start + 1)...]
            let body = rest.prefix { !$0.hasPrefix(".Ss ") && !$0.hasPrefix(".Sh ") }
            for verb in structure.verbs {
                let head = ".It Cm " + Self.roff(verb.name)
                #expect(body.contains { $0 == head || $0.hasPrefix(head + " ") }, "\(verb.path)")
            }
        }
        for verb in VerbTable.operators {
            #expect(lines.contains { $0 == ".It Cm \(verb.name)" || $0.hasPrefix(".It Cm \(verb.name) ") }, "\(verb.name)")
        }
        for option in GlobalOptions.specs {
            #expect(lines.contains { $0.hasPrefix(".It ") && $0.contains("Fl \\-" + Self.roff(option.name)) },
                    "--\(option.name)")
        }
        for variable in ["REDIS_URL", "REDISCLI_AUTH", "POTTERY_MASTERS"] {
            #expect(lines.contains(".It Ev \(variable)"), "\(variable)")
        }
        for entry in ExitStatus.documented {
            #expect(lines.contains(".It Sy \(entry.status.code)"), "exit \(entry.status.code)")
        }
        #expect(ExitStatus.documented.map(\.status.code) == [0, 1, 2, 3, 4, 5, 75, 141])
    }

    @Test func bashScriptHasEveryStructureVerbAndOption() throws {
        let script = try Self.generated(.bash)
        #expect(script.contains("candidates='\(Self.commandNames.joined(separator: " "))'"))
        for structure in VerbTable.structures {
            #expect(script.contains("\n    \(structure.name)) candidates='\(structure.verbs.map(\.name).joined(separator: " "))' ;;"),
                    "\(structure.name)")
        }
        for option in GlobalOptions.specs {
            #expect(script.contains(" --\(option.name)"), "--\(option.name)")
        }
        #expect(script.contains("\ncomplete -F "))
    }

    @Test func zshScriptHasEveryStructureVerbAndOption() throws {
        let script = try Self.generated(.zsh)
        #expect(script.hasPrefix("#compdef pottery-cli\n"))
        #expect(script.contains("_arguments ") && script.contains("_describe "))
        for name in Self.commandNames {
            #expect(script.contains("'\(name):"), "\(name)")
            #expect(script.contains("\n        \(name)) "), "\(name)")
        }
        for structure in VerbTable.structures {
            #expect(script.contains("\n_pottery-cli_\(structure.name)() {"), "\(structure.name)")
            let array = "local -a _pottery_cli_verbs_\(structure.name)=("
            guard let start = script.range(of: array) else {
                Issue.record("no \(array)")
                continue
            }
            let end = script[start.upperBound...].range(of: "\n    )\n")?.lowerBound ?? script.endIndex
            let entries = script[start.upperBound..<end]
            for verb in structure.verbs {
                #expect(entries.contains("\n        '\(verb.name):"), "\(verb.path)")
            }
        }
        for option in GlobalOptions.specs {
            #expect(script.contains("--\(option.name)"), "--\(option.name)")
        }
    }

    @Test func fishScriptHasEveryStructureVerbAndOption() throws {
        let script = try Self.generated(.fish)
        let lines = script.split(separator: "\n").map(String.init)
        for name in Self.commandNames {
            #expect(lines.contains { $0.hasPrefix("complete -c pottery-cli -n '__pottery_cli_at' -a '\(name)' -d '") },
                    "\(name)")
        }
        for structure in VerbTable.structures {
            for verb in structure.verbs {
                for condition in [structure.name, "help \(structure.name)"] {
                    let line = "complete -c pottery-cli -n '__pottery_cli_at \(condition)' -a '\(verb.name)' -d '"
                    #expect(lines.contains { $0.hasPrefix(line) }, "\(condition) \(verb.name)")
                }
                for option in verb.options {
                    let line = "complete -c pottery-cli -n '__pottery_cli_options_for \(verb.path)' "
                    #expect(lines.contains { $0.hasPrefix(line) && $0.contains(" -l \(option.name) ") },
                            "\(verb.path) --\(option.name)")
                }
            }
        }
        for option in GlobalOptions.specs {
            #expect(lines.contains {
                $0.hasPrefix("complete -c pottery-cli -n '__pottery_cli_options_for' ")
                    && $0.contains(" -l \(option.name) ") && $0.contains(" -d '")
            }, "--\(option.name)")
        }
    }

    // MARK: - The files are valid for their tools

    @Test func bashScriptParses() throws {
        let bash = try #require(Self.tool("bash"), "bash is not on PATH")
        let result = try Self.run(bash, ["-n", Self.file(.bash)])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }

    @Test  // zsh is installed by `make deps`; without it this test fails, it is never skipped
    func zshScriptParses() throws {
        let result = try Self.run(try #require(Self.tool("zsh")), ["-n", Self.file(.zsh)])
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
    }

    @Test  // fish is installed by `make deps`; without it this test fails, it is never skipped
    func fishScriptParses() throws {
        let result = try Self.run(try #require(Self.tool("fish")), ["--no-execute", Self.file(.fish)])
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
    }

    /// Every line closes its quotes (a check independent of the shells).
    @Test(arguments: [Target.zsh, .fish])
    func quotesAreBalanced(target: Target) throws {
        for (number, line) in try Self.generated(target).split(separator: "\n").enumerated()
        where !line.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
            var text = String(line)
            switch target {
            case .fish: text = text.replacingOccurrences(of: #"\\"#, with: "").replacingOccurrences(of: #"\'"#, with: "")
            default: text = text.replacingOccurrences(of: #"'\''"#, with: "")
            }
            #expect(text.filter { $0 == "'" }.count.isMultiple(of: 2), "\(target.path):\(number + 1): \(line)")
        }
    }

    @Test  // groff is installed by `make deps`; without it this test fails, it is never skipped
    func manPageRendersWithoutWarnings() throws {
        let groff = try #require(Self.tool("groff"))
        let result = try Self.run(groff, ["-mandoc", "-Tutf8", "-ww", Self.file(.man)])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        // Strip overstriking (bold, underline) to read the text.
        let text = result.stdout.replacingOccurrences(of: ".\u{8}", with: "", options: .regularExpression)
        for heading in ["NAME", "SYNOPSIS", "DESCRIPTION", "GLOBAL OPTIONS", "STRUCTURES", "EXIT STATUS", "EXAMPLES"] {
            #expect(text.contains("\n\(heading)\n"), "\(heading)")
        }
        #expect(text.contains("pottery-cli [GLOBAL OPTIONS] STRUCTURE VERB KEY"))
        for verb in VerbTable.structures.flatMap(\.verbs) {
            #expect(text.contains("\n     \(verb.name) KEY"), "\(verb.path)")
        }
    }

    @Test  // mandoc is installed by `make deps`; without it this test fails, it is never skipped
    func manPagePassesMandocLint() throws {
        let result = try Self.run(try #require(Self.tool("mandoc")), ["-T", "lint", "-W", "warning", Self.file(.man)])
        #expect(result.status == 0 && result.stdout.isEmpty, "\(result.stdout)\(result.stderr)")
    }

    // MARK: - The bash completion completes

    @Test func bashCompletesCommandsAndVerbs() throws {
        #expect(try Self.bashComplete(["pottery-cli", "di"]) == ["dict"])
        #expect(try Self.bashComplete(["pottery-cli", ""]) == Self.commandNames)
        #expect(try Self.bashComplete(["pottery-cli", "help", ""]) == Self.commandNames.filter { $0 != "help" })
        for structure in VerbTable.structures {
            let verbs = structure.verbs.map(\.name)
            #expect(try Self.bashComplete(["pottery-cli", structure.name, ""]) == verbs, "\(structure.name)")
            #expect(try Self.bashComplete(["pottery-cli", "help", structure.name, ""]) == verbs, "\(structure.name)")
            // After the verb come KEY and the arguments: nothing to offer.
            #expect(try Self.bashComplete(["pottery-cli", structure.name, verbs[0], ""]) == [], "\(structure.name)")
        }
        #expect(try Self.bashComplete(["pottery-cli", "dict", "g"]) == ["get"])
    }

    @Test func bashSkipsOptionsAndTheirValues() throws {
        // `--url=redis://h:1/0` reaches the function split at `=` and `:` (COMP_WORDBREAKS).
        #expect(try Self.bashComplete(["pottery-cli", "--url", "=", "redis", ":", "//h", ":", "1/0", "di"]) == ["dict"])
        #expect(try Self.bashComplete(["pottery-cli", "--pretty", "--url", "redis", ":", "//h", "dict", "g"]) == ["get"])
        #expect(try Self.bashComplete(["pottery-cli", "--url", ""]) == [])
        let globals = GlobalOptions.specs.flatMap { ($0.shortName.map { ["-\($0)"] } ?? []) + ["--\($0.name)"] }
        #expect(try Self.bashComplete(["pottery-cli", "-"]) == globals)
        for verb in VerbTable.structures.flatMap(\.verbs) {
            let words = ["pottery-cli", verb.structure ?? "", verb.name, "k", "--"]
            let expected = globals.filter { $0.hasPrefix("--") } + verb.options.map { "--" + $0.name }
            #expect(try Self.bashComplete(words) == expected, "\(verb.path)")
        }
    }

    // MARK: - The man page's examples

    @Test func manPageExamplesPrintWhatTheyShow() throws {
        let server = try RedisServer()
        defer { server.stop() }
        for example in ManPageGenerator.examples {
            for step in example.steps {
                let result = try CLI.run(step.arguments, url: server.url)
                let lines = result.out.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
                #expect(lines == step.output, "pottery-cli \(step.arguments.joined(separator: " ")): \(result)")
                #expect(result.status == step.status, "pottery-cli \(step.arguments.joined(separator: " ")): \(result)")
            }
        }
    }

    // MARK: - Helpers

    /// The first words: structures, operator commands, `help`.
    static let commandNames = VerbTable.structures.map(\.name) + VerbTable.operators.map(\.name) + ["help"]

    /// `contains-many` as the man page spells it.
    static func roff(_ name: String) -> String {
        name.replacingOccurrences(of: "-", with: #"\-"#)
    }

    /// The committed file of `target`, as a path.
    static func file(_ target: Target) -> String {
        root.appendingPathComponent(target.path).path
    }

    /// The executable `name` on `$PATH`, as `which` finds it.
    static func tool(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `executable arguments...`; stdout and stderr go through files, so
    /// neither pipe can fill up while the other is read.
    static func run(_ executable: String, _ arguments: [String],
                    environment: [String: String]? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pottery-docs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("out")
        let err = directory.appendingPathComponent("err")
        try Data().write(to: out)
        try Data().write(to: err)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus,
                String(decoding: try Data(contentsOf: out), as: UTF8.self),
                String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    /// What the generated bash completion offers for `words`, the last being
    /// the word under the cursor: the script is sourced in a fresh bash, the
    /// function `complete -p pottery-cli` names is called with COMP_WORDS and
    /// COMP_CWORD set, and COMPREPLY is printed.
    static func bashComplete(_ words: [String]) throws -> [String] {
        let script = #"""
            source "$1" || exit 3
            shift
            spec=$(complete -p pottery-cli) || exit 4
            function=${spec#*-F }
            function=${function%% *}
            COMP_WORDS=("$@")
            COMP_CWORD=$(($# - 1))
            COMP_LINE="$*"
            COMP_POINT=${#COMP_LINE}
            COMPREPLY=()
            "$function" pottery-cli "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
            for word in "${COMPREPLY[@]}"; do printf '%s\n' "$word"; done
            """#
        let bash = try #require(tool("bash"), "bash is not on PATH")
        // Key completion (after a verb) asks a server: one where nothing listens.
        var environment = ProcessInfo.processInfo.environment
        environment["REDIS_URL"] = deadServerURL
        let result = try run(bash, ["--norc", "--noprofile", "-c", script, "bash", file(.bash)] + words,
                             environment: environment)
        #expect(result.status == 0 && result.stderr.isEmpty, "\(words): \(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }
}

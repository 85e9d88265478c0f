@testable import pottery_cli
import PotteryKit
import Testing

/// In-process checks of the pieces that need no server: the one mapping
/// from error codes to exit statuses, the verb table's invariants, the lexer.
@Suite struct InProcessTests {
    @Test func everyPotteryCodeMapsToItsCategoryStatus() {
        for code in PotteryError.Code.all {
            let expected: Int32 = switch code.category {
            case .notFound: 1
            case .usage: 2
            case .server: 3
            case .data: 4
            }
            #expect(ExitStatus(for: code).code == expected, "\(code)")
        }
        #expect(ExitStatus(for: .keyError) == .negative)
        #expect(ExitStatus(for: .wrongType) == .data)
        #expect(ExitStatus(for: .decodeError) == .data)
        #expect(ExitStatus(for: .connectionError) == .server)
        #expect(ExitStatus(for: .invalidURL) == .usage)
    }

    @Test func verbTableIsWellFormed() {
        var optionArity: [String: Bool] = Dictionary(uniqueKeysWithValues: GlobalOptions.specs.map { ($0.name, $0.takesValue) })
        let commands = VerbTable.structures.map(\.name) + VerbTable.operators.map(\.name) + ["help"]
        #expect(Set(commands).count == commands.count)
        for structure in VerbTable.structures {
            #expect(Set(structure.verbs.map(\.name)).count == structure.verbs.count, "\(structure.name)")
            for verb in structure.verbs {
                #expect(verb.structure == structure.name)
                #expect(verb.arguments.first?.name == "KEY", "\(verb.path)")
            }
        }
        for verb in VerbTable.structures.flatMap(\.verbs) + VerbTable.operators {
            // Only the last positional argument may be optional or variadic.
            for argument in verb.arguments.dropLast() {
                #expect(argument.arity == .one, "\(verb.path) \(argument.name)")
            }
            #expect(!verb.summary.isEmpty && !verb.prints.isEmpty, "\(verb.path)")
            // An option name means the same arity everywhere (the lexer reads it before the verb is known).
            for option in verb.options {
                if let known = optionArity[option.name] {
                    #expect(known == option.takesValue, "\(verb.path) --\(option.name)")
                }
                optionArity[option.name] = option.takesValue
            }
        }
    }

    @Test func lexerReadsNegativeNumbersAsValues() throws {
        let lexer = ArgumentLexer(options: CommandLineParser.allOptions)
        let tokens = try lexer.lex(["-5", "-.5", "-1e3", "-Infinity", "-", "--url=u", "--default", "-x", "-h", "--", "--pretty", "-y"])
        let kinds: [String] = tokens.map { token in
            switch token.kind {
            case .positional(let word): return "p:\(word)" + (token.afterTerminator ? "!" : "")
            case .option(let name, let value): return "o:\(name)=\(value ?? "nil")"
            }
        }
        #expect(kinds == ["p:-5", "p:-.5", "p:-1e3", "p:-Infinity", "p:-", "o:url=u", "o:default=-x", "o:help=nil",
                          "p:--pretty!", "p:-y!"])
        #expect(throws: UsageError.self) { try lexer.lex(["-NaN"]) }
        #expect(throws: UsageError.self) { try lexer.lex(["--pretty=1"]) }
        #expect(throws: UsageError.self) { try lexer.lex(["--url"]) }
    }

    @Test func stdinLinesSplitAtNewlineOnly() {
        func lines(_ text: String) -> [String] {
            ElementArguments.lines(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(lines("") == [])
        #expect(lines("\n") == [""])
        #expect(lines("a") == ["a"])
        #expect(lines("a\n") == ["a"])
        #expect(lines("a\n\nb\r\n") == ["a", "", "b\r"])
        #expect(lines("a\u{2028}b") == ["a\u{2028}b"])
    }
}

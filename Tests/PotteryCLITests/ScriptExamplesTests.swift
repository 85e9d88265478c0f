@testable import pottery_cli
import Foundation
import PotteryTestSupport
import Testing

/// The examples `--help` and the man page show for each structure and for
/// `nextid`, `inspect` and `keys`: each exists, is shown, and prints what it
/// shows when run, in order, against a fresh server.
@Suite struct ScriptExamplesTests {
    @Test func everyStructureAndKeyedCommandHasAnExample() {
        for structure in VerbTable.structures {
            #expect(ScriptExamples.example(for: structure.name)?.steps.isEmpty == false, "\(structure.name)")
        }
        for name in ["nextid", "inspect", "keys"] {
            #expect(ScriptExamples.example(for: name)?.steps.isEmpty == false, "\(name)")
        }
        // Every example's steps use its own command.
        for (command, example) in ScriptExamples.all {
            #expect(example.steps.allSatisfy { $0.arguments.drop { $0.hasPrefix("--") }.first == command }, "\(command)")
        }
    }

    @Test func examplesPrintWhatTheyShow() throws {
        let server = try RedisServer()
        defer { server.stop() }
        for (_, example) in ScriptExamples.all {
            for step in example.steps {
                let result = try CLI.run(step.arguments, url: server.url)
                let lines = result.out.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
                let shown = "pottery-cli \(step.arguments.joined(separator: " "))"
                #expect(lines == step.output, "\(shown): \(result)")
                #expect(result.status == step.status, "\(shown): \(result)")
            }
        }
    }

    @Test func helpAndTheManPageShowThem() throws {
        let page = try CLI.run([GenerateCommand.name, "man"], url: nil).out
        for (command, example) in ScriptExamples.all {
            let help = try CLI.run(["help", command], url: nil)
            #expect(help.status == 0)
            #expect(help.out.contains("\nExample: \(example.text)\n"), "\(command)")
            #expect(help.out.contains(example.transcript.map { "\n  " + $0 }.joined() + "\n"), "\(command): \(help.out)")
            for line in example.transcript {
                #expect(page.contains("\n" + line.replacingOccurrences(of: "-", with: #"\-"#) + "\n"), "\(command): \(line)")
            }
        }
        #expect(try CLI.run(["help", "lock"], url: nil).out.contains("$ pottery-cli lock run nightly-backup --no-wait -- echo backing up"))
    }
}

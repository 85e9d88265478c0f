import Glibc
import PotteryKit

/// The whole run of one command line: parse and check everything, then run
/// the handler, print, and give the exit status.
enum PotteryCLI {
    static func run(argv: [UnsafeMutablePointer<CChar>?]) -> ExitStatus {
        let request: CommandLineParser.Request
        do {
            let words = try arguments(argv)
            if words.first == GenerateCommand.name {
                return printText(try GenerateCommand.text(words.dropFirst()))
            }
            if words.first == CompleteKeysCommand.name {
                return CompleteKeysCommand.run(words.dropFirst())
            }
            request = try CommandLineParser.parse(words)
        } catch {
            return ErrorReporter.report(error)
        }
        switch request {
        case .help(let topic):
            return printText(Help.text(for: topic))
        case .version:
            return printText(PotteryKit.version + "\n")
        case .run(let invocation):
            return execute(invocation)
        }
    }

    private static func execute(_ invocation: Invocation) -> ExitStatus {
        let output = invocation.output
        let status: ExitStatus
        do {
            status = try invocation.verb.handler(invocation)
        } catch {
            output.flush()
            return output.isClosed ? .brokenPipe : ErrorReporter.report(error)
        }
        output.flush()
        return output.isClosed ? .brokenPipe : status
    }

    private static func printText(_ text: String) -> ExitStatus {
        SystemIO.writeAll(Array(text.utf8), to: STDOUT_FILENO) ? .success : .brokenPipe
    }

    /// argv after the program name; a word that is not UTF-8 is a usage error.
    private static func arguments(_ argv: [UnsafeMutablePointer<CChar>?]) throws(UsageError) -> [String] {
        var words: [String] = []
        for (index, pointer) in argv.enumerated() {
            guard let pointer else { continue }
            guard let word = String(validatingCString: pointer) else {
                throw UsageError("argument \(index + 1) is not valid UTF-8")
            }
            words.append(word)
        }
        return words
    }
}

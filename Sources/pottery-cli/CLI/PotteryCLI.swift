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
            settle(invocation.masters)
            if output.isClosed { return .brokenPipe }
            if var usage = StandardInputLines.takeUsageFailure() {  // a bad line of a streamed stdin
                usage.key = naming(error, invocation).key
                return ErrorReporter.report(usage)
            }
            return ErrorReporter.report(naming(error, invocation))
        }
        output.flush()
        settle(invocation.masters)
        return output.isClosed ? .brokenPipe : status
    }

    /// An error that names no Redis key names the command line's KEY (a
    /// malformed INDEX, clashing options): every error of a command with a KEY names one.
    private static func naming(_ error: PotteryError, _ invocation: Invocation) -> PotteryError {
        guard error.key == nil, let key = invocation.optionalText(ArgumentSpec.key.name) else { return error }
        var named = error
        named.key = key
        return named
    }

    /// A lock or ID call returns once a majority of masters answered; before the
    /// process exits, the others' answers are awaited a moment (the result is
    /// already printed), so a script that reads every master next finds them agreeing.
    private static func settle(_ masters: [RedisConnection]) {
        guard masters.count > 1 else { return }
        RedisFanOut.settle(masters, deadline: .now + settleLimit)
    }

    /// How long an exiting call waits for masters left behind: a frozen one costs no more.
    static let settleLimit: Duration = .milliseconds(500)

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

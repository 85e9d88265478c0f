import Glibc
import PotteryKit

/// `pottery-cli __complete-keys PREFIX [WORD...]`: the keys that start with
/// PREFIX on the server the command line being completed names, one per line,
/// for the completion scripts.
///
/// Hidden, like `__generate`. The WORDs are that command line's words (the
/// program first); only `--url`, `--password-file` (as `--name V` or
/// `--name=V`, one level of quotes removed) and `--` are read from them, else
/// `$REDIS_URL` and `$REDISCLI_AUTH` as for any command. A completing shell
/// waits for this process, so it never takes long: connect and every read
/// share one deadline of ``budget``, `SCAN MATCH PREFIX* COUNT 1000` stops at
/// ``limit`` keys or at the deadline, and whatever goes wrong (no server, a
/// frozen one, a bad URL, a password refused) prints nothing and exits 1,
/// silently: an error message would land in the middle of the user's line.
enum CompleteKeysCommand {
    /// The first word that selects this command.
    static let name = "__complete-keys"

    /// The time allowed for the whole listing, connecting included.
    static let budget: Duration = .milliseconds(300)

    /// At most this many keys are listed.
    static let limit = 100

    /// Prints the keys; exit 0 when the server answered, else 1.
    static func run(_ words: ArraySlice<String>) -> ExitStatus {
        guard let prefix = words.first else { return .negative }
        let deadline = ContinuousClock.now + budget
        var options = GlobalOptions(tokens: [])
        options.url = value(of: "url", in: words.dropFirst())
        options.passwordFile = value(of: "password-file", in: words.dropFirst())
        let seconds = "\(Double(budget.components.attoseconds) / 1e18 + Double(budget.components.seconds))"
        options.connectTimeout = seconds
        options.ioTimeout = seconds
        guard let configuration = try? ConnectionSettings.configuration(options) else { return .negative }
        let connection = RedisConnection(configuration)
        var found: [String] = []
        var seen = Set<String>()
        do {
            try connection.scanKeys(matching: globEscaped(prefix) + "*", deadline: deadline) { keys in
                for key in keys {
                    // A key that is not UTF-8, or holds a newline, cannot be typed back as a word.
                    guard let text = String(validating: key.bytes, as: UTF8.self),
                          !text.contains("\n"), seen.insert(text).inserted else { continue }
                    found.append(text)
                    if found.count == limit { break }
                }
                return found.count < limit && ContinuousClock.now < deadline
            }
        } catch {
            // Keys already found are still worth offering.
            if found.isEmpty { return .negative }
        }
        let text = found.map { $0 + "\n" }.joined()
        return SystemIO.writeAll(Array(text.utf8), to: STDOUT_FILENO) ? .success : .brokenPipe
    }

    /// The value of `--name V` or `--name=V` in `words` (the last one given,
    /// before any `--`), without one level of surrounding quotes.
    static func value(of name: String, in words: ArraySlice<String>) -> String? {
        var found: String?
        var index = words.startIndex
        while index < words.endIndex {
            let word = words[index]
            if word == "--" { break }
            if word == "--" + name, index + 1 < words.endIndex {
                found = unquoted(words[index + 1])
                index += 1
            } else if word.hasPrefix("--\(name)=") {
                found = unquoted(String(word.dropFirst(name.count + 3)))
            }
            index += 1
        }
        return found
    }

    /// `'text'` or `"text"` as `text`; anything else as it is.
    private static func unquoted(_ word: String) -> String {
        for quote in ["'", "\""] where word.count >= 2 && word.hasPrefix(quote) && word.hasSuffix(quote) {
            return String(word.dropFirst().dropLast())
        }
        return word
    }

    /// `prefix` with the glob characters of SCAN's MATCH (`*?[]\`) escaped.
    static func globEscaped(_ prefix: String) -> String {
        var escaped = ""
        for character in prefix {
            if "*?[]\\".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}

/// A sentence, then commands and exactly what they print: an example in
/// `--help` and the man page. The tests run every one against a real server.
struct CommandExample: Sendable {
    /// One command: its arguments after `pottery-cli`, its exact stdout
    /// lines, and its exit status.
    struct Step: Sendable {
        let arguments: [String]
        let output: [String]
        var status: Int32 = 0
    }

    let text: String
    let steps: [Step]

    /// The lines `$ pottery-cli ARGS` (with `   # exit N` when not 0), each
    /// followed by its output: how help and the man page show the steps.
    var transcript: [String] {
        var lines: [String] = []
        for step in steps {
            let command = (["$ pottery-cli"] + step.arguments.map(Self.shellQuoted)).joined(separator: " ")
            lines.append(command + (step.status == 0 ? "" : "   # exit \(step.status)"))
            lines += step.output
        }
        return lines
    }

    /// `word`, or `'word'` when a shell would read it otherwise.
    static func shellQuoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { scalar in
            (scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)))
                || "-_.:/=@%+,".unicodeScalars.contains(scalar)
        }
        if plain { return word }
        return "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: #"'\''"#) + "'"
    }
}

import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// Runs every CLI example of README.md and checks that it prints what the
/// README shows.
///
/// An example is a line `$ pottery-cli ARGS...` in a fenced block tagged
/// `console`, followed by its exact standard output, one line per line. The
/// example must exit 0 unless it says otherwise with `# exit N` (optionally
/// followed by `: why`), either as a comment at the end of the command line or
/// on a line of its own. A line
/// `# stderr: TEXT` says the exact standard error. Other lines starting with
/// `# ` are comments. The examples run in order against the shared test
/// server (`$REDIS_URL`), after every key containing `readme:` is deleted, so
/// an example may rely on what the ones before it wrote.
@Suite("README examples")
private struct ReadmeExamplesTests {
    @Test("every console example prints what README.md shows")
    func readmeExamples() throws {
        let readme = try ReadmeFile.locate()
        let examples = try ReadmeFile.examples(in: String(contentsOfFile: readme, encoding: .utf8))
        try #require(!examples.isEmpty, "no ```console examples with `$ pottery-cli` lines in \(readme)")

        let binary = try #require(CLIBinary.path, "pottery-cli not found next to the test binary; set $POTTERY_CLI")
        let server = RedisServer.shared
        try deleteReadmeKeys(server.connection())

        for example in examples {
            let words: [String]
            let comment: String?
            do {
                (words, comment) = try ShellWords.split(example.command)
            } catch {
                Issue.record("README.md:\(example.line): \(error)")
                continue
            }
            guard words.first == "pottery-cli" else {
                Issue.record("README.md:\(example.line): a console example must run pottery-cli: \(example.command)")
                continue
            }
            var expectedStatus = example.status ?? 0
            if let comment, let status = ReadmeFile.exitStatus(inComment: comment) {
                expectedStatus = status
            }

            let result = try CLIBinary.run(binary, arguments: Array(words.dropFirst()), redisURL: server.url)
            let context = "README.md:\(example.line): $ \(example.command)"
            #expect(result.stdoutLines == example.stdout, "\(context)\nstderr: \(result.stderr)")
            #expect(result.status == expectedStatus, "\(context)\nstderr: \(result.stderr)")
            if let stderr = example.stderr {
                #expect(result.stderr.trimmingCharacters(in: .newlines) == stderr, "\(context)")
            }
        }
    }

    /// The README's Swift example, with the test server's URL (its key is not a
    /// `readme:` key, which the console examples delete while this runs).
    @Test("the Swift example of README.md works as shown")
    func swiftExample() throws {
        let tel = RedisDict<String, Int>(try RedisConnection(url: RedisServer.shared.url), key: "readme-swift:tel")
        try tel.set(4098, for: "jack")
        #expect(try tel.get("jack") == 4098)
        try tel.clear()
        let squares = RedisList<Int>(tel.connection, key: "readme-swift:squares")
        try squares.extend([1, 4, 9, 16, 25])
        #expect(try squares.elements(in: ListSlice(start: 1, stop: -1, step: 2)) == [4, 16])
        let letters = try RedisDeque<String>(squares.connection, key: "readme-swift:letters", maxlen: 3)
        try letters.extend(["a", "b", "c"])
        try letters.appendLeft("z")
        try letters.rotate(-1)
        #expect(try letters.toArray() == ["a", "b", "z"])
        try squares.clear()
        try letters.clear()
    }

    @Test("the shell-like splitter reads quotes and comments as bash does")
    func splitter() throws {
        #expect(try ShellWords.split("pottery-cli dict set readme:tel jack 4098").words
            == ["pottery-cli", "dict", "set", "readme:tel", "jack", "4098"])
        #expect(try ShellWords.split(#"a 'b c' "d \"e\" \$f" g\ h '' "" x'y'"z""#).words
            == ["a", "b c", #"d "e" $f"#, "g h", "", "", "xyz"])
        #expect(try ShellWords.split(#"a '{"k": [1, 2]}'"#).words == ["a", #"{"k": [1, 2]}"#])
        let commented = try ShellWords.split("a b  # exit 1")
        #expect(commented.words == ["a", "b"])
        #expect(commented.comment == "exit 1")
        #expect(try ShellWords.split("a#b").words == ["a#b"])
        #expect(ReadmeFile.exitStatus(inComment: "exit 4") == 4)
        #expect(ReadmeFile.exitStatus(inComment: "exit 4: a hash, not a set") == 4)
        #expect(ReadmeFile.exitStatus(inComment: "prints nothing") == nil)
        for unsupported in ["a | jq .", "a > f", "a; b", "a && b", "echo $HOME", "a 'unclosed", "a *", "a $(b)", #"a "$X""#] {
            #expect(throws: ShellWords.Unsupported.self, "\(unsupported)") { try ShellWords.split(unsupported) }
        }
    }

    @Test("README console blocks are parsed into commands, output, exit status and stderr")
    func parser() throws {
        let text = """
            Intro
            ```console
            $ pottery-cli dict get readme:x a
            1
            $ pottery-cli dict get readme:x b  # exit 1
            # stderr: {"error": {}}
            ```
            ```sh
            $ pottery-cli not an example
            ```
            ```console
            $ pottery-cli set len readme:s
            # exit 0
            0
            ```
            """
        let examples = try ReadmeFile.examples(in: text)
        #expect(examples.map(\.command) == ["pottery-cli dict get readme:x a", "pottery-cli dict get readme:x b  # exit 1", "pottery-cli set len readme:s"])
        #expect(examples.map(\.stdout) == [["1"], [], ["0"]])
        #expect(examples.map(\.stderr) == [nil, #"{"error": {}}"#, nil])
        #expect(examples.map(\.status) == [nil, nil, 0])
        #expect(examples.map(\.line) == [3, 5, 12])
    }

    /// Deletes every key whose name contains `readme:` (also `redlock:readme:...`).
    private func deleteReadmeKeys(_ connection: RedisConnection) throws {
        var command = RedisCommand("EVAL")
        command.append("for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end return 0")
        command.append("0")
        command.append("*readme:*")
        try connection.send(command)
    }
}

/// One `$ pottery-cli ...` line of README.md and what it should print.
private struct ReadmeExample: Equatable {
    /// The command line, without `$ `.
    var command: String
    /// Its 1-based line number in the file.
    var line: Int
    /// The lines it prints on stdout.
    var stdout: [String] = []
    /// Its exit status from a `# exit N` line, if any.
    var status: Int32?
    /// Its exact stderr from a `# stderr: TEXT` line, if any.
    var stderr: String?
}

private enum ReadmeFile {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    /// The README.md of this package: the first one found walking up from this file.
    static func locate(from file: String = #filePath) throws -> String {
        var directory = URL(fileURLWithPath: file).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("README.md").path
            let manifest = directory.appendingPathComponent("Package.swift").path
            if FileManager.default.fileExists(atPath: candidate), FileManager.default.fileExists(atPath: manifest) {
                return candidate
            }
            directory = directory.deletingLastPathComponent()
        }
        throw Malformed(description: "no README.md next to a Package.swift above \(file)")
    }

    /// The examples of every fenced block tagged `console`, in file order.
    static func examples(in text: String) throws -> [ReadmeExample] {
        var examples: [ReadmeExample] = []
        var fence: String?  // the opening fence of the block we are in
        var inConsole = false
        var current: ReadmeExample?

        func finish() {
            if let example = current { examples.append(example) }
            current = nil
        }

        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine)
            let lineNumber = index + 1
            let trimmed = line.drop(while: { $0 == " " })
            if let open = fence {
                if trimmed.hasPrefix(open), trimmed.drop(while: { $0 == open.first }).allSatisfy(\.isWhitespace) {
                    finish()
                    fence = nil
                    inConsole = false
                    continue
                }
            } else if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                let marker = String(trimmed.prefix(while: { $0 == trimmed.first }))
                fence = marker
                let info = trimmed.dropFirst(marker.count).trimmingCharacters(in: .whitespaces)
                inConsole = info.split(separator: " ").first.map(String.init) == "console"
                continue
            }
            guard fence != nil, inConsole else { continue }

            if line.hasPrefix("$ ") {
                finish()
                current = ReadmeExample(command: String(line.dropFirst(2)), line: lineNumber)
            } else if current == nil {
                if !line.trimmingCharacters(in: .whitespaces).isEmpty {
                    throw Malformed(description: "README.md:\(lineNumber): output before any `$ ` command in a console block")
                }
            } else if line.hasPrefix("# stderr: ") {
                current?.stderr = String(line.dropFirst("# stderr: ".count))
            } else if line.hasPrefix("# ") {
                if let status = exitStatus(inComment: String(line.dropFirst(2))) {
                    current?.status = status
                }
            } else {
                current?.stdout.append(line)
            }
        }
        if fence != nil { throw Malformed(description: "README.md: a fenced block is not closed") }
        return examples
    }

    /// N in a comment `exit N`, possibly followed by an explanation (`exit 4: why`).
    static func exitStatus(inComment comment: String) -> Int32? {
        let words = comment.split(separator: " ")
        guard words.count >= 2, words[0] == "exit" else { return nil }
        return Int32(words[1].trimmingCharacters(in: CharacterSet(charactersIn: ":,;.")))
    }
}

/// Splits a command line into words as a POSIX shell would, for the subset a
/// README example may use: plain words, single quotes, double quotes (with
/// `\"`, `\\`, `\$` and `` \` `` escapes), backslash escapes and a trailing
/// `# comment`. Anything the shell would expand or redirect is refused, so
/// that an example that passes here behaves the same when pasted into bash.
private enum ShellWords {
    struct Unsupported: Error, CustomStringConvertible {
        let description: String
    }

    static func split(_ line: String) throws -> (words: [String], comment: String?) {
        var words: [String] = []
        var word = ""
        var inWord = false
        var characters = Array(line)[...]

        func endWord() {
            if inWord { words.append(word) }
            word = ""
            inWord = false
        }

        while let character = characters.popFirst() {
            switch character {
            case " ", "\t":
                endWord()
            case "#" where !inWord:
                endWord()
                let comment = String(characters).trimmingCharacters(in: .whitespaces)
                return (words, comment)
            case "'":
                inWord = true
                guard let end = characters.firstIndex(of: "'") else {
                    throw Unsupported(description: "unclosed single quote in: \(line)")
                }
                word += String(characters[..<end])
                characters = characters[(end + 1)...]
            case "\"":
                inWord = true
                var closed = false
                while let inner = characters.popFirst() {
                    if inner == "\"" {
                        closed = true
                        break
                    }
                    if inner == "\\", let next = characters.first, "\"\\$`".contains(next) {
                        word.append(characters.removeFirst())
                    } else if inner == "$" || inner == "`" {
                        throw Unsupported(description: "expansion inside double quotes in: \(line)")
                    } else {
                        word.append(inner)
                    }
                }
                if !closed { throw Unsupported(description: "unclosed double quote in: \(line)") }
            case "\\":
                inWord = true
                guard let next = characters.popFirst() else {
                    throw Unsupported(description: "line continuation in: \(line)")
                }
                word.append(next)
            case "|", "&", ";", "<", ">", "(", ")", "$", "`", "*", "?", "[", "{", "}":
                throw Unsupported(description: "unquoted `\(character)` (the shell would interpret it) in: \(line)")
            case "~" where !inWord:
                throw Unsupported(description: "unquoted `~` (the shell would expand it) in: \(line)")
            default:
                inWord = true
                word.append(character)
            }
        }
        endWord()
        return (words, nil)
    }
}

/// The pottery-cli built next to the tests.
private enum CLIBinary {
    struct Result {
        var stdout: String
        var stderr: String
        var status: Int32

        /// stdout split into lines (a final newline ends the last line).
        var stdoutLines: [String] {
            var text = Substring(stdout)
            if text.isEmpty { return [] }
            if text.hasSuffix("\n") { text = text.dropLast() }
            return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
    }

    struct TimedOut: Error, CustomStringConvertible {
        let description: String
    }

    /// `$POTTERY_CLI`, else `pottery-cli` in the directory of the running test binary.
    static var path: String? {
        if let path = ProcessInfo.processInfo.environment["POTTERY_CLI"], !path.isEmpty {
            return path
        }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        // A test bundle directory (macOS-style `.xctest/Contents/MacOS`) sits below the bin dir.
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("pottery-cli").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    /// Runs the CLI with `REDIS_URL` set to `redisURL` and no other Redis
    /// settings from the environment; gives up after `timeout` seconds.
    static func run(_ binary: String, arguments: [String], redisURL: String, timeout: Double = 30) throws -> Result {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("pottery-readme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outputURL = directory.appendingPathComponent("stdout")
        let errorURL = directory.appendingPathComponent("stderr")
        try Data().write(to: outputURL)
        try Data().write(to: errorURL)
        let output = try FileHandle(forWritingTo: outputURL)
        let error = try FileHandle(forWritingTo: errorURL)
        defer {
            try? output.close()
            try? error.close()
        }

        var environment = ProcessInfo.processInfo.environment
        for name in ["POTTERY_MASTERS", "REDISCLI_AUTH"] { environment[name] = nil }
        environment["REDIS_URL"] = redisURL

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = error
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        if done.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw TimedOut(description: "pottery-cli \(arguments.joined(separator: " ")) ran longer than \(timeout) s")
        }
        process.waitUntilExit()
        return Result(
            stdout: String(decoding: try Data(contentsOf: outputURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self),
            status: process.terminationStatus
        )
    }
}

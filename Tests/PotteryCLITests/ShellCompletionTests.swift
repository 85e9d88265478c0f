@testable import pottery_cli
import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// The committed completion scripts, run by bash, zsh and fish themselves:
/// for the same partial command lines the three shells offer the same words,
/// and those are what the verb table says. Where a verb takes KEY they offer
/// the server's keys, and a dead or frozen server costs a fraction of a second.
@Suite struct ShellCompletionTests {
    static let committed = ShellCompletion.Setup(
        bash: GeneratedDocsTests.file(.bash),
        zshDirectory: URL(fileURLWithPath: GeneratedDocsTests.file(.zsh)).deletingLastPathComponent().path,
        fish: GeneratedDocsTests.file(.fish),
        redisURL: deadServerURL)

    static let commands = VerbTable.structures.map(\.name) + VerbTable.operators.map(\.name) + ["help"]
    static let globals = GlobalOptions.specs.map { "--" + $0.name }

    static func verbs(_ structure: String) -> [String] {
        VerbTable.structure(named: structure)!.verbs.map(\.name)
    }

    static func options(_ path: String) -> [String] {
        let words = path.split(separator: " ").map(String.init)
        let verb = words.count == 2 ? VerbTable.structure(named: words[0])!.verb(named: words[1])! : VerbTable.operator(named: path)!
        return globals + verb.options.map { "--" + $0.name }
    }

    /// Asks all three shells about each line; each must give `expected` (as a set).
    private func expectAllShells(_ cases: [(line: String, expected: [String])], _ setup: ShellCompletion.Setup,
                                 bashExpected: (String, [String]) -> [String] = { $1 }) throws {
        let zsh = try ShellCompletion.zsh(cases.map(\.line), setup)
        for (index, test) in cases.enumerated() {
            let expected = test.expected.sorted()
            #expect(try ShellCompletion.bash(test.line, setup) == bashExpected(test.line, expected).sorted(),
                    "bash: \(test.line)")
            #expect(try ShellCompletion.fish(test.line, setup) == expected, "fish: \(test.line)")
            #expect(index < zsh.count && zsh[index] == expected, "zsh: \(test.line): \(index < zsh.count ? zsh[index] : [])")
        }
    }

    @Test func theShellsCompleteStructuresVerbsAndOptionsAlike() throws {
        var cases: [(line: String, expected: [String])] = [
            ("pottery-cli ", Self.commands),
            ("pottery-cli di", ["dict"]),
            ("pottery-cli se", ["semaphore", "set"]),
            ("pottery-cli help ", Self.commands.filter { $0 != "help" }),
            ("pottery-cli help dict ", Self.verbs("dict")),
            ("pottery-cli dict g", ["get"]),
            ("pottery-cli --pretty dict g", ["get"]),
            ("pottery-cli --url redis://h:1/0 dict g", ["get"]),
            ("pottery-cli --url=redis://h:1/0 set contains", ["contains", "contains-many"]),
            ("pottery-cli --", Self.globals),
            ("pottery-cli --p", ["--password-file", "--pretty"]),
            ("pottery-cli dict get k --", Self.options("dict get")),
            ("pottery-cli lock acquire k --", Self.options("lock acquire")),
            ("pottery-cli nextid k --", Self.options("nextid")),
            ("pottery-cli queue get k --no", ["--no-wait"]),
            // KEY with no server to ask, and the arguments after it: nothing.
            ("pottery-cli dict get ", []),
            ("pottery-cli dict get k ", []),
        ]
        cases += VerbTable.structures.map { ("pottery-cli \($0.name) ", Self.verbs($0.name)) }
        try expectAllShells(cases, Self.committed)
    }

    /// The value of an option whose placeholder is FILE is a file name (the
    /// one kind of option value that is not free text).
    @Test func passwordFileCompletesFileNames() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pottery-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("pw\n".utf8).write(to: directory.appendingPathComponent("password.txt"))
        try Data().write(to: directory.appendingPathComponent("other"))
        let line = "pottery-cli --password-file \(directory.path)/pa"
        let setup = Self.committed
        let name = { (path: String) in String(path.split(separator: "/").last ?? "") }
        #expect(try ShellCompletion.bash(line, setup).map(name) == ["password.txt"])
        #expect(try ShellCompletion.fish(line, setup).map(name) == ["password.txt"])
        #expect(try ShellCompletion.zsh(line, setup).map(name) == ["password.txt"])
    }

    // MARK: - Keys

    /// bash is given the key's text after its last `:` or `=` (readline
    /// keeps the rest on the line); the other shells the whole key.
    private static func bashReplies(_ line: String, _ keys: [String]) -> [String] {
        let word = String(line.split(separator: " ", omittingEmptySubsequences: false).last ?? "")
        guard let last = word.lastIndex(where: { $0 == ":" || $0 == "=" }) else { return keys }
        let head = word[...last]
        return keys.map { $0.hasPrefix(head) ? String($0.dropFirst(head.count)) : $0 }
    }

    @Test func verbsThatTakeKeyCompleteTheServersKeys() throws {
        let prefix = uniqueKey("complete") + ":"
        let keys = [prefix + "alpha", prefix + "beta", prefix + "x=y"]
        for key in keys { try Raw.send("SET", key, "1") }
        try Raw.send("SET", prefix.dropLast() + "-elsewhere", "1")
        defer { for key in keys { _ = try? Raw.send("DEL", key) } }
        let url = RedisServer.shared.url
        var setup = Self.committed
        try expectAllShells([
            ("pottery-cli --url \(url) dict get \(prefix)", keys),
            ("pottery-cli --url=\(url) --pretty set members \(prefix)a", [prefix + "alpha"]),
            ("pottery-cli --url \(url) inspect \(prefix)x=", [prefix + "x=y"]),
            ("pottery-cli --url \(url) nextid \(prefix)b", [prefix + "beta"]),
            // Not a KEY: the field after it, an option's value, help's words.
            ("pottery-cli --url \(url) dict get \(prefix)alpha ", []),
            ("pottery-cli --url \(url) help \(prefix)", []),
        ], setup, bashExpected: Self.bashReplies)
        // The server of $REDIS_URL when the line names none.
        setup.redisURL = url
        try expectAllShells([("pottery-cli counter get \(prefix)", keys)], setup, bashExpected: Self.bashReplies)
    }

    @Test func completeKeysListsAtMostAHundredAndEscapesGlobs() throws {
        let prefix = uniqueKey("cap") + ":"
        var command = RedisCommand("MSET")
        for index in 0..<150 {
            command.append(prefix + String(index))
            command.append("1")
        }
        command.append(prefix + "a*b")
        command.append("1")
        command.append(prefix + "aXb")
        command.append("1")
        try Raw.connection.send(command)
        defer {
            var delete = RedisCommand("DEL")
            for index in 0..<150 { delete.append(prefix + String(index)) }
            delete.append(prefix + "a*b")
            delete.append(prefix + "aXb")
            _ = try? Raw.connection.send(delete)
        }
        let url = RedisServer.shared.url
        let many = try CLI.run([CompleteKeysCommand.name, prefix, "pottery-cli", "--url", url, "dict", "get", prefix], url: nil)
        let listed = many.out.split(separator: "\n").map(String.init)
        #expect(many.status == 0 && many.stderr.isEmpty, "\(many)")
        #expect(listed.count == CompleteKeysCommand.limit && Set(listed).count == listed.count)
        #expect(listed.allSatisfy { $0.hasPrefix(prefix) })

        let glob = try CLI.run([CompleteKeysCommand.name, prefix + "a*"], url: url)
        #expect(glob.out == prefix + "a*b\n", "\(glob)")
        // The last --url wins; quotes around it are dropped; nothing after -- is read.
        let quoted = try CLI.run([CompleteKeysCommand.name, prefix + "a*", "x", "--url", deadServerURL, "--url=\"\(url)\"",
                                  "--", "--url", deadServerURL], url: nil)
        #expect(quoted.out == prefix + "a*b\n", "\(quoted)")
    }

    @Test func completeKeysUsesThePasswordFile() throws {
        let server = try RedisServer(config: ["requirepass s3cret"])
        defer { server.stop() }
        try Self.set("guarded", on: try RedisConnection(url: "redis://:s3cret@127.0.0.1:\(server.port)/0"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pottery-pw-\(UUID().uuidString)")
        try Data("s3cret\n".utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        defer { try? FileManager.default.removeItem(at: file) }
        let allowed = try CLI.run([CompleteKeysCommand.name, "gua", "pottery-cli", "--password-file", file.path], url: server.url)
        #expect(allowed.status == 0 && allowed.out == "guarded\n" && allowed.stderr.isEmpty, "\(allowed)")
        let refused = try CLI.run([CompleteKeysCommand.name, "gua", "pottery-cli"], url: server.url)
        #expect(refused.status == 1 && refused.stdout.isEmpty && refused.stderr.isEmpty, "\(refused)")
    }

    private static func set(_ key: String, on connection: RedisConnection) throws {
        var command = RedisCommand("SET")
        command.append(key)
        command.append("1")
        try connection.send(command)
    }

    // MARK: - A server that does not answer

    /// Generous for a loaded 2-core machine; the budget is 0.3 s.
    static let bound: Duration = .seconds(3)

    @Test func deadOrBadServersCompleteNothingQuicklyAndSilently() throws {
        let listener = try UnansweredListener()
        for url in [deadServerURL, "redis://127.0.0.1:\(listener.port)/0", "nonsense://x"] {
            let result = try CLI.run([CompleteKeysCommand.name, "", "pottery-cli", "--url", url], url: nil)
            #expect(result.status == 1 && result.stdout.isEmpty && result.stderr.isEmpty, "\(url): \(result)")
            #expect(result.elapsed < Self.bound, "\(url): \(result.elapsed)")
        }
        let missing = try CLI.run([CompleteKeysCommand.name], url: nil)
        #expect(missing.status == 1 && missing.stdout.isEmpty && missing.stderr.isEmpty, "\(missing)")
    }

    @Test func aFrozenServerNeverMakesTheShellHang() throws {
        let server = try RedisServer()
        defer {
            server.thaw()
            server.stop()
        }
        try Self.set("frozen:key", on: server.connection())
        var setup = Self.committed
        setup.redisURL = server.url
        #expect(try ShellCompletion.bash("pottery-cli inspect fro", setup) == ["frozen:key"])
        server.freeze()
        let clock = ContinuousClock()
        let direct = try CLI.run([CompleteKeysCommand.name, "fro"], url: server.url)
        #expect(direct.status == 1 && direct.stdout.isEmpty && direct.elapsed < Self.bound, "\(direct)")
        var started = clock.now
        #expect(try ShellCompletion.bash("pottery-cli inspect fro", setup) == [])
        #expect(clock.now - started < Self.bound)
        started = clock.now
        #expect(try ShellCompletion.fish("pottery-cli inspect fro", setup) == [])
        #expect(clock.now - started < Self.bound)
    }
}

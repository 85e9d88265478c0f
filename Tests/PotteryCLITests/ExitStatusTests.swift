import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// Exit statuses 0-4, each failure with one JSON error object on stderr and nothing on stdout.
@Suite struct ExitStatusTests {
    @Test func zeroAndOne() throws {
        let key = uniqueKey()
        let done = try CLI.run(["set", "add", key, "a"])
        #expect(done.status == 0 && done.stderr.isEmpty)
        let missing = try CLI.run(["set", "remove", key, "b"])
        #expect(missing.status == 1 && missing.stdout.isEmpty)
        #expect(missing.error?.type == "KeyError")
    }

    @Test func serverDownIsThreeAndFast() throws {
        let result = try CLI.run(["dict", "len", "k"], url: deadServerURL)
        #expect(result.status == 3, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.error?.type == "ConnectionError")
        #expect(result.elapsed < .seconds(2))
    }

    @Test func wrongPasswordIsThreeAndNeverPrinted() throws {
        let server = try RedisServer(config: ["requirepass right-pass"])
        let key = uniqueKey()
        let wrongURL = "redis://:wrong-pass@127.0.0.1:\(server.port)/0"
        let wrong = try CLI.run(["dict", "len", key], url: wrongURL)
        #expect(wrong.status == 3, "\(wrong)")
        #expect(wrong.error?.type == "AuthenticationError")
        #expect(wrong.stdout.isEmpty)
        #expect(!wrong.err.contains("wrong-pass"))
        #expect(!wrong.err.contains("right-pass"))
        #expect(wrong.err.contains("***"))

        let none = try CLI.run(["dict", "len", key], url: server.url)
        #expect(none.status == 3 && none.error?.type == "AuthenticationError", "\(none)")

        // --password-file (trailing newline dropped) and $REDISCLI_AUTH apply when the URL has none.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pw-\(UUID().uuidString)")
        try "right-pass\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let fromFile = try CLI.run(["--password-file", file.path, "dict", "len", key], url: server.url)
        #expect(fromFile.status == 0 && fromFile.json == 0, "\(fromFile)")
        let fromEnv = try CLI.run(["dict", "len", key], url: server.url, environment: ["REDISCLI_AUTH": "right-pass"])
        #expect(fromEnv.status == 0, "\(fromEnv)")
        // The URL's password comes first.
        let urlFirst = try CLI.run(["--password-file", file.path, "dict", "len", key], url: wrongURL)
        #expect(urlFirst.status == 3)
        let wrongEnv = try CLI.run(["dict", "len", key], url: server.url, environment: ["REDISCLI_AUTH": "nope-pass"])
        #expect(wrongEnv.status == 3 && !wrongEnv.err.contains("nope-pass"), "\(wrongEnv)")
        // A URL that does not parse is a usage error, its password masked too.
        let malformed = try CLI.run(["dict", "len", key, "--url", "redis://:hunter2@127.0.0.1:port/0"])
        #expect(malformed.status == 2 && malformed.error?.type == "InvalidURL", "\(malformed)")
        #expect(!malformed.err.contains("hunter2"))
    }

    @Test func ioTimeoutIsThree() throws {
        let server = try RedisServer()
        // The server accepts connections but answers no command for 1.5 s.
        var pause = RedisCommand("CLIENT")
        for word in ["PAUSE", "1500", "ALL"] { pause.append(word) }
        try server.connection().send(pause)
        let result = try CLI.run(["--io-timeout", "0.2", "dict", "len", "k"], url: server.url)
        #expect(result.status == 3, "\(result)")
        #expect(result.error?.type == "TimeoutError")
        #expect(result.stdout.isEmpty)
        #expect(result.elapsed < .milliseconds(1200))
    }

    @Test func wrongTypeIsFour() throws {
        let key = uniqueKey()
        try Raw.send("SET", key, "plain")
        for arguments in [["dict", "get", key, "f"], ["dict", "set", key, "f", "1"], ["set", "add", key, "1"],
                          ["set", "members", key], ["dict", "items", key]] {
            let result = try CLI.run(arguments)
            #expect(result.status == 4, "\(arguments): \(result)")
            #expect(result.error?.type == "WrongTypeError")
            #expect(result.error?.key == .string(key))
        }
        // A listing that fails before its first element prints nothing on stdout.
        for verb in [["dict", "keys"], ["dict", "values"], ["dict", "items"], ["set", "members"]] {
            let listing = try CLI.run(verb + [key])
            #expect(listing.status == 4 && listing.stdout.isEmpty, "\(verb): \(listing)")
        }
    }

    @Test func storedBytesThatAreNotJSONAreFourNamingTheKey() throws {
        let key = uniqueKey()
        try Raw.send("HSET", key, "\"ok\"", "not json")
        let result = try CLI.run(["dict", "get", key, "ok"])
        #expect(result.status == 4, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.error?.type == "JSONDecodeError")
        #expect(result.error?.key == .string(key))
        #expect(result.error?.message.contains("not json") == true)

        let set = uniqueKey()
        try Raw.send("SADD", set, "{bad")
        let pop = try CLI.run(["set", "pop", set])
        #expect(pop.status == 4 && pop.error?.type == "JSONDecodeError" && pop.stdout.isEmpty, "\(pop)")
    }

    /// A listing that meets bad data after it began still closes its array.
    @Test(arguments: ["dict items", "dict keys", "dict values", "set members"])
    func badDataMidStreamClosesTheArray(command: String) throws {
        let key = uniqueKey()
        let words = command.split(separator: " ").map(String.init)
        if words[0] == "dict" {
            try Raw.send("HSET", arguments: [key] + (0..<5000).flatMap { [String($0), String($0)] } + ["garbage", "1"])
        } else {
            try Raw.send("SADD", arguments: [key] + (0..<5000).map(String.init) + ["garbage"])
        }
        // Only when SCAN happens to return the bad item first has no output begun.
        let scan = try Raw.send(words[0] == "dict" ? "HSCAN" : "SSCAN", key, "0", "COUNT", "1000")
        let badFirst = scan.array?[1].array?.first.map(Raw.text) == "garbage"
        let result = try CLI.run(words + [key])
        #expect(result.status == 4, "\(result)")
        #expect(result.error?.type == "JSONDecodeError")
        #expect(result.error?.key == .string(key))
        if badFirst {
            #expect(result.stdout.isEmpty, "\(result)")
            return
        }
        let array = try #require(result.json?.arrayValue, "stdout must be a closed JSON array: \(result)")
        #expect(!array.isEmpty && array.count < 5001)
        let pretty = try CLI.run(words + [key, "--pretty"])
        #expect(pretty.status == 4 && pretty.json?.arrayValue != nil)
    }
}

@Suite struct WrongTypeNamesTheRightKeyTests {
    @Test(arguments: [
        ["dict", "del", "STR", "a"], ["dict", "pop", "STR", "a"], ["dict", "setdefault", "STR", "a"],
        ["set", "symmetric-difference", "SET", "STR"], ["set", "union", "SET", "STR"],
        ["set", "intersection", "SET", "STR"], ["set", "isdisjoint", "SET", "STR"], ["set", "issubset", "SET", "STR"],
        ["set", "update", "SET", "STR"], ["set", "difference-update", "SET", "STR"],
    ])
    func theKeyHoldingAnotherTypeIsNamed(_ template: [String]) throws {
        let (string, set) = (uniqueKey(), uniqueKey())
        try Raw.send("SET", string, "plain")
        try Raw.send("SADD", set, "\"a\"")
        let arguments = template.map { $0 == "STR" ? string : $0 == "SET" ? set : $0 }
        let result = try CLI.run(arguments)
        #expect(result.status == 4, "\(arguments): \(result)")
        #expect(result.error?.type == "WrongTypeError")
        #expect(result.error?.key == .string(string), "\(arguments): \(result)")
        #expect(result.error?.message.contains("EXEC") == false)
    }
}

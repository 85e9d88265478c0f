import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// Global options anywhere before `--`, last one wins, usage errors before any I/O.
@Suite struct OptionParsingTests {
    @Test func optionsMayStandAnywhereBeforeTheTerminator() throws {
        let key = uniqueKey()
        let url = RedisServer.shared.url
        for arguments in [
            ["--url", url, "dict", "set", key, "a", "1"],
            ["dict", "--url", url, "set", key, "a", "1"],
            ["dict", "set", "--url=\(url)", key, "a", "1"],
            ["dict", "set", key, "a", "1", "--url", url],
        ] {
            let result = try CLI.run(arguments, url: deadServerURL)
            #expect(result.status == 0, "\(arguments): \(result)")
        }
        let afterTerminator = try CLI.run(["dict", "set", key, "b", "--", "--url"])
        #expect(afterTerminator.status == 0, "\(afterTerminator)")
        #expect(try Raw.hget(key, "\"b\"") == "\"--url\"")
    }

    @Test func lastSingleValuedOptionWins() throws {
        let key = uniqueKey()
        let result = try CLI.run(["--url", deadServerURL, "dict", "len", key, "--url", RedisServer.shared.url])
        #expect(result.status == 0 && result.json == 0, "\(result)")
        let reversed = try CLI.run(["--url", RedisServer.shared.url, "dict", "len", key, "--url", deadServerURL])
        #expect(reversed.status == 3, "\(reversed)")
        let defaults = try CLI.run(["dict", "get", key, "f", "--default", "1", "--default", "2"])
        #expect(defaults.json == 2)
        let timeouts = try CLI.run(["--io-timeout", "nope", "--io-timeout", "2", "dict", "len", key])
        #expect(timeouts.status == 0, "\(timeouts)")
    }

    @Test func environmentURLIsTheDefault() throws {
        let key = uniqueKey()
        #expect(try CLI.run(["dict", "len", key], url: RedisServer.shared.url).status == 0)
        let unixURL = try CLI.run(["dict", "len", key], url: RedisServer.shared.unixURL)
        #expect(unixURL.status == 0, "\(unixURL)")
        let dead = try CLI.run(["dict", "len", key], url: deadServerURL)
        #expect(dead.status == 3 && dead.error?.type == "ConnectionError", "\(dead)")
    }

    @Test func masterAccumulatesAndIsChecked() throws {
        let key = uniqueKey()
        let ok = try CLI.run(["--master", "redis://a:1", "--master", "redis://b:2", "dict", "len", key])
        #expect(ok.status == 0, "\(ok)")
        let bad = try CLI.run(["--master", "redis://a:1", "--master", "nope", "dict", "len", key])
        #expect(bad.status == 2 && bad.error?.type == "InvalidURL", "\(bad)")
    }

    /// Every usage error exits 2 with nothing on stdout, before any connection:
    /// the URL refuses connections, so an attempt would exit 3.
    @Test(arguments: [
        [], ["nosuch"], ["list", "get", "k", "one"], ["deque", "rotate", "k", "1:2"], ["dict"], ["dict", "nosuch", "k"], ["dict", "get"],
        ["dict", "get", "k"], ["dict", "len", "k", "extra"], ["dict", "len", "k", "--default", "1"],
        ["dict", "len", "k", "--nosuch"], ["dict", "len", "k", "-z"], ["dict", "get", "k", "f", "--default"],
        ["dict", "len", "k", "--pretty=yes"], ["set", "issubset", "k"], ["set", "issubset", "k", "a", "b"],
        ["set", "add", "k"], ["keys", "a", "b"], ["inspect"], ["help", "nosuch"], ["help", "dict", "nosuch"],
        ["help", "dict", "get", "more"], ["--connect-timeout", "0", "dict", "len", "k"],
        ["--io-timeout", "-1", "dict", "len", "k"], ["--url", "http://x", "dict", "len", "k"],
        ["--password-file", "/nonexistent/pw", "dict", "len", "k"],
    ])
    func usageErrorsNeverConnect(arguments: [String]) throws {
        let result = try CLI.run(arguments, url: deadServerURL)
        #expect(result.status == 2, "\(arguments): \(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.error != nil, "\(result)")
        // The command line's KEY (here `k`) once given, else null (ContractAudit3Tests).
        #expect(result.error?.key == .null || (result.error?.key == .string("k") && arguments.contains("k")), "\(result)")
    }

    /// The same, counted on a live server: no connection arrives.
    @Test func usageErrorsOpenNoSocket() throws {
        let server = try RedisServer()
        let probe = server.connection()
        func connections() throws -> Int {
            let info = String(decoding: try probe.send(RedisCommand("INFO", key: "stats")).bytes ?? [], as: UTF8.self)
            let line = try #require(info.split(whereSeparator: \.isNewline).first { $0.hasPrefix("total_connections_received:") })
            return try #require(Int(line.split(separator: ":")[1]))
        }
        let before = try connections()
        for arguments in [["dict", "get", "k"], ["--json", "set", "add", "k", "x"], ["dict", "nosuch", "k"]] {
            #expect(try CLI.run(arguments, url: server.url).status == 2)
        }
        #expect(try connections() == before)
        #expect(try CLI.run(["dict", "len", "k"], url: server.url).status == 0)
        #expect(try connections() == before + 1)
    }
}

@Suite struct EmptyKeyTests {
    @Test(arguments: [["dict", "set", "", "f", "v"], ["set", "add", "", "x"], ["set", "union", "s", ""], ["inspect", ""]])
    func anEmptyKeyIsAUsageError(_ arguments: [String]) throws {
        let result = try CLI.run(arguments, url: deadServerURL)
        #expect(result.status == 2, "\(result)")
        #expect(result.error?.message.contains("empty") == true, "\(result)")
    }

    @Test func anEmptyPatternIsAllowed() throws {
        #expect(try CLI.run(["keys", ""]).status == 0)
    }
}

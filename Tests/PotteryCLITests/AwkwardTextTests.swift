import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// Keys and elements with spaces, newlines, quotes, `%`, shell metacharacters,
/// leading dashes and astral-plane characters survive unchanged end to end, in
/// every structure: the Redis key is exactly the bytes given, and what is read
/// back is what was written.
@Suite struct AwkwardTextTests {
    static let texts = [
        "with space", "new\nline", "tab\there", "quote\"s and 'single'", "100%d %s %n %%", "back\\slash",
        "$(touch /tmp/pwned) `id` ;|&><*?[]{}~#!", "astral 😀𝄞 é e\u{301}", "-dash", "--looks-like-an-option", "null",
    ]

    /// A key made of `text`, unique to this run.
    func key(_ text: String) -> String { "\(text) \(UUID().uuidString.prefix(6))" }

    func exists(_ key: String) throws -> Bool { try Raw.send("EXISTS", key) == .integer(1) }

    func run(_ arguments: [String]) throws -> CLIResult {
        // `--` ends the options, so keys and elements that start with `-` are arguments.
        let result = try CLI.run(["--strings"] + arguments)
        #expect(result.status == 0 || result.status == 1, "\(arguments): \(result)")
        return result
    }

    var strings: JSONValue { .array(Self.texts.map(JSONValue.string)) }

    @Test func containersKeepEveryByte() throws {
        let texts = Self.texts
        for text in texts {
            let dict = key(text), set = key(text), list = key(text), deque = key(text), counter = key(text), queue = key(text)
            #expect(try run(["dict", "set", "--", dict, text, text]).status == 0)
            #expect(try run(["dict", "get", "--", dict, text]).json == .string(text))
            #expect(try run(["set", "add", "--", set] + texts).status == 0)
            #expect(try run(["set", "contains", "--", set, text]).status == 0)
            #expect(try run(["list", "extend", "--", list] + texts).json == .null)
            #expect(try run(["list", "items", "--", list]).json == strings)
            #expect(try run(["deque", "appendleft", "--", deque, text]).status == 0)
            #expect(try run(["deque", "popleft", "--", deque]).json == .string(text))
            #expect(try run(["counter", "update", "--", counter, text, text]).status == 0)
            #expect(try run(["counter", "get", "--", counter, text]).json == 2)
            #expect(try run(["queue", "put", "--", queue, text]).status == 0)
            #expect(try run(["queue", "get", "--no-wait", "--", queue]).json == .string(text))
            for made in [dict, set, list, counter] { #expect(try exists(made), "\(made)") }
            for made in [dict, set, list, deque, counter, queue] { try Raw.send("DEL", made) }
        }
    }

    @Test func probabilisticStructuresKeepEveryByte() throws {
        let sizing = ["--num-elements", "1000", "--false-positives", "0.01"]
        for text in Self.texts {
            let bloom = key(text), hll = key(text)
            #expect(try run(["bloom", "add"] + sizing + ["--", bloom, text]).status == 0)
            #expect(try run(["bloom", "contains"] + sizing + ["--", bloom, text]).status == 0)
            #expect(try run(["hll", "add", "--", hll, text]).status == 0)
            #expect(try run(["hll", "contains", "--", hll, text]).status == 0)
            #expect(try exists(bloom) && exists(hll))
            for made in [bloom, hll, bloom + ":bloom-sizing"] { try Raw.send("DEL", made) }
        }
    }

    @Test func locksIDsAndSemaphoresUseTheKeyAsGiven() throws {
        for text in Self.texts {
            let name = key(text)
            let acquired = try run(["lock", "acquire", "--no-wait", "--", name])
            #expect(acquired.json?.objectValue?["key"] == .string(name), "\(acquired)")
            #expect(try exists("redlock:" + name))
            let token = acquired.json?.objectValue?["token"]?.stringValue ?? ""
            #expect(try run(["lock", "release", "--token", token, "--", name]).status == 0)
            #expect(try run(["nextid", "--", name]).json == 1)
            #expect(try Raw.send("GET", "nextid:" + name) == .bulk(Array("1".utf8)))
            let permit = try run(["semaphore", "acquire", "--limit", "1", "--no-wait", "--", name])
            #expect(permit.json?.objectValue?["acquired"] == true, "\(permit)")
            #expect(try exists("semaphore:{" + name + "}"))
            try Raw.send("DEL", "nextid:" + name)
            try Raw.send("DEL", "semaphore:{" + name + "}")
        }
    }
}

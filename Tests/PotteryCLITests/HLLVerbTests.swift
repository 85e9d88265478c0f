import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// Every `hll` verb end to end, stdin streaming, wrong types, and Python pottery on the same keys.
@Suite struct HLLVerbTests {
    @Test func addCountContainsMergeAndClear() throws {
        let (key, other) = (uniqueKey(), uniqueKey())
        #expect(try CLI.run(["hll", "count", key]).json == 0)
        let absent = try CLI.run(["hll", "contains", key, "a"])
        #expect(absent.status == 1 && absent.json == false)
        #expect(try Raw.type(key) == "none")
        let added = try CLI.run(["hll", "add", key, "a", "b", "1", "\"1\""])
        #expect(added.status == 0 && added.json == .null, "\(added)")
        #expect(try CLI.run(["hll", "count", key]).json == 4)
        #expect(try CLI.run(["hll", "contains", key, "b"]).status == 0)
        #expect(try CLI.run(["hll", "contains-many", key, "a", "z", "1", "\"1\"", "2"]).json == [true, false, true, true, false])
        #expect(try CLI.run(["hll", "add", other, "c", "a"]).status == 0)
        let merged = try CLI.run(["hll", "merge", key, other])
        #expect(merged.status == 0 && merged.json == .null, "\(merged)")
        #expect(try CLI.run(["hll", "count", key]).json == 5)
        let inspected = try CLI.run(["inspect", key]).json?.objectValue
        #expect(inspected?["kind"] == "HyperLogLog" && inspected?["length"] == 5)
        #expect(try CLI.run(["hll", "clear", key]).json == .null)
        #expect(try Raw.type(key) == "none")
        #expect(try CLI.run(["hll", "merge", key]).status == 2)
        #expect(try CLI.run(["hll", "add", key]).status == 2)
        try Raw.send("DEL", other)
    }

    @Test func stdinStreamsAllOrNothing() throws {
        let key = uniqueKey()
        let lines = (0..<20_000).map { "n\($0)" }
        #expect(try CLI.run(["hll", "add", key, "-"], stdin: lines.joined(separator: "\n")).status == 0)
        let count = try #require(try CLI.run(["hll", "count", key]).json?.intValue)
        #expect(abs(count - 20_000) < 400)
        let answers = try CLI.run(["hll", "contains-many", key, "-", "absent-element"], stdin: "n0\nn19999\n")
        #expect(answers.json == [true, true, false], "\(answers)")
        let bad = try CLI.run(["--json", "hll", "add", key, "-"], stdin: (lines.map { "\"x\($0)\"" } + ["nope"]).joined(separator: "\n"))
        #expect(bad.status == 2, "\(bad)")
        #expect(try CLI.run(["hll", "count", key]).json?.intValue == count)
        try Raw.send("DEL", key)
    }

    @Test func wrongTypesExitFourAndChangeNothing() throws {
        let (list, text, good) = (uniqueKey(), uniqueKey(), uniqueKey())
        try Raw.send("RPUSH", list, "x")
        try Raw.send("SET", text, "plain")
        try Raw.send("PFADD", good, "\"a\"")
        for key in [list, text] {
            // A plain string is not an HLL: clear leaves it too, as count refuses it.
            for verb in [["add", "a"], ["count"], ["contains", "a"], ["contains-many", "a", "b"], ["merge", good], ["clear"]] {
                let result = try CLI.run(["hll", verb[0], key] + verb.dropFirst())
                #expect(result.status == 4 && result.error?.type == "WrongTypeError", "\(key) \(verb): \(result)")
            }
            let into = try CLI.run(["hll", "merge", good, key])
            #expect(into.status == 4, "\(into)")
        }
        #expect(try Raw.send("GET", text) == .bulk(Array("plain".utf8)))
        #expect(try Raw.send("LLEN", list) == .integer(1))
        #expect(try CLI.run(["hll", "count", good]).json == 1)
        try Raw.send("DEL", list, text, good)
    }

    @Test func pythonAndTheCLIShareHyperLogLogs() throws {
        let key = uniqueKey()
        #expect(try CLI.run(["hll", "add", key, "rajiv", "é", "42", "[1, \"a\"]", "😀"]).status == 0)
        let python = try Python.run("""
            import json, warnings
            warnings.simplefilter('ignore')
            from redis import Redis
            from pottery import HyperLogLog
            h = HyperLogLog(redis=Redis.from_url('\(RedisServer.shared.url)'), key='\(key)')
            print(json.dumps([len(h), list(h.contains_many('rajiv', 'é', 42, [1, 'a'], '😀', '42', 'raj'))]))
            h.update({'python', 43})
            """)
        #expect(String(decoding: python.stdout, as: UTF8.self) == "[5, [true, true, true, true, true, false, false]]\n", "\(python.stderr)")
        #expect(try CLI.run(["hll", "count", key]).json == 7)
        #expect(try CLI.run(["hll", "contains-many", key, "python", "43", "\"43\""]).json == [true, true, false])
        try Raw.send("DEL", key)
    }
}

import PotteryKit
import PotteryTestSupport
import Testing

/// Element arguments: JSON else string, --strings, --json, `-` from stdin,
/// negative numbers, Python's json.loads extras, deep nesting.
@Suite struct ElementArgumentTests {
    @Test(arguments: [
        ("4098", "4098"), ("jack", "\"jack\""), ("-1", "-1"), ("-2.50", "-2.5"), ("-Infinity", "-Infinity"),
        ("NaN", "NaN"), ("1e999", "Infinity"), ("18446744073709551616", "18446744073709551616"),
        ("true", "true"), ("\"4098\"", "\"4098\""), ("", "\"\""), ("é", "\"\\u00e9\""),
        ("{\"b\": 1, \"a\": 2}", "{\"a\": 2, \"b\": 1}"), ("[1,2", "\"[1,2\""), (" 7 ", "7"),
    ])
    func wordsAreJSONElseStrings(word: String, stored: String) throws {
        let key = uniqueKey()
        let result = try CLI.run(["dict", "set", key, "f", word])
        #expect(result.status == 0, "\(result)")
        #expect(try Raw.hget(key, "\"f\"") == stored)
    }

    @Test func stringsModeTakesWordsLiterally() throws {
        let key = uniqueKey()
        #expect(try CLI.run(["dict", "set", "--strings", key, "1", "4098"]).status == 0)
        #expect(try Raw.hgetall(key) == ["\"1\"": "\"4098\""])
        // The option's value is an element too.
        let got = try CLI.run(["dict", "get", key, "2", "--strings", "--default", "null"])
        #expect(got.json == "null")
    }

    @Test func jsonModeRejectsNonJSONWithoutConnecting() throws {
        let result = try CLI.run(["--json", "set", "add", "k", "1", "jack"], url: deadServerURL)
        #expect(result.status == 2, "\(result)")
        #expect(result.error?.type == "UsageError")
        #expect(result.stdout.isEmpty)
        let key = uniqueKey()
        let ok = try CLI.run(["--json", "set", "add", key, "1", "\"jack\""])
        #expect(ok.status == 0 && ok.json == 2)
    }

    @Test func lastOfStringsAndJsonWins() throws {
        let key = uniqueKey()
        #expect(try CLI.run(["--json", "set", "add", key, "1", "--strings"]).status == 0)
        #expect(try Raw.smembers(key) == ["\"1\""])
        #expect(try CLI.run(["--strings", "set", "add", key, "jack", "--json"], url: deadServerURL).status == 2)
    }

    @Test func stdinLinesSplitAtNewlineOnly() throws {
        let key = uniqueKey()
        let added = try CLI.run(["set", "add", key, "-"], stdin: "a\r\n1\n\n[1, 2]\nb\u{2028}c\n")
        #expect(added.status == 0 && added.json == 5, "\(added)")
        #expect(try Raw.smembers(key) == ["\"a\\r\"", "1", "\"\"", "[1, 2]", "\"b\\u2028c\""])

        let noFinalNewline = try CLI.run(["set", "contains-many", key, "-"], stdin: "1\n2")
        #expect(noFinalNewline.json == [true, false])
        let empty = try CLI.run(["set", "add", key, "-"], stdin: "")
        #expect(empty.status == 0 && empty.json == 0, "\(empty)")
    }

    @Test func stdinMixesWithWordsAndFollowsTheMode() throws {
        let key = uniqueKey()
        let result = try CLI.run(["--strings", "set", "add", key, "x", "-", "y"], stdin: "1\n2\n")
        #expect(result.json == 4, "\(result)")
        #expect(try Raw.smembers(key) == ["\"x\"", "\"1\"", "\"2\"", "\"y\""])

        let bad = try CLI.run(["--json", "set", "add", key, "-"], stdin: "1\nnope\n")
        #expect(bad.status == 2 && bad.error?.message.contains("line 2") == true, "\(bad)")
    }

    @Test func stdinForPairsAndSingleArguments() throws {
        let key = uniqueKey()
        let update = try CLI.run(["dict", "update", key, "-"], stdin: "a\n1\nb\n[2]\n")
        #expect(update.status == 0, "\(update)")
        #expect(try Raw.hgetall(key) == ["\"a\"": "1", "\"b\"": "[2]"])

        let value = try CLI.run(["dict", "set", key, "c", "-"], stdin: "{\"deep\": [1]}\n")
        #expect(value.status == 0, "\(value)")
        #expect(try Raw.hget(key, "\"c\"") == "{\"deep\": [1]}")

        let twoLines = try CLI.run(["dict", "set", key, "c", "-"], stdin: "1\n2\n")
        #expect(twoLines.status == 2 && twoLines.error?.type == "UsageError", "\(twoLines)")

        let deleted = try CLI.run(["dict", "del", key, "-"], stdin: "a\nb\n")
        #expect(deleted.status == 0, "\(deleted)")
        #expect(try Raw.hgetall(key) == ["\"c\"": "{\"deep\": [1]}"])
    }

    @Test func stdinCanBeReadOnlyOnce() throws {
        let result = try CLI.run(["dict", "update", "k", "-", "-"], stdin: "a\n1\n")
        #expect(result.status == 2 && result.error?.type == "UsageError", "\(result)")
    }

    @Test func negativeNumbersAreValuesNotOptions() throws {
        let key = uniqueKey()
        #expect(try CLI.run(["set", "add", key, "-5", "-0.5", "-.5", "-1e3"]).json == 4)
        #expect(try Raw.smembers(key) == ["-5", "-0.5", "\"-.5\"", "-1000.0"])
        // A word that merely starts with a dash is an unknown option unless it follows --.
        let dash = try CLI.run(["set", "add", key, "-x"], url: deadServerURL)
        #expect(dash.status == 2 && dash.error?.message.contains("--") == true, "\(dash)")
        #expect(try CLI.run(["set", "add", key, "--", "-x", "--pretty"]).json == 2)
        #expect(try Raw.smembers(key).isSuperset(of: ["\"-x\"", "\"--pretty\""]))
    }

    @Test func tooDeepJSONIsAUsageError() throws {
        let deep = String(repeating: "[", count: 1200) + String(repeating: "]", count: 1200)
        for mode in [[], ["--json"]] {
            let result = try CLI.run(mode + ["set", "add", "k", deep], url: deadServerURL)
            #expect(result.status == 2, "\(result)")
            #expect(result.error?.type == "UsageError")
        }
        let fromStdin = try CLI.run(["set", "add", "k", "-"], url: deadServerURL, stdin: Array((deep + "\n").utf8))
        #expect(fromStdin.status == 2, "\(fromStdin)")
        // --strings stores it as a string.
        let key = uniqueKey()
        #expect(try CLI.run(["--strings", "set", "add", key, deep]).json == 1)
    }

    /// Python's json cannot read values nested ~990 deep: the CLI writes at most 900 levels.
    @Test func nestingStaysReadableByPython() throws {
        func nested(_ depth: Int) -> String { String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }
        let tooDeep = try CLI.run(["set", "add", "k", nested(901)], url: deadServerURL)
        #expect(tooDeep.status == 2 && tooDeep.error?.message.contains("900") == true, "\(tooDeep)")
        let key = uniqueKey()
        #expect(try CLI.run(["set", "add", key, nested(900)]).json == 1)
        let python = try Python.run("""
            import json, redis
            from pottery import RedisSet
            s = RedisSet(redis=redis.Redis.from_url('\(RedisServer.shared.url)'), key='\(key)')
            v = list(s)[0]
            depth = 0
            while isinstance(v, list) and v:
                v = v[0]; depth += 1
            print(depth + 1)
            """)
        #expect(String(decoding: python.stdout, as: UTF8.self) == "900\n", "\(python.stderr)")
    }
}

@Suite struct LoneSurrogateArgumentTests {
    /// Swift cannot hold a lone surrogate: storing U+FFFD instead would make a
    /// different member than Python's, so the CLI refuses it.
    @Test(arguments: [[], ["--json"]])
    func aLoneSurrogateEscapeIsAUsageError(_ mode: [String]) throws {
        let result = try CLI.run(mode + ["set", "add", "k", #""\ud800""#], url: deadServerURL)
        #expect(result.status == 2, "\(result)")
        #expect(result.error?.message.contains("surrogate") == true)
        let pair = try CLI.run(mode + ["set", "add", uniqueKey(), #""\ud83d\ude00""#])
        #expect(pair.status == 0, "\(pair)")
    }
}

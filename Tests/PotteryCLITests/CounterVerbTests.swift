import PotteryKit
import PotteryTestSupport
import Testing

/// Every `counter` verb: stdout parsed as JSON, and the bytes in Redis checked.
@Suite struct CounterVerbTests {
    @Test func updateSubtractGetAndStoredBytes() throws {
        let key = uniqueKey()
        let missing = try CLI.run(["counter", "get", key, "a"])
        #expect(missing.status == 0 && missing.json == 0, "\(missing)")
        let updated = try CLI.run(["counter", "update", key, "a", "b", "a", "1", "[1,2]"])
        #expect(updated.status == 0 && updated.json == .null, "\(updated)")
        #expect(try Raw.hgetall(key) == ["\"a\"": "2", "\"b\"": "1", "1": "1", "[1, 2]": "1"])
        // Python's Counter semantics: +1 per occurrence on top of the stored count (pottery 3.0.1 doubles it).
        #expect(try CLI.run(["counter", "update", key, "a"]).status == 0)
        #expect(try CLI.run(["counter", "get", key, "a"]).json == 3)
        let subtracted = try CLI.run(["counter", "subtract", key, "b", "b", "c"])
        #expect(subtracted.status == 0 && subtracted.json == .null, "\(subtracted)")
        #expect(try Raw.hgetall(key) == ["\"a\"": "3", "\"b\"": "-1", "1": "1", "[1, 2]": "1", "\"c\"": "-1"])
        #expect(try CLI.run(["--strings", "counter", "update", key, "1"]).status == 0)
        #expect(try Raw.hget(key, "\"1\"") == "1")
        #expect(try CLI.run(["counter", "get", key, "[1, 2]"]).json == 1)
    }

    @Test func setDelLenTotalItemsElementsAndClear() throws {
        let key = uniqueKey()
        #expect(try CLI.run(["counter", "set", key, "x", "5"]).json == .null)
        #expect(try CLI.run(["counter", "set", key, "y", "-2"]).status == 0)
        #expect(try CLI.run(["counter", "set", key, "z", "0"]).status == 0)
        #expect(try Raw.hgetall(key) == ["\"x\"": "5", "\"y\"": "-2", "\"z\"": "0"])
        #expect(try CLI.run(["counter", "len", key]).json == 3)
        #expect(try CLI.run(["counter", "total", key]).json == 3)
        #expect(try CLI.run(["counter", "items", key]).json == [["x", 5], ["y", -2], ["z", 0]])
        #expect(try CLI.run(["counter", "elements", key]).json == ["x", "x", "x", "x", "x"])
        let deleted = try CLI.run(["counter", "del", key, "y"])
        #expect(deleted.status == 0 && deleted.json == .null, "\(deleted)")
        // A missing element is no error, as in Python's Counter.
        let again = try CLI.run(["counter", "del", key, "y"])
        #expect(again.status == 0 && again.json == .null, "\(again)")
        #expect(try CLI.run(["counter", "len", key]).json == 2)
        #expect(try CLI.run(["counter", "clear", key]).json == .null)
        #expect(try Raw.type(key) == "none")
        for verb in ["items", "elements", "most-common"] {
            #expect(try CLI.run(["counter", verb, key]).json == [])
        }
        #expect(try CLI.run(["counter", "total", key]).json == 0)
        #expect(try CLI.run(["counter", "len", key]).json == 0)
    }

    @Test func mostCommonKeepsRedisOrderForTies() throws {
        let key = uniqueKey()
        try Raw.send("HSET", key, "\"x\"", "2", "\"y\"", "5", "\"z\"", "2", "\"w\"", "5", "\"v\"", "-1", "\"u\"", "2")
        let all = try CLI.run(["counter", "most-common", key])
        #expect(all.status == 0, "\(all)")
        #expect(all.json == [["y", 5], ["w", 5], ["x", 2], ["z", 2], ["u", 2], ["v", -1]])
        #expect(try CLI.run(["counter", "most-common", key, "3"]).json == [["y", 5], ["w", 5], ["x", 2]])
        #expect(try CLI.run(["counter", "most-common", key, "0"]).json == [])
        #expect(try CLI.run(["counter", "elements", key]).json
                == ["x", "x", "y", "y", "y", "y", "y", "z", "z", "w", "w", "w", "w", "w", "u", "u"])
    }

    @Test func badNumbersAreUsageErrors() throws {
        let key = uniqueKey()
        for arguments in [["counter", "set", key, "x", "1.5"], ["counter", "set", key, "x", "many"],
                          ["counter", "set", key, "x", "99999999999999999999"], ["counter", "most-common", key, "two"],
                          ["counter", "update", key], ["counter", "get", key], ["counter", "frobnicate", key]] {
            let result = try CLI.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result)")
            #expect(result.stdout.isEmpty)
        }
        #expect(try Raw.type(key) == "none")
    }

    @Test func wrongTypeAndBadStoredCountsExitFourAndModifyNothing() throws {
        let key = uniqueKey()
        try Raw.send("SET", key, "text")
        for verb in [["get", "a"], ["update", "a"], ["subtract", "a"], ["set", "a", "1"], ["del", "a"], ["most-common"],
                     ["elements"], ["total"], ["items"], ["len"], ["clear"]] {
            let result = try CLI.run(["counter", verb[0], key] + verb.dropFirst())
            #expect(result.status == 4, "\(verb): \(result)")
            #expect(result.error?.type == "WrongTypeError", "\(verb): \(result)")
            #expect(result.error?.key == .string(key))
        }
        #expect(try Raw.send("GET", key) == .bulk(Array("text".utf8)))

        let bad = uniqueKey()
        try Raw.send("HSET", bad, "\"a\"", "1", "\"s\"", "\"3\"", "\"f\"", "1.0")
        for verb in [["get", "s"], ["update", "a", "s"], ["subtract", "f"], ["most-common"], ["elements"], ["total"], ["items"]] {
            let result = try CLI.run(["counter", verb[0], bad] + verb.dropFirst())
            #expect(result.status == 4, "\(verb): \(result)")
            #expect(result.error?.type == "TypeError", "\(verb): \(result)")
            #expect(result.error?.key == .string(bad))
        }
        #expect(try Raw.hgetall(bad) == ["\"a\"": "1", "\"s\"": "\"3\"", "\"f\"": "1.0"])
        try Raw.send("HSET", bad, "\"j\"", "{nope")
        let decode = try CLI.run(["counter", "update", bad, "j"])
        #expect(decode.status == 4 && decode.error?.type == "JSONDecodeError", "\(decode)")
        try Raw.send("DEL", key, bad)
    }

    /// Within one call, elements equal by Python's `==` and `hash()` are one element named by
    /// its first occurrence, as pottery builds a Python Counter of the arguments first: the
    /// stored bytes are pottery's for the same call. Arrays (unhashable) count by their bytes.
    @Test func pythonEqualElementsOfOneCallMergeAsInPottery() throws {
        let cases: [(verb: String, elements: [String])] = [
            ("update", ["1", "1.0", "true"]), ("update", ["1.0", "true", "1", "2"]),
            ("update", ["0", "-0.0", "false", "\"0\"", "null", "null"]), ("subtract", ["false", "0", "0.0"]),
            ("update", ["1e16", "10000000000000000", "2.5", "2.5", "-2.5"]),
            ("update", ["18446744073709551616", "1.8446744073709552e+19", "-Infinity", "-Infinity", "NaN", "NaN"]),
            ("subtract", ["\"a\"", "\"\\u00e9\"", "\"é\"", "\"a\""]),
        ]
        var pairs: [(cli: String, python: String)] = []
        for (verb, elements) in cases {
            let (cli, python) = (uniqueKey(), uniqueKey())
            let result = try CLI.run(["counter", verb, cli] + elements)
            #expect(result.status == 0 && result.json == .null, "\(elements): \(result)")
            pairs.append((cli, python))
        }
        func literal(_ value: JSONValue) -> String { String(decoding: PotteryJSON.encode(value), as: UTF8.self) }
        let calls = zip(cases, pairs).map { c, p in
            "RedisCounter(redis=r, key=\(literal(.string(p.python)))).\(c.verb)("
                + "[json.loads(a) for a in \(literal(.array(c.elements.map(JSONValue.string))))])"
        }
        let script = """
            import json
            from redis import Redis
            from pottery import RedisCounter
            r = Redis.from_url('\(RedisServer.shared.url)')
            \(calls.joined(separator: "\n"))
            """
        let python = try Python.run(script)
        #expect(python.status == 0, "\(python.stderr)")
        for ((_, elements), (cli, py)) in zip(cases, pairs) {
            #expect(try Raw.hgetall(cli) == Raw.hgetall(py), "\(elements)")
        }
        let key = pairs[0].cli
        #expect(try Raw.hgetall(key) == ["1": "3"])
        #expect(try CLI.run(["counter", "get", key, "1"]).json == 3)
        #expect(try CLI.run(["counter", "get", key, "true"]).json == 0)
        // Stored fields are not merged with the call's elements: each is counted by its bytes.
        #expect(try CLI.run(["counter", "update", key, "true", "1.0"]).status == 0)
        #expect(try Raw.hgetall(key) == ["1": "3", "true": "2"])
        // Arrays and objects cannot be hashed in Python (pottery raises TypeError): counted by bytes.
        let arrays = uniqueKey()
        #expect(try CLI.run(["counter", "update", arrays, "[1]", "[1.0]", "[1]", "{\"a\": 1}", "{\"a\": true}"]).status == 0)
        #expect(try Raw.hgetall(arrays) == ["[1]": "2", "[1.0]": "1", "{\"a\": 1}": "1", "{\"a\": true}": "1"])
        try Raw.send("DEL", arguments: pairs.flatMap { [$0.cli, $0.python] } + [arrays])
    }

    @Test func helpListsEveryCounterVerb() throws {
        let help = try CLI.run(["help", "counter"])
        #expect(help.status == 0, "\(help)")
        for verb in ["get", "update", "subtract", "set", "del", "most-common", "elements", "total", "items", "len", "clear"] {
            #expect(help.out.contains(verb), "\(verb)")
        }
    }
}

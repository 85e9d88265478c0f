import PotteryKit
import PotteryTestSupport
import Testing

/// Every `dict` verb: stdout parsed as JSON, and the bytes in Redis checked.
@Suite struct DictVerbTests {
    @Test func setStoresPotteryBytesAndPrintsNull() throws {
        let key = uniqueKey()
        let result = try CLI.run(["dict", "set", key, "jack", "4098"])
        #expect(result.status == 0, "\(result)")
        #expect(result.json == .null)
        #expect(result.stderr.isEmpty)
        #expect(try Raw.hgetall(key) == ["\"jack\"": "4098"])

        // --strings keeps the value a string; JSON values are re-encoded as pottery writes them.
        #expect(try CLI.run(["--strings", "dict", "set", key, "sape", "4139"]).status == 0)
        #expect(try CLI.run(["dict", "set", key, "{\"b\":1,\"a\":[true,null]}", "1.50"]).status == 0)
        #expect(try Raw.hgetall(key) == [
            "\"jack\"": "4098", "\"sape\"": "\"4139\"", "{\"a\": [true, null], \"b\": 1}": "1.5",
        ])
    }

    /// Python keeps canonically equivalent keys apart (it compares code
    /// points): `{"\u00e9": 1, "e\u0301": 2}` is two members, not one.
    @Test func equivalentSpellingsStayApart() throws {
        let key = uniqueKey()
        let object = #"{"\u00e9": 1, "e\u0301": 2}"#
        let python = #"{"e\u0301": 2, "\u00e9": 1}"#
        #expect(try CLI.run(["dict", "set", key, "f", object]).status == 0)
        #expect(try CLI.run(["dict", "set", key, "\u{E9}", "1"]).status == 0)
        #expect(try CLI.run(["dict", "set", key, "e\u{301}", "2"]).status == 0)
        #expect(try Raw.hgetall(key) == ["\"f\"": python, #""\u00e9""#: "1", #""e\u0301""#: "2"])
        let got = try CLI.run(["dict", "get", key, "f"])
        #expect(got.out == python + "\n", "\(got)")
        #expect(try CLI.run(["dict", "len", key]).json == 3)

        let set = uniqueKey("set")
        let added = try CLI.run(["set", "add", set, "\u{E9}", "e\u{301}", "\u{212B}", "\u{C5}", object, python])
        #expect(added.json == 5, "\(added)")
        #expect(try Raw.smembers(set) == [#""\u00e9""#, #""e\u0301""#, #""\u212b""#, #""\u00c5""#, python])
    }

    @Test func getPrintsValueOrKeyErrorOrDefault() throws {
        let key = uniqueKey()
        try Raw.send("HSET", key, "\"jack\"", "4098", "null", "[1, \"two\"]")
        let found = try CLI.run(["dict", "get", key, "jack"])
        #expect(found.status == 0 && found.json == 4098, "\(found)")
        let nullField = try CLI.run(["dict", "get", key, "null"])
        #expect(nullField.json == [1, "two"])

        let missing = try CLI.run(["dict", "get", key, "nobody"])
        #expect(missing.status == 1)
        #expect(missing.stdout.isEmpty)
        #expect(missing.error?.type == "KeyError")
        #expect(missing.error?.key == .string(key))
        #expect(missing.error?.message.contains("nobody") == true)

        let defaulted = try CLI.run(["dict", "get", key, "nobody", "--default", "-1"])
        #expect(defaulted.status == 0 && defaulted.json == -1, "\(defaulted)")
        let defaultString = try CLI.run(["dict", "get", key, "--default=none", "nobody"])
        #expect(defaultString.json == "none")
    }

    @Test func delDeletesPresentFieldsAndNamesMissingOnes() throws {
        let key = uniqueKey()
        try Raw.send("HSET", key, "\"a\"", "1", "\"b\"", "2", "\"c\"", "3")
        let ok = try CLI.run(["dict", "del", key, "a"])
        #expect(ok.status == 0 && ok.json == .null, "\(ok)")

        let partial = try CLI.run(["dict", "del", key, "b", "x", "7"])
        #expect(partial.status == 1, "\(partial)")
        #expect(partial.stdout.isEmpty)
        #expect(partial.error?.type == "KeyError")
        #expect(partial.error?.message.contains("\"x\"") == true)
        #expect(partial.error?.message.contains("7") == true)
        #expect(partial.error?.message.contains("\"b\"") == false)
        // The present field was deleted all the same.
        #expect(try Raw.hgetall(key) == ["\"c\"": "3"])
    }

    @Test func containsAnswersWithExitStatus() throws {
        let key = uniqueKey()
        try Raw.send("HSET", key, "1", "\"one\"")
        let yes = try CLI.run(["dict", "contains", key, "1"])
        #expect(yes.status == 0 && yes.json == true)
        let stringOne = try CLI.run(["dict", "contains", key, "--strings", "1"])
        #expect(stringOne.status == 1 && stringOne.json == false)
        #expect(stringOne.stderr.isEmpty)
    }

    @Test func lenKeysValuesItems() throws {
        let key = uniqueKey()
        try Raw.send("HSET", key, "\"jack\"", "4098", "1", "\"int key\"", "[\"t\", 1]", "NaN")
        #expect(try CLI.run(["dict", "len", key]).json == 3)
        #expect(try CLI.run(["dict", "len", uniqueKey()]).json == 0)

        let keys = try #require(try CLI.run(["dict", "keys", key]).json?.arrayValue)
        #expect(Set(keys) == ["jack", 1, ["t", 1]])
        let values = try #require(try CLI.run(["dict", "values", key]).json?.arrayValue)
        #expect(Set(values) == [4098, "int key", .double(.nan)])
        let items = try #require(try CLI.run(["dict", "items", key]).json?.arrayValue)
        #expect(Set(items) == [["jack", 4098], [1, "int key"], [["t", 1], .double(.nan)]])
        #expect(try CLI.run(["dict", "items", uniqueKey()]).out == "[]\n")
    }

    @Test func updateStoresPairsInOneCommand() throws {
        let key = uniqueKey()
        let result = try CLI.run(["dict", "update", key, "a", "1", "b", "-2.5", "a", "3"])
        #expect(result.status == 0 && result.json == .null, "\(result)")
        #expect(try Raw.hgetall(key) == ["\"a\"": "3", "\"b\"": "-2.5"])

        let odd = try CLI.run(["dict", "update", key, "a", "1", "b"], url: deadServerURL)
        #expect(odd.status == 2 && odd.error?.type == "UsageError", "\(odd)")
    }

    @Test func popRemovesAndPrints() throws {
        let key = uniqueKey()
        try Raw.send("HSET", key, "\"a\"", "{\"x\": 1}")
        let popped = try CLI.run(["dict", "pop", key, "a"])
        #expect(popped.status == 0 && popped.json == ["x": 1], "\(popped)")
        #expect(try Raw.hgetall(key).isEmpty)

        let missing = try CLI.run(["dict", "pop", key, "a"])
        #expect(missing.status == 1 && missing.error?.type == "KeyError" && missing.stdout.isEmpty)
        let defaulted = try CLI.run(["dict", "pop", key, "a", "--default", "null"])
        #expect(defaulted.status == 0 && defaulted.json == .null)
    }

    @Test func popitemTakesOnePairOrFailsWhenEmpty() throws {
        let key = uniqueKey()
        try Raw.send("HSET", key, "\"only\"", "true")
        let popped = try CLI.run(["dict", "popitem", key])
        #expect(popped.status == 0 && popped.json == ["only", true], "\(popped)")
        let empty = try CLI.run(["dict", "popitem", key])
        #expect(empty.status == 1 && empty.error?.type == "KeyError" && empty.stdout.isEmpty, "\(empty)")
    }

    @Test func setdefaultStoresOnlyWhenMissing() throws {
        let key = uniqueKey()
        let first = try CLI.run(["dict", "setdefault", key, "a", "1"])
        #expect(first.json == 1)
        let second = try CLI.run(["dict", "setdefault", key, "a", "2"])
        #expect(second.json == 1)
        let none = try CLI.run(["dict", "setdefault", key, "b"])
        #expect(none.status == 0 && none.json == .null)
        #expect(try Raw.hgetall(key) == ["\"a\"": "1", "\"b\"": "null"])
    }

    @Test func clearDeletesTheHashButNotAnotherType() throws {
        let key = uniqueKey()
        try Raw.send("HSET", key, "\"a\"", "1")
        let cleared = try CLI.run(["dict", "clear", key])
        #expect(cleared.status == 0 && cleared.json == .null)
        #expect(try Raw.type(key) == "none")

        let list = uniqueKey()
        try Raw.send("RPUSH", list, "1")
        let wrong = try CLI.run(["dict", "clear", list])
        #expect(wrong.status == 4 && wrong.error?.type == "WrongTypeError" && wrong.stdout.isEmpty, "\(wrong)")
        #expect(wrong.error?.key == .string(list))
        #expect(try Raw.type(list) == "list")
    }
}

@Suite struct DictKeysDecodeOnlyFieldsTests {
    /// pottery's keys() decodes fields only: a bad value does not stop it.
    @Test func keysListsFieldsWhoseValuesAreNotJSON() throws {
        let key = uniqueKey()
        try Raw.send("HSET", key, "\"a\"", "not json")
        let keys = try CLI.run(["dict", "keys", key])
        #expect(keys.status == 0 && keys.json == ["a"], "\(keys)")
        let items = try CLI.run(["dict", "items", key])
        #expect(items.status == 4 && items.error?.type == "JSONDecodeError", "\(items)")
    }
}

import PotteryKit
import PotteryTestSupport
import Testing

/// Every `list` verb: stdout parsed as JSON, and the bytes in Redis checked.
@Suite struct ListVerbTests {
    static func lrange(_ key: String) throws -> [String] {
        (try Raw.send("LRANGE", key, "0", "-1").array ?? []).map(Raw.text)
    }

    @Test func appendExtendGetWithIndicesAndSlices() throws {
        let key = uniqueKey()
        #expect(try CLI.run(["list", "append", key, "1"]).json == .null)
        let extended = try CLI.run(["list", "extend", key, "4", "9", "16", "25"])
        #expect(extended.status == 0 && extended.json == .null, "\(extended)")
        #expect(try Self.lrange(key) == ["1", "4", "9", "16", "25"])
        #expect(try CLI.run(["list", "get", key, "-1"]).json == 25)
        #expect(try CLI.run(["list", "get", key, "0"]).json == 1)
        #expect(try CLI.run(["list", "get", key, "1:-1:2"]).json == [4, 16])
        #expect(try CLI.run(["list", "get", key, "::-1"]).json == [25, 16, 9, 4, 1])
        #expect(try CLI.run(["list", "get", key, "-2:"]).json == [16, 25])
        #expect(try CLI.run(["list", "get", key, "10:"]).json == [])
        #expect(try CLI.run(["--raw", "list", "get", key, ":2"]).out == "1\n4\n")
        #expect(try CLI.run(["list", "len", key]).json == 5)
        #expect(try CLI.run(["list", "items", key]).json == [1, 4, 9, 16, 25])
        for index in ["5", "-6"] {
            let out = try CLI.run(["list", "get", key, index])
            #expect(out.status == 1 && out.error?.type == "IndexError" && out.stdout.isEmpty, "\(index): \(out)")
        }
        let stdin = try CLI.run(["--strings", "list", "extend", key, "-"], stdin: "a\nb\n")
        #expect(stdin.status == 0, "\(stdin)")
        #expect(try Self.lrange(key).suffix(2) == ["\"a\"", "\"b\""])
    }

    @Test func setDelInsertPopAndStoredBytes() throws {
        let key = uniqueKey()
        #expect(try CLI.run(["list", "extend", key, "0", "1", "2", "3", "4", "5"]).status == 0)
        #expect(try CLI.run(["list", "set", key, "-1", "{\"b\": 1, \"a\": \"é\"}"]).json == .null)
        #expect(try CLI.run(["list", "del", key, "0"]).json == .null)
        #expect(try CLI.run(["list", "del", key, "::2"]).json == .null)
        #expect(try Self.lrange(key) == ["2", "4"])
        #expect(try CLI.run(["list", "insert", key, "-1", "x"]).json == .null)  // Python: before the last item
        #expect(try CLI.run(["list", "insert", key, "100", "[1, 2]"]).json == .null)
        #expect(try Self.lrange(key) == ["2", "\"x\"", "4", "[1, 2]"])
        #expect(try CLI.run(["list", "pop", key]).json == [1, 2])
        #expect(try CLI.run(["list", "pop", key, "1"]).json == "x")
        #expect(try CLI.run(["list", "pop", key, "-2"]).json == 2)
        #expect(try Self.lrange(key) == ["4"])
        for arguments in [["set", key, "1", "0"], ["del", key, "-2"], ["pop", key, "3"]] {
            let out = try CLI.run(["list"] + arguments)
            #expect(out.status == 1 && out.error?.type == "IndexError", "\(arguments): \(out)")
        }
        #expect(try CLI.run(["list", "pop", key]).json == 4)
        let empty = try CLI.run(["list", "pop", key])
        #expect(empty.status == 1 && empty.error?.message == "pop from empty list", "\(empty)")
        #expect(try CLI.run(["list", "set", key, "0", "1"]).status == 1)
    }

    @Test func removeIndexCountUsePythonEquality() throws {
        let key = uniqueKey()
        #expect(try CLI.run(["list", "extend", key, "a", "1.0", "true", "1", "0", "false"]).status == 0)
        #expect(try CLI.run(["list", "count", key, "1"]).json == 3)
        #expect(try CLI.run(["list", "count", key, "nothing"]).json == 0)
        #expect(try CLI.run(["list", "index", key, "true"]).json == 1)
        #expect(try CLI.run(["list", "index", key, "0.0"]).json == 4)
        // Python's l.index(x, start, stop): negative bounds count from the end.
        #expect(try CLI.run(["list", "index", key, "1", "--start", "2"]).json == 2)
        #expect(try CLI.run(["list", "index", key, "1", "--start", "-4"]).json == 2)
        #expect(try CLI.run(["list", "index", key, "1", "--start=-100", "--stop", "2"]).json == 1)
        let outside = try CLI.run(["list", "index", key, "true", "--start", "4", "--stop", "-1"])
        #expect(outside.status == 1 && outside.error?.type == "ValueError", "\(outside)")
        for bad in ["x", "1.5", ""] {
            let out = try CLI.run(["list", "index", key, "1", "--stop", bad])
            #expect(out.status == 2 && out.stdout.isEmpty, "\(bad): \(out)")
        }
        #expect(try CLI.run(["list", "remove", key, "1"]).json == .null)
        #expect(try Self.lrange(key) == ["\"a\"", "true", "1", "0", "false"])
        for verb in ["index", "remove"] {
            let out = try CLI.run(["list", verb, key, "b"])
            #expect(out.status == 1 && out.error?.type == "ValueError" && out.stdout.isEmpty, "\(verb): \(out)")
        }
        #expect(try CLI.run(["--strings", "list", "count", key, "1"]).json == 0)
    }

    @Test func reverseSortAndClear() throws {
        let key = uniqueKey()
        #expect(try CLI.run(["list", "extend", key, "3", "1.0", "-2", "true", "2.5"]).status == 0)
        #expect(try CLI.run(["list", "reverse", key]).json == .null)
        #expect(try Self.lrange(key) == ["2.5", "true", "-2", "1.0", "3"])
        #expect(try CLI.run(["list", "sort", key]).json == .null)
        #expect(try Self.lrange(key) == ["-2", "true", "1.0", "2.5", "3"])
        #expect(try CLI.run(["list", "sort", key, "--reverse"]).json == .null)
        #expect(try Self.lrange(key) == ["3", "2.5", "true", "1.0", "-2"])
        #expect(try CLI.run(["list", "append", key, "text"]).status == 0)
        let mixed = try CLI.run(["list", "sort", key])
        #expect(mixed.status == 4 && mixed.error?.type == "TypeError", "\(mixed)")
        #expect(try Self.lrange(key) == ["3", "2.5", "true", "1.0", "-2", "\"text\""])
        #expect(try CLI.run(["list", "clear", key]).json == .null)
        #expect(try Raw.type(key) == "none")
        #expect(try CLI.run(["list", "items", key]).json == [])
        #expect(try CLI.run(["list", "len", key]).json == 0)
    }

    @Test func badArgumentsAreUsageErrorsAndStoreNothing() throws {
        let key = uniqueKey()
        for arguments in [["get", key, "one"], ["get", key, "1.5"], ["get", key, "::0"], ["get", key, "1:2:3:4"], ["get", key, "a:"],
                          ["del", key, "x"], ["del", key, "::0"], ["set", key, "x", "1"], ["insert", key, "1e3", "x"],
                          ["pop", key, "last"], ["get", key, "1e30"], ["get", key], ["append", key],
                          ["append", key, "--maxlen", "3", "x"], ["frobnicate", key]] {
            let out = try CLI.run(["list"] + arguments)
            #expect(out.status == 2, "\(arguments): \(out)")
            #expect(out.stdout.isEmpty)
        }
        let notJSON = try CLI.run(["--json", "list", "extend", key, "1", "nope"])
        #expect(notJSON.status == 2, "\(notJSON)")
        #expect(try Raw.type(key) == "none")
    }

    @Test func wrongTypeExitsFourAndChangesNothing() throws {
        let key = uniqueKey()
        try Raw.send("HSET", key, "f", "1")
        for verb in [["get", "0"], ["get", "0:2"], ["set", "0", "1"], ["del", "0"], ["del", "::2"], ["append", "1"], ["extend", "1", "2"],
                     ["insert", "0", "1"], ["pop"], ["pop", "1"], ["remove", "1"], ["index", "1"], ["count", "1"], ["len"], ["items"],
                     ["reverse"], ["sort"], ["clear"]] {
            let out = try CLI.run(["list", verb[0], key] + verb.dropFirst())
            #expect(out.status == 4, "\(verb): \(out)")
            #expect(out.error?.type == "WrongTypeError", "\(verb): \(out)")
            #expect(out.error?.key == .string(key))
        }
        #expect(try Raw.hgetall(key) == ["f": "1"])
    }

    @Test func badStoredBytesAreDataErrors() throws {
        let key = uniqueKey()
        try Raw.send("RPUSH", key, "1", "{nope", "3")
        let items = try CLI.run(["list", "items", key])
        #expect(items.status == 4 && items.error?.type == "JSONDecodeError", "\(items)")
        #expect(items.out == "[1]\n")
        for verb in [["get", "1"], ["count", "3"], ["remove", "3"], ["sort"]] {
            let out = try CLI.run(["list", verb[0], key] + verb.dropFirst())
            #expect(out.status == 4 && out.error?.type == "JSONDecodeError", "\(verb): \(out)")
        }
        #expect(try Self.lrange(key) == ["1", "{nope", "3"])
    }

    @Test func inspectShowsAList() throws {
        let key = uniqueKey()
        #expect(try CLI.run(["list", "extend", key, "1", "é", "[2]"]).status == 0)
        let out = try CLI.run(["inspect", key])
        #expect(out.status == 0, "\(out)")
        #expect(out.json == ["contents": [1, "é", [2]], "key": .string(key), "kind": "RedisList", "length": 3, "ttl": -1, "type": "list"])
    }
}

import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// --pretty, --raw, and a closed stdout.
@Suite struct OutputFormatTests {
    @Test func compactOutputIsPotteryJSON() throws {
        let key = uniqueKey()
        try Raw.send("HSET", key, "\"f\"", "{\"b\": [1, 2.0], \"a\": \"\\u00e9\"}")
        let result = try CLI.run(["dict", "get", key, "f"])
        #expect(result.out == "{\"a\": \"\\u00e9\", \"b\": [1, 2.0]}\n")
    }

    @Test func prettyIndentsLikePythonIndent2() throws {
        let key = uniqueKey()
        try Raw.send("HSET", key, "\"f\"", "{\"b\": [1, 2.0], \"a\": {}}")
        let value = try CLI.run(["--pretty", "dict", "get", key, "f"])
        #expect(value.out == "{\n  \"a\": {},\n  \"b\": [\n    1,\n    2.0\n  ]\n}\n")
        let items = try CLI.run(["dict", "items", key, "--pretty"])
        #expect(items.out == "[\n  [\n    \"f\",\n    {\n      \"a\": {},\n      \"b\": [\n        1,\n        2.0\n      ]\n    }\n  ]\n]\n")
        #expect(try CLI.run(["dict", "items", uniqueKey(), "--pretty"]).out == "[]\n")
        #expect(try CLI.run(["dict", "len", key, "--pretty"]).out == "1\n")
    }

    @Test func rawPrintsStringsBareAndListsByLine() throws {
        let key = uniqueKey()
        try Raw.send("HSET", key, "\"name\"", "\"caf\\u00e9 au lait\"", "2", "[1, \"x\"]")
        #expect(try CLI.run(["--raw", "dict", "get", key, "name"]).out == "café au lait\n")
        #expect(try CLI.run(["--raw", "dict", "get", key, "2"]).out == "1\nx\n")
        #expect(try CLI.run(["--raw", "dict", "len", key]).out == "2\n")
        let keys = try CLI.run(["--raw", "dict", "keys", key])
        #expect(Set(keys.out.split(separator: "\n")) == ["name", "2"], "\(keys)")
        #expect(try CLI.run(["--raw", "dict", "keys", uniqueKey()]).out == "")
        #expect(try CLI.run(["--raw", "set", "contains-many", key + "s", "a"]).out == "false\n")
    }

    @Test func closedStdoutEndsTheRunQuietly() throws {
        let key = uniqueKey()
        try Raw.send("SADD", arguments: [key] + (0..<20000).map(String.init))
        let result = try CLI.run(["set", "members", key], closeStdout: true)
        #expect(result.status == 141, "\(result)")
        #expect(result.stderr.isEmpty)
    }
}

import PotteryKit
import PotteryTestSupport
import Testing

/// `inspect KEY` and `keys [PATTERN]`.
@Suite struct InspectAndKeysTests {
    private func inspect(_ key: String) throws -> JSONObject {
        let result = try CLI.run(["inspect", key])
        #expect(result.status == 0, "\(result)")
        return try #require(result.json?.objectValue, "\(result)")
    }

    @Test func hashSetListAndMissingKey() throws {
        let hash = uniqueKey()
        try Raw.send("HSET", hash, "\"jack\"", "4098", "1", "[true]")
        try Raw.send("PEXPIRE", hash, "100000")
        let h = try inspect(hash)
        #expect(h["key"] == .string(hash) && h["type"] == "hash" && h["kind"] == "RedisDict" && h["length"] == 2)
        let ttl = try #require(h["ttl"]?.intValue)
        #expect(ttl > 90000 && ttl <= 100000)
        #expect(Set(try #require(h["contents"]?.arrayValue)) == [["jack", 4098], [1, [true]]])

        let set = uniqueKey()
        try Raw.send("SADD", set, "\"a\"", "2")
        let s = try inspect(set)
        #expect(s["type"] == "set" && s["kind"] == "RedisSet" && s["length"] == 2 && s["ttl"] == -1)
        #expect(Set(try #require(s["contents"]?.arrayValue)) == ["a", 2])

        let list = uniqueKey()
        try Raw.send("RPUSH", arguments: [list] + (0..<2500).map(String.init))
        let l = try inspect(list)
        #expect(l["type"] == "list" && l["kind"] == "RedisList" && l["length"] == 2500)
        #expect(l["contents"] == .array((0..<2500).map { .int($0) }))

        let missing = try inspect(uniqueKey())
        #expect(missing["type"] == "none" && missing["ttl"] == -2 && missing["length"] == .null
                && missing["kind"] == .null && missing["contents"] == .null)
    }

    @Test func stringKindsAndStreams() throws {
        let lock = "redlock:" + uniqueKey()
        try Raw.send("SET", lock, "0b6e4a9a-1b7a-4c55-9d3e-2f0f4f6b7a11", "PX", "10000")
        let l = try inspect(lock)
        #expect(l["kind"] == "Redlock" && l["type"] == "string" && l["length"] == 36)
        // The token is a secret: never printed.
        #expect(l["contents"] == .null)
        #expect(try !CLI.run(["inspect", lock]).out.contains("0b6e4a9a"))

        let id = "nextid:" + uniqueKey()
        try Raw.send("SET", id, "3")
        #expect(try inspect(id)["kind"] == "NextID")
        #expect(try inspect(id)["contents"] == 3)  // a number, as `nextid --current` prints it
        try Raw.send("SET", id, "-12")
        #expect(try inspect(id)["contents"] == -12)
        try Raw.send("SET", id, "007")  // not what NextID writes: shown as stored
        #expect(try inspect(id)["contents"] == "007")

        let hll = uniqueKey()
        try Raw.send("PFADD", hll, "\"a\"")
        let h = try inspect(hll)
        #expect(h["kind"] == "HyperLogLog" && h["contents"] == .null)

        let bloom = uniqueKey()
        try Raw.send("SETBIT", bloom, "7", "1")
        let b = try inspect(bloom)
        #expect(b["kind"] == "BloomFilter" && b["length"] == 1)

        let queue = uniqueKey()
        try Raw.send("XADD", queue, "*", "item", "{\"job\": 1}")
        try Raw.send("XADD", queue, "*", "item", "\"two\"")
        let q = try inspect(queue)
        #expect(q["type"] == "stream" && q["kind"] == "RedisSimpleQueue" && q["length"] == 2)
        #expect(q["contents"] == [["job": 1], "two"])
    }

    @Test func badStoredBytesCloseTheObjectAndExitFour() throws {
        let key = uniqueKey()
        try Raw.send("RPUSH", key, "1", "oops")
        let result = try CLI.run(["inspect", key])
        #expect(result.status == 4, "\(result)")
        #expect(result.error?.type == "JSONDecodeError" && result.error?.key == .string(key))
        let object = try #require(result.json?.objectValue, "\(result)")
        #expect(object["contents"] == [1])
        #expect(object["type"] == "list")
        // Bad from the first item: contents is null, not an empty container.
        let first = uniqueKey()
        try Raw.send("HSET", first, "\"ok\"", "nope")
        let unreadable = try CLI.run(["inspect", first])
        #expect(unreadable.status == 4, "\(unreadable)")
        let whole = try #require(unreadable.json?.objectValue, "\(unreadable)")
        #expect(whole["contents"] == .null && whole["length"] == 1 && whole["kind"] == "RedisDict")
    }

    @Test func prettyInspectMatchesPrettyEncoding() throws {
        let key = uniqueKey()
        try Raw.send("HSET", key, "\"a\"", "[1, {\"b\": null}]")
        let compact = try #require(try CLI.run(["inspect", key]).json)
        let pretty = try CLI.run(["inspect", key, "--pretty"])
        #expect(pretty.out == String(decoding: PotteryJSON.encodePretty(compact), as: UTF8.self) + "\n")
        #expect(try CLI.run(["inspect", key]).out == String(decoding: PotteryJSON.encode(compact), as: UTF8.self) + "\n")
    }

    @Test func keysScansWithAPattern() throws {
        let prefix = uniqueKey()
        let names = (0..<1500).map { "\(prefix):\($0)" }
        var mset = ["MSET"]
        for name in names { mset += [name, "1"] }
        try Raw.send(mset[0], arguments: Array(mset.dropFirst()))
        let result = try CLI.run(["keys", "\(prefix):*"])
        #expect(result.status == 0, "\(result)")
        let listed = try #require(result.json?.arrayValue).compactMap(\.stringValue)
        #expect(Set(listed) == Set(names))
        let none = try CLI.run(["keys", "\(prefix)-nothing*"])
        #expect(none.out == "[]\n")
        let raw = try CLI.run(["keys", "\(prefix):1?", "--raw"])
        #expect(Set(raw.out.split(separator: "\n").map(String.init)) == Set((10..<20).map { "\(prefix):\($0)" }))
    }
}

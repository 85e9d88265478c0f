import PotteryKit
import PotteryTestSupport
import Testing

/// Python pottery 3.0.1's RedisList and RedisDeque and PotteryKit's on the
/// same server: each reads what the other wrote, and the same operations
/// store the same bytes. The operations avoid pottery's bugs (slice
/// assignment of another length, negative insert, maxlen 0), where we follow
/// Python instead.
@Suite struct ListInteropTests {
    var connection: RedisConnection { Interop.server.connection() }

    func python(_ body: String) throws -> String {
        try Interop.python(body, importing: "RedisList, RedisDeque")
    }

    func rawList(_ key: RedisKey) throws -> [[UInt8]] {
        var command = RedisCommand("LRANGE", key: key)
        command.append(0)
        command.append(-1)
        return (try connection.send(command).array ?? []).map { $0.bytes! }
    }

    /// The same list operations in Python and Swift.
    static var listOperations: [(python: String, swift: @Sendable (RedisList<JSONValue>) throws -> Void)] { [
        ("l.append({'b': 1, 'a': [True, None]})", { try $0.append(["b": 1, "a": [true, nil]]) }),
        ("l.extend(['é', 1.5, 2**64, 'emoji 😀\\n/'])", {
            try $0.extend(["é", 1.5, JSONValue(integerText: "18446744073709551616")!, "emoji 😀\n/"])
        }),
        ("l.insert(2, 'middle')", { try $0.insert("middle", at: 2) }),
        ("l.insert(0, 'front')", { try $0.insert("front", at: 0) }),
        ("l[1] = 3.0", { try $0.set(3.0, at: 1) }),
        ("l[-1] = None", { try $0.set(nil, at: -1) }),
        ("del l[3]", { try $0.remove(at: 3) }),
        ("l.pop(2)", { _ = try $0.pop(at: 2) }),
        ("l.remove(1.5)", { try $0.remove(1.5) }),
        ("l[0:2] = ['x', 'y']", { try $0.replace(ListSlice(start: 0, stop: 2), with: ["x", "y"]) }),
        ("del l[::3]", { try $0.removeElements(in: ListSlice(step: 3)) }),
        ("l.reverse()", { try $0.reverse() }),
    ] }

    @Test func pythonWritesAListSwiftReadsItAndWritesIdenticalBytes() throws {
        let pythonKey = uniqueKey()
        let swiftKey = uniqueKey()
        _ = try python("l = RedisList([1, 'two', 3.0, None, False, [1, 2], {'k': 'v'}], redis=redis, key='\(pythonKey)')\n"
                       + Self.listOperations.map(\.python).joined(separator: "\n"))
        let expected = try python("print(json.dumps(RedisList(redis=redis, key='\(pythonKey)').to_list()))")
        let read = RedisList<JSONValue>(connection, key: pythonKey)
        #expect(String(decoding: PotteryJSON.encode(JSONValue.array(try read.toArray())), as: UTF8.self) == expected)

        let written = try RedisList<JSONValue>(connection, key: swiftKey, contents: [1, "two", 3.0, nil, false, [1, 2], ["k": "v"]])
        for operation in Self.listOperations { try operation.swift(written) }
        #expect(try rawList(swiftKey) == rawList(pythonKey))
        try read.clear()
        try written.clear()
    }

    @Test func swiftWritesAListPythonReadsIt() throws {
        let key = uniqueKey()
        let list = try RedisList<JSONValue>(connection, key: key, contents: ["a", 1, 2.5, nil, ["n": [1]], "é"])
        try list.insert(true, at: -1)
        #expect((#expect(throws: PotteryError.self) { try list.sort() })?.code == .typeError)  // as Python: str < int
        let output = try python("""
            l = RedisList(redis=redis, key='\(key)')
            print(json.dumps([len(l), l[0], l[-1], l[1:4], l[::-2], l.index(True), l.count(1), 'é' in l]))
            """)
        #expect(output == #"[7, "a", "\u00e9", [1, 2.5, null], ["\u00e9", {"n": [1]}, 2.5, "a"], 1, 2, true]"#)
        try list.clear()
    }

    @Test func dequesInteroperateBothWays() throws {
        let pythonKey = uniqueKey()
        let swiftKey = uniqueKey()
        _ = try python("""
            d = RedisDeque('abcdef', maxlen=4, redis=redis, key='\(pythonKey)')
            d.append('g'); d.appendleft('z'); d.extend(['h', 'i']); d.extendleft([1, 2]); d.rotate(3); d.rotate(-1)
            d.popleft(); d.pop()
            """)
        let deque = try RedisDeque<JSONValue>(connection, key: swiftKey, contents: ["a", "b", "c", "d", "e", "f"], maxlen: 4)
        try deque.append("g")
        try deque.appendLeft("z")
        try deque.extend(["h", "i"])
        try deque.extendLeft([1, 2])
        try deque.rotate(3)
        try deque.rotate(-1)
        try deque.popLeft()
        try deque.pop()
        #expect(try rawList(swiftKey) == rawList(pythonKey))
        #expect(try RedisDeque<JSONValue>(connection, key: pythonKey).toArray() == deque.toArray())
        let output = try python("""
            d = RedisDeque(redis=redis, key='\(swiftKey)', maxlen=3)
            d.append('new')
            print(json.dumps(list(d)))
            """)
        #expect(try output == String(decoding: PotteryJSON.encode(JSONValue.array(deque.toArray())), as: UTF8.self))
        #expect(try deque.count() == 3)
        try deque.clear()
        try connection.send(RedisCommand("DEL", key: pythonKey))
    }
}

import PotteryKit
import PotteryTestSupport
import Testing

/// Python pottery 3.0.1's RedisCounter and PotteryKit's on the same server:
/// each reads what the other wrote, and the same operations store the same
/// bytes. Updates use Mapping arguments, which pottery adds correctly (its
/// iterable form doubles stored counts, a bug we do not copy).
@Suite struct CounterInteropTests {
    let server = RedisServer.shared
    var connection: RedisConnection { server.connection() }

    func python(_ body: String) throws -> String {
        try Interop.python(body, importing: "RedisCounter")
    }

    func rawHash(_ key: RedisKey) throws -> [[UInt8]: [UInt8]] {
        try Interop.rawHash(key)
    }

    /// The same operations in Python and Swift.
    static var operations: [(python: String, swift: @Sendable (RedisCounter<JSONValue>) throws -> Void)] { [
        ("c.update({'a': 2, 'é': 5, None: 1})", { try $0.update(counts: [("a", 2), ("é", 5), (nil, 1)]) }),
        ("c.update({'a': 3, 'emoji 😀\\n/': 7})", { try $0.update(counts: [("a", 3), ("emoji 😀\n/", 7)]) }),
        ("c.update({1: 3})", { try $0.update(counts: [(1, 3)]) }),
        ("c.update({1.0: 4})", { try $0.update(counts: [(1.0, 4)]) }),
        ("c.update({True: 2})", { try $0.update(counts: [(true, 2)]) }),
        ("c.subtract({'a': 1, 'é': 5, 'gone': 2})", { try $0.subtract(counts: [("a", 1), ("é", 5), ("gone", 2)]) }),
        ("c[('t', 1)] = 9", { try $0.set(9, for: ["t", 1]) }),
    ] }

    @Test func pythonWritesACounterSwiftReadsItAndWritesIdenticalBytes() throws {
        let pythonKey = uniqueKey()
        let swiftKey = uniqueKey()
        _ = try python("c = RedisCounter('gallahad', redis=redis, key='\(pythonKey)')\n"
                       + Self.operations.map(\.python).joined(separator: "\n") + "\ndel c['h']")
        let read = RedisCounter<JSONValue>(connection, key: pythonKey)
        #expect(try read.toDictionary() == [
            "g": 1, "a": 7, "l": 2, "d": 1, "é": 0, nil: 1, "emoji 😀\n/": 7, 1: 3, 1.0: 4, true: 2, "gone": -2, ["t", 1]: 9,
        ])
        #expect(try read.count(of: "a") == 7)
        #expect(try read.total() == 35)

        let written = try RedisCounter<JSONValue>(connection, key: swiftKey, counting: "gallahad".map { .string(String($0)) })
        for operation in Self.operations { try operation.swift(written) }
        try written.delete("h")
        #expect(try rawHash(swiftKey) == rawHash(pythonKey))
        try read.clear()
        try written.clear()
    }

    @Test func swiftWritesACounterPythonReadsIt() throws {
        let key = uniqueKey()
        let counter = RedisCounter<JSONValue>(connection, key: key)
        try counter.update(["x", "y", "x", "é", 2, nil, 2.5, "x"])
        try counter.subtract(["y", "y"])
        try counter.set(5, for: "five")
        let output = try python("""
            c = RedisCounter(redis=redis, key='\(key)')
            print(json.dumps([c['x'], c['y'], c['é'], c[2], c[None], c[2.5], c['five'], c['missing'], len(c), c.total(),
                              sorted(c.elements(), key=repr) == sorted(['x', 'x', 'x', 'é', 2, None, 2.5, 'five', 'five', 'five', 'five', 'five'], key=repr),
                              c.most_common(1)]))
            """)
        #expect(output == #"[3, -1, 1, 1, 1, 1, 5, 0, 7, 11, true, [["five", 5]]]"#)
        try counter.clear()
    }
}

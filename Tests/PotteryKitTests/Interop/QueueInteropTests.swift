import PotteryKit
import PotteryTestSupport
import Testing

/// Python pottery 3.0.1's RedisSimpleQueue and PotteryKit's on one stream:
/// the same puts store the same entry bytes, and each side gets what the
/// other put, in order.
@Suite struct QueueInteropTests {
    let connection = RedisServer.shared.connection()

    func python(_ body: String) throws -> String {
        try Interop.python(body, importing: "RedisSimpleQueue")
    }

    /// Every entry's fields and values as raw bytes, oldest first (IDs left out).
    func rawEntries(_ key: RedisKey) throws -> [[[UInt8]]] {
        var xrange = RedisCommand("XRANGE", key: key)
        xrange.append("-")
        xrange.append("+")
        return try connection.send(xrange).array?.map { (entry: RedisReply) -> [[UInt8]] in
            let fields: [RedisReply] = entry.array?[1].array ?? []
            return fields.map { $0.bytes ?? [] }
        } ?? []
    }

    static let pythonValues = #"['a', 'é', {'b': 1, 'a': [1, 2.5, None]}, 1.0, 10**30, True, '😀\n/', float('inf'), [], -0.0]"#

    static func swiftValues() throws -> [JSONValue] {
        ["a", "é", ["b": 1, "a": [1, 2.5, nil]], 1.0, try PotteryJSON.decode(Array("1000000000000000000000000000000".utf8)),
         true, "😀\n/", .double(.infinity), [], .double(-0.0)]
    }

    @Test func pythonPutsSwiftGetsAndSwiftPutsIdenticalBytes() throws {
        let pythonKey = uniqueKey()
        let swiftKey = uniqueKey()
        _ = try python("""
            q = RedisSimpleQueue(redis=redis, key='\(pythonKey)')
            for v in \(Self.pythonValues):
                q.put(v)
            """)
        let values = try Self.swiftValues()
        try RedisSimpleQueue<JSONValue>(connection, key: swiftKey).put(contentsOf: values)
        let pythonEntries = try rawEntries(pythonKey)
        #expect(pythonEntries.count == values.count)
        #expect(try rawEntries(swiftKey) == pythonEntries)
        #expect(pythonEntries[2] == [Array("item".utf8), Array(#"{"a": [1, 2.5, null], "b": 1}"#.utf8)])

        let queue = RedisSimpleQueue<JSONValue>(connection, key: pythonKey)
        #expect(try queue.qsize() == values.count)
        var got: [JSONValue] = []
        for _ in values { got.append(try queue.get(timeout: .seconds(1))) }
        #expect(got.map { PotteryJSON.encode($0) } == values.map { PotteryJSON.encode($0) })
        #expect(try queue.isEmpty())
        try queue.clear()
        try RedisSimpleQueue<JSONValue>(connection, key: swiftKey).clear()
    }

    @Test func swiftPutsPythonGetsInOrder() throws {
        let key = uniqueKey()
        let queue = RedisSimpleQueue<JSONValue>(connection, key: key)
        let values = try Self.swiftValues()
        try queue.put(values[0])
        try queue.put(contentsOf: Array(values.dropFirst()))
        let output = try python("""
            q = RedisSimpleQueue(redis=redis, key='\(key)')
            n = q.qsize()
            got = [q.get(timeout=1) for _ in range(n)]
            print(json.dumps([n, q.empty(), got == \(Self.pythonValues), math.copysign(1, got[-1])]))
            """)
        #expect(output == "[\(values.count), true, true, -1.0]")
        try queue.clear()
    }
}

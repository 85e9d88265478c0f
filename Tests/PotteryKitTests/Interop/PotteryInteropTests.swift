import PotteryKit
import PotteryTestSupport
import Testing

/// Python pottery 3.0.1 and PotteryKit on the same server: each reads what the
/// other wrote, and both write the same bytes.
@Suite struct PotteryInteropTests {
    let server = RedisServer.shared
    var connection: RedisConnection { server.connection() }

    /// Runs Python with pottery imported and `URL` set to the shared server.
    func python(_ body: String) throws -> String {
        try Interop.python(body, importing: "RedisDict, RedisSet")
    }

    func rawHash(_ key: RedisKey) throws -> [[UInt8]: [UInt8]] {
        try Interop.rawHash(key)
    }

    func rawSet(_ key: RedisKey) throws -> Set<[UInt8]> {
        Set((try connection.send(RedisCommand("SMEMBERS", key: key)).array ?? []).map { $0.bytes! })
    }

    /// The entries Python writes, as (Python expression, Swift value) pairs.
    static let entries: [(python: String, key: JSONValue, value: JSONValue)] = [
        ("d['jack'] = 4098", "jack", 4098),
        ("d['é'] = 1.5", "é", 1.5),
        ("d[None] = None", nil, nil),
        ("d[True] = [1, 'two', {'b': 2, 'a': 1}]", true, [1, "two", ["b": 2, "a": 1]]),
        ("d[1] = 'int key'", 1, "int key"),
        ("d[1.0] = 'float key'", 1.0, "float key"),
        ("d['1'] = 'string one'", "1", "string one"),
        ("d[('t', 1)] = 'tuple key'", ["t", 1], "tuple key"),
        ("d['floats'] = [1e16, 1e15, 0.1 + 0.2, -0.0, 1e-07, 5e-324, float('inf'), float('-inf')]", "floats",
         [1e16, 1e15, .double(0.1 + 0.2), .double(-0.0), 1e-07, .double(.leastNonzeroMagnitude), .double(.infinity), .double(-.infinity)]),
        ("d['big'] = 2**64", "big", .bigInt("18446744073709551616")),
        ("d['emoji 😀\\n\\t\\x7f/'] = {'z': {'y': 1, 'x': [True, None]}, 'B': 2, 'a': 3}", "emoji 😀\n\t\u{7f}/",
         ["z": ["y": 1, "x": [true, nil]], "B": 2, "a": 3]),
    ]

    @Test func pythonWritesADictSwiftReadsItAndWritesIdenticalBytes() throws {
        let pythonKey = uniqueKey()
        let swiftKey = uniqueKey()
        _ = try python("d = RedisDict(redis=redis, key='\(pythonKey)')\n" + Self.entries.map(\.python).joined(separator: "\n"))
        let read = RedisDict<JSONValue, JSONValue>(connection, key: pythonKey)
        #expect(try read.count() == Self.entries.count)
        for entry in Self.entries {
            #expect(try read.get(entry.key) == entry.value, "reading \(entry.python)")
        }
        let written = RedisDict<JSONValue, JSONValue>(connection, key: swiftKey)
        try written.update(Self.entries.map { (key: $0.key, value: $0.value) })
        #expect(try rawHash(swiftKey) == rawHash(pythonKey))
        try read.clear()
        try written.clear()
    }

    @Test func swiftWritesADictPythonReadsAndFindsEveryKey() throws {
        let key = uniqueKey()
        let dict = RedisDict<JSONValue, JSONValue>(connection, key: key)
        try dict.update(Self.entries.map { (key: $0.key, value: $0.value) })
        let output = try python("""
            d = RedisDict(redis=redis, key='\(key)')
            probes = [('jack', 4098), (None, None), (True, [1, 'two', {'a': 1, 'b': 2}]), (1, 'int key'),
                      (1.0, 'float key'), ('1', 'string one'), ('é', 1.5), ('emoji 😀\\n\\t\\x7f/', {'B': 2, 'a': 3, 'z': {'x': [True, None], 'y': 1}})]
            ok = [k in d and d[k] == v for k, v in probes]
            fl = d['floats']
            ok.append(fl[:3] == [1e16, 1e15, 0.1 + 0.2] and math.copysign(1, fl[3]) == -1 and fl[6] == math.inf)
            ok.append(d['big'] == 2**64 and len(d) == \(Self.entries.count))
            print(json.dumps(ok))
            """)
        #expect(output == "[" + Array(repeating: "true", count: 10).joined(separator: ", ") + "]")
        try dict.clear()
    }

    @Test func setsAreSharedBothWays() throws {
        let pythonKey = uniqueKey()
        let swiftKey = uniqueKey()
        let output = try python("""
            s = RedisSet(redis=redis, key='\(pythonKey)')
            s.update({'apple', 'orange', 1, 2.5, None, 'ü', (1, 2)})
            s.add(True)
            t = RedisSet(redis=redis, key='\(swiftKey)')
            print(json.dumps(sorted(json.dumps(x) for x in t)))
            """)
        #expect(output == "[]")
        let read = RedisSet<JSONValue>(connection, key: pythonKey)
        let expected: Set<JSONValue> = ["apple", "orange", 1, 2.5, nil, "ü", [1, 2], true]
        #expect(try read.toSet() == expected)
        let written = RedisSet<JSONValue>(connection, key: swiftKey)
        try written.add(Array(expected))
        #expect(try rawSet(swiftKey) == rawSet(pythonKey))
        let membership = try python("""
            t = RedisSet(redis=redis, key='\(swiftKey)')
            print(json.dumps([x in t for x in ['apple', 'orange', 1, 2.5, None, 'ü', True, 'pear', 2]]))
            print(json.dumps(t == RedisSet(redis=redis, key='\(pythonKey)')))
            """)
        #expect(membership == "[true, true, true, true, true, true, true, false, false]\ntrue")
        try read.clear()
        try written.clear()
    }

    /// Canonically equivalent spellings (`'\u00e9'`, `'e\u0301'`…) are
    /// different fields, members and keys for Python: both sides keep them apart.
    @Test func equivalentSpellingsStayApartBothWays() throws {
        let pythonDict = uniqueKey()
        let pythonSet = uniqueKey()
        let spellings = "['\\u00e9', 'e\\u0301', '\\u212b', '\\u00c5', 'A\\u030a', '\\u2126', '\\u03a9', '\\uac00', '\\u1100\\u1161']"
        _ = try python("""
            spellings = \(spellings)
            d = RedisDict(redis=redis, key='\(pythonDict)')
            for i, s in enumerate(spellings): d[s] = i
            d['all'] = {s: i for i, s in enumerate(spellings)}
            RedisSet(redis=redis, key='\(pythonSet)').update(spellings + [json.dumps({s: 1 for s in spellings})])
            """)
        let all = EquivalentSpellings.all
        let dict = RedisDict<JSONValue, JSONValue>(connection, key: pythonDict)
        #expect(try dict.count() == all.count + 1)
        for (index, spelling) in all.enumerated() { #expect(try dict.get(.string(spelling)) == .int(index)) }
        let everything = try #require(try dict.get("all")?.objectValue)
        #expect(everything.count == all.count)
        for (index, spelling) in all.enumerated() { #expect(everything[spelling] == .int(index)) }
        let set = RedisSet<JSONValue>(connection, key: pythonSet)
        #expect(try set.toSet().count == all.count + 1)

        let swiftDict = RedisDict<JSONValue, JSONValue>(connection, key: uniqueKey())
        try swiftDict.update(try dict.items())
        #expect(try rawHash(swiftDict.key) == rawHash(pythonDict))
        let swiftSet = RedisSet<JSONValue>(connection, key: uniqueKey())
        try swiftSet.add(try set.members())
        #expect(try rawSet(swiftSet.key) == rawSet(pythonSet))
        let output = try python("""
            spellings = \(spellings)
            d = RedisDict(redis=redis, key='\(swiftDict.key)')
            s = RedisSet(redis=redis, key='\(swiftSet.key)')
            print(json.dumps([len(d), [d[x] for x in spellings], d['all'] == {x: i for i, x in enumerate(spellings)},
                              len(s), all(x in s for x in spellings)]))
            """)
        #expect(output == "[10, [0, 1, 2, 3, 4, 5, 6, 7, 8], true, 10, true]")
        for key in [pythonDict, pythonSet, swiftDict.key, swiftSet.key] {
            try connection.send(RedisCommand("DEL", key: key))
        }
    }

    @Test func temporaryKeysLookLikePotterysAndPythonSeesTheData() throws {
        let dict = try RedisDict<String, Int>(temporaryOn: connection)
        try dict.set(7, for: "seven")
        let output = try python("print(RedisDict(redis=redis, key='\(dict.key)')['seven'])")
        #expect(output == "7")
        #expect(dict.key.description.wholeMatch(of: /pottery:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/) != nil)
    }
}

import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// CachedOrderedDict on a real server, and against Python pottery's.
@Suite struct CachedOrderedDictTests {
    let redis = RedisServer.shared.connection()

    func freshKey(_ label: String = #function) -> RedisKey {
        RedisKey("cod-test:\(label.prefix(20).filter { $0.isLetter }):\(UUID().uuidString.prefix(8))")
    }

    @Test func loadsHitsAndMissesInTheOrderAskedAndWritesThrough() throws {
        let key = freshKey()
        let dict = RedisDict<String, Int>(redis, key: key)
        try dict.set(1, for: "one")
        try dict.set(3, for: "three")
        let cached = try CachedOrderedDict<String, Int>(redis, key: key, dictKeys: ["three", "two", "one", "two"])
        #expect(cached.keys == ["three", "two", "one"])
        #expect(cached.misses == ["two"])
        #expect(cached["three"] == 3 && cached["two"] == nil)
        #expect(cached.items.map(\.key) == ["three", "two", "one"])
        let ttl = try redis.send(RedisCommand("PTTL", key: key)).integer ?? 0
        #expect(ttl > 59_000 && ttl <= 60_000, "loading resets the expiry")

        try cached.set(2, for: "two")
        #expect(cached.misses.isEmpty)
        #expect(try dict.get("two") == 2)
        try cached.update([(key: "four", value: 4), (key: "one", value: 11)])
        #expect(cached.keys == ["three", "two", "one", "four"])
        #expect(try dict.get("one") == 11 && dict.get("four") == 4)
        #expect(try cached.setDefault(99, for: "four") == 4)
        #expect(try cached.setDefault(5, for: "five") == 5)
        #expect(try dict.get("five") == 5)
    }

    @Test func aKeyOfAnotherTypeIsAWrongTypeError() throws {
        let key = freshKey()
        try redis.send(RedisCommand("SADD", key: key).with("x"))
        do {
            _ = try CachedOrderedDict<String, Int>(redis, key: key, dictKeys: ["a"])
            Issue.record("loaded a set")
        } catch { #expect(error.code == .wrongType) }
        #expect(try redis.send(RedisCommand("PTTL", key: key)) == .integer(-1))
    }

    @Test func manyKeysLoadInChunks() throws {
        let key = freshKey()
        let keys = (0..<2500).map { "k\($0)" }
        let cached = try CachedOrderedDict<String, Int>(redis, key: key, dictKeys: keys)
        #expect(cached.misses.count == 2500)
        try cached.update(keys.enumerated().map { (key: $1, value: $0) })
        let again = try CachedOrderedDict<String, Int>(redis, key: key, dictKeys: keys.reversed())
        #expect(again.misses.isEmpty)
        #expect(again["k2499"] == 2499 && again.keys.first == "k2499")
    }

    @Test func pythonAndSwiftShareTheEntries() throws {
        let key = freshKey()
        _ = try Interop.python("""
        d = CachedOrderedDict(redis_client=redis, redis_key='\(key)', dict_keys=('a', 'b'))
        d['a'] = {'x': [1, 2.5, None]}
        """, importing: "CachedOrderedDict")
        let cached = try CachedOrderedDict<String, JSONValue>(redis, key: key, dictKeys: ["a", "b"])
        #expect(cached["a"] == .object(["x": .array([.int(1), .double(2.5), .null])]))
        #expect(cached.misses == ["b"])
        try cached.set(.string("é"), for: "b")
        let python = try Interop.python("""
        d = CachedOrderedDict(redis_client=redis, redis_key='\(key)', dict_keys=('b', 'a'))
        print(json.dumps([sorted(d.misses()), d['b'], d['a']]))
        """, importing: "CachedOrderedDict")
        #expect(python == #"[[], "\u00e9", {"x": [1, 2.5, null]}]"#)
    }
}

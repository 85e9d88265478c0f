import PotteryKit
import PotteryTestSupport
import Testing

/// Canonically equivalent strings (`"\u00e9"` and `"e\u0301"`) are different
/// members and fields in Redis and in Python pottery: PotteryKit keeps them
/// apart from the bytes through to the values it returns.
@Suite struct CodePointContainerTests {
    let connection = RedisServer.shared.connection()

    func rawMembers(_ key: RedisKey) throws -> Set<[UInt8]> {
        Set((try connection.send(RedisCommand("SMEMBERS", key: key)).array ?? []).map { $0.bytes! })
    }

    func rawHash(_ key: RedisKey) throws -> [[UInt8]: [UInt8]] {
        let flat = try connection.send(RedisCommand("HGETALL", key: key)).array ?? []
        var map: [[UInt8]: [UInt8]] = [:]
        var index = 0
        while index + 1 < flat.count {
            map[flat[index].bytes!] = flat[index + 1].bytes!
            index += 2
        }
        return map
    }

    /// One string per spelling, then an object per spelling, then an object
    /// per group holding all its spellings as keys; with their pottery texts.
    func members() throws -> (values: [JSONValue], texts: [String]) {
        let all = EquivalentSpellings.all
        var texts = all.map(EquivalentSpellings.escaped)
        texts += all.map { "{" + EquivalentSpellings.escaped($0) + ": 1}" }
        texts += EquivalentSpellings.pythonObjectTexts
        return (try texts.map(decodeText), texts)
    }

    @Test func equivalentSpellingsAreDifferentSetMembers() throws {
        let (values, texts) = try members()
        let set = RedisSet<JSONValue>(connection, key: uniqueKey())
        #expect(try set.add(values) == values.count)
        #expect(try set.count() == values.count)
        #expect(try rawMembers(set.key) == Set(texts.map { Array($0.utf8) }))
        #expect(try set.members().count == values.count)
        #expect(try set.toSet() == Set(values))
        #expect(try set.toSet().count == values.count)
        #expect(try set.containsMany(values).allSatisfy { $0 })
        #expect(try set.add(values) == 0)

        try set.remove(.string("e\u{301}"))
        #expect(try !set.contains(.string("e\u{301}")))
        #expect(try set.contains(.string("\u{E9}")))
        #expect(try set.count() == values.count - 1)
        try set.clear()
    }

    @Test func setAlgebraKeepsSpellingsApart() throws {
        let all = EquivalentSpellings.all.map(JSONValue.string)
        let composed: [JSONValue] = ["\u{E9}", "\u{C5}", "\u{3A9}", "\u{AC00}"]
        let others = all.filter { !composed.contains($0) }
        #expect(others.count == all.count - composed.count)
        let everything = RedisSet<JSONValue>(connection, key: uniqueKey())
        try everything.add(all)
        let remoteServer = try RedisServer()
        for server in [connection, remoteServer.connection()] {
            let nfc = RedisSet<JSONValue>(server, key: uniqueKey())
            try nfc.add(composed)
            #expect(Set(try everything.intersection([nfc])) == Set(composed))
            #expect(Set(try everything.difference([nfc])) == Set(others))
            #expect(Set(try everything.union([nfc])) == Set(all))
            #expect(Set(try everything.symmetricDifference(nfc)) == Set(others))
            #expect(try nfc.isSubset(of: everything))
            #expect(try !everything.isSubset(of: nfc))
            let copy = RedisSet<JSONValue>(connection, key: uniqueKey())
            try copy.add(all)
            try copy.subtract([nfc])
            #expect(try copy.toSet() == Set(others))
            try copy.formUnion([nfc])
            #expect(try copy.toSet() == Set(all))
            try copy.formIntersection([nfc])
            #expect(try copy.toSet() == Set(composed))
            try copy.clear()
            try nfc.clear()
        }
        try everything.clear()
    }

    @Test func typedStringSetsStoreEverySpelling() throws {
        let all = EquivalentSpellings.all
        let set = RedisSet<String>(connection, key: uniqueKey())
        #expect(try set.add(all) == all.count)
        #expect(try set.count() == all.count)
        #expect(try set.members().count == all.count)
        #expect(try set.containsMany(all).allSatisfy { $0 })
        // As documented: a Swift Set<String> merges canonically equivalent
        // strings; RedisSet<JSONValue> (above) keeps them apart.
        #expect(try set.toSet().count == EquivalentSpellings.groups.count)
        try set.clear()
    }

    @Test func equivalentSpellingsAreDifferentDictFields() throws {
        let (values, texts) = try members()
        let dict = RedisDict<JSONValue, JSONValue>(connection, key: uniqueKey())
        for (index, field) in values.enumerated() { try dict.set(.int(index), for: field) }
        #expect(try dict.count() == values.count)
        for (index, field) in values.enumerated() {
            #expect(try dict.get(field) == .int(index), "\(texts[index])")
        }
        var expected: [[UInt8]: [UInt8]] = [:]
        for (index, text) in texts.enumerated() { expected[Array(text.utf8)] = Array(String(index).utf8) }
        #expect(try rawHash(dict.key) == expected)
        #expect(try dict.keys().count == values.count)
        #expect(try dict.items().count == values.count)
        #expect(try dict.toDictionary().count == values.count)
        #expect(try Set(dict.keys()) == Set(values))

        // Objects holding every spelling of a group, as values.
        for (index, text) in EquivalentSpellings.pythonObjectTexts.enumerated() {
            try dict.set(try decodeText(text), for: .string("group \(index)"))
            let field = Array(potteryText(.string("group \(index)")).utf8)
            var hget = RedisCommand("HGET", key: dict.key)
            hget.append(bytes: field)
            #expect(try connection.send(hget).bytes == Array(text.utf8))
            #expect(try dict.get(.string("group \(index)"))?.objectValue?.count == EquivalentSpellings.groups[index].count)
        }
        try dict.clear()
    }

    @Test func typedDictsStoreEverySpellingAndRefuseToMergeThem() throws {
        let all = EquivalentSpellings.all
        let dict = RedisDict<String, Int>(connection, key: uniqueKey())
        for (index, field) in all.enumerated() { try dict.set(index, for: field) }
        #expect(try dict.count() == all.count)
        for (index, field) in all.enumerated() { #expect(try dict.get(field) == index) }
        #expect(try dict.keys().count == all.count)
        #expect(try dict.items().count == all.count)
        // As documented: a Swift [String: Int] merges canonically equivalent
        // keys; RedisDict<JSONValue, _> (above) keeps them apart.
        #expect(try dict.toDictionary().count == EquivalentSpellings.groups.count)

        // A value that a Swift [String: Int] would hold with a key lost is a TypeError.
        let nested = RedisDict<String, [String: Int]>(connection, key: uniqueKey())
        var hset = RedisCommand("HSET", key: nested.key)
        hset.append("\"x\"")
        hset.append(EquivalentSpellings.pythonObjectTexts[2])
        try connection.send(hset)
        let error = try #require(throws: PotteryError.self) { try nested.get("x") }
        #expect(error.code == .typeError)
        #expect(error.message.contains(#""\u2126""#) && error.message.contains(#""\u03a9""#), "\(error)")
        try dict.clear()
        try nested.clear()
    }
}

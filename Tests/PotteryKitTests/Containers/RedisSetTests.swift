import PotteryKit
import PotteryTestSupport
import Testing

@Suite struct RedisSetTests {
    let connection = RedisServer.shared.connection()

    func smembers(_ key: RedisKey) throws -> Set<String> {
        Set((try connection.send(RedisCommand("SMEMBERS", key: key)).array ?? []).map { String(decoding: $0.bytes!, as: UTF8.self) })
    }

    @Test func storesPotteryBytesAndAnswersMembership() throws {
        let key = uniqueKey()
        let basket = RedisSet<JSONValue>(connection, key: key)
        #expect(try basket.add(["apple", "orange", 1, 1.0, true, nil, "apple"]) == 6)
        #expect(try smembers(key) == ["\"apple\"", "\"orange\"", "1", "1.0", "true", "null"])
        #expect(try basket.contains("apple"))
        #expect(try !basket.contains("pear"))
        #expect(try basket.containsMany(["apple", "pear", 1.0, false]) == [true, false, true, false])
        #expect(try basket.count() == 6)
        #expect(try basket.add("apple") == false)
        #expect(try basket.discard(["orange", "missing"]) == 1)
        try basket.remove("apple")
        let error = try #require(throws: PotteryError.self) { try basket.remove("apple") }
        #expect(error.code == .keyError)
        #expect(Set(try basket.members()) == [1, 1.0, true, nil])
        var popped: Set<JSONValue> = []
        for _ in 0..<4 { popped.insert(try basket.pop()) }
        #expect(popped == [1, 1.0, true, nil])
        let empty = try #require(throws: PotteryError.self) { try basket.pop() }
        #expect(empty.code == .keyError)
        #expect(empty.message == "pop from an empty set")
    }

    @Test func algebraOnOneServerRunsServerSide() throws {
        let a = RedisSet<Int>(connection, key: uniqueKey())
        let b = RedisSet<Int>(connection, key: uniqueKey())
        let c = RedisSet<Int>(connection, key: uniqueKey())
        try a.add([1, 2, 3, 4])
        try b.add([3, 4, 5])
        try c.add([4, 6])
        #expect(Set(try a.union([b, c])) == [1, 2, 3, 4, 5, 6])
        #expect(Set(try a.intersection([b, c])) == [4])
        #expect(Set(try a.difference([b, c])) == [1, 2])
        #expect(Set(try a.symmetricDifference(b)) == [1, 2, 5])
        #expect(try !a.isDisjoint(with: b))
        #expect(try a.isDisjoint(with: RedisSet<Int>(connection, key: uniqueKey())))
        #expect(try RedisSet<Int>(connection, key: c.key).isSubset(of: c))
        #expect(try !c.isSubset(of: a))
        try c.discard([6])
        #expect(try c.isSubset(of: a))
        #expect(try a.isSuperset(of: c))
        try a.formUnion([b])
        #expect(try a.toSet() == [1, 2, 3, 4, 5])
        try a.subtract([c])
        #expect(try a.toSet() == [1, 2, 3, 5])
        try a.formIntersection([b])
        #expect(try a.toSet() == [3, 5])
        try a.formSymmetricDifference(b)
        #expect(try a.toSet() == [4])
        for set in [a, b, c] { try set.clear() }
    }

    @Test func algebraAcrossServersGivesTheSameAnswers() throws {
        let other = try RedisServer()
        let a = RedisSet<String>(connection, key: uniqueKey())
        let b = RedisSet<String>(other.connection(), key: uniqueKey())
        try a.add(["x", "y", "z"])
        try b.add(["y", "z", "w"])
        #expect(Set(try a.union([b])) == ["x", "y", "z", "w"])
        #expect(Set(try a.intersection([b])) == ["y", "z"])
        #expect(Set(try a.difference([b])) == ["x"])
        #expect(Set(try a.symmetricDifference(b)) == ["x", "w"])
        #expect(try !a.isDisjoint(with: b))
        #expect(try !a.isSubset(of: b))
        try b.add(["x"])
        #expect(try a.isSubset(of: b))
        #expect(try b.isSuperset(of: a))
        try a.formUnion([b])
        #expect(try a.toSet() == ["x", "y", "z", "w"])
        try b.discard(["x"])
        try a.subtract([b])
        #expect(try a.toSet() == ["x"])
        try a.add(["y"])
        try a.formIntersection([b])
        #expect(try a.toSet() == ["y"])
        try a.formSymmetricDifference(b)
        #expect(try a.toSet() == ["z", "w"])
        try a.clear()
    }

    @Test func wrongTypeBadBytesAndKeyExists() throws {
        let key = uniqueKey()
        try connection.send(command("SET", key.description, "plain"))
        let set = RedisSet<String>(connection, key: key)
        let wrongType = try #require(throws: PotteryError.self) { try set.add(["x"]) }
        #expect(wrongType.code == .wrongType)
        #expect(throws: PotteryError.self) { try set.clear() }
        #expect(try connection.send(RedisCommand("GET", key: key)) == .bulk(Array("plain".utf8)))
        let exists = try #require(throws: PotteryError.self) { try RedisSet<String>(connection, key: key, contents: ["x"]) }
        #expect(exists.code == .keyExists)

        let bad = uniqueKey()
        try connection.send(command("SADD", bad.description, "\"fine\"", "{broken"))
        let garbage = RedisSet<JSONValue>(connection, key: bad)
        let error = try #require(throws: PotteryError.self) { try garbage.members() }
        #expect(error.code == .decodeError)
        #expect(error.key == bad.description)
        // A cross-server update refuses to copy bytes that are not pottery JSON.
        let other = try RedisServer()
        let target = RedisSet<JSONValue>(other.connection(), key: uniqueKey())
        #expect(throws: PotteryError.self) { try target.formUnion([garbage]) }
        #expect(try target.count() == 0)
        try connection.send(RedisCommand("DEL", key: key))
        try connection.send(RedisCommand("DEL", key: bad))
    }

    @Test func temporarySetIsDeletedAndLargeSetsStream() throws {
        var key: RedisKey?
        do {
            let set = try RedisSet<Int>(temporaryOn: connection)
            key = set.key
            try set.add(Array(0..<3000))
            var total = 0
            try set.forEachBatch(count: 300) { total += $0.count }
            #expect(total >= 3000)
            #expect(try set.members().count == 3000)
        }
        #expect(try connection.send(RedisCommand("EXISTS", key: key!)) == .integer(0))
    }

    @Test func setOperationsStreamThroughAScratchKeyThatIsDeleted() throws {
        // A private server: no other test's temporary keys show up in KEYS pottery:*.
        let own = try RedisServer()
        let connection = own.connection()
        let a = RedisSet<Int>(connection, key: uniqueKey())
        let b = RedisSet<Int>(connection, key: uniqueKey())
        try a.add(Array(0..<3000))
        try b.add(Array(2000..<4000))
        func collect(_ operation: SetOperation, _ others: [RedisSet<Int>]) throws -> (Set<Int>, Int) {
            var members: Set<Int> = []
            var batches = 0
            try a.forEachBatch(of: operation, with: others, count: 500) { batch in
                batches += 1
                members.formUnion(batch)
            }
            return (members, batches)
        }
        let (union, batches) = try collect(.union, [b])
        #expect(union == Set(0..<4000))
        #expect(batches > 1)
        #expect(try collect(.intersection, [b]).0 == Set(2000..<3000))
        #expect(try collect(.difference, [b]).0 == Set(0..<2000))
        #expect(try collect(.symmetricDifference, [b]).0 == Set(0..<2000).union(3000..<4000))
        // No scratch key is left behind.
        let scratch = try connection.send(command("KEYS", "pottery:*")).array ?? []
        #expect(scratch.isEmpty)
        #expect(throws: PotteryError.self) { try a.forEachBatch(of: .symmetricDifference, with: [b, b]) { _ in } }

        // Across servers the same answers come in batches too.
        let other = try RedisServer()
        let far = RedisSet<Int>(other.connection(), key: uniqueKey())
        try far.add(Array(2000..<4000))
        var farUnion: Set<Int> = []
        try a.forEachBatch(of: .union, with: [far], count: 700) { farUnion.formUnion($0) }
        #expect(farUnion == Set(0..<4000))

        // Bad bytes in an operand name the operand's key, not the scratch key.
        try connection.send(command("SADD", b.key.description, "not json"))
        let error = try #require(throws: PotteryError.self) { try a.forEachBatch(of: .union, with: [b]) { _ in } }
        #expect(error.code == .decodeError)
        #expect(error.key == a.key.description)
        #expect(error.message.contains(b.key.description))
        try a.clear()
        try connection.send(RedisCommand("DEL", key: b.key))
    }
}

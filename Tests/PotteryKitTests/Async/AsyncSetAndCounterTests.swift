import PotteryKit
import PotteryTestSupport
import Testing

/// `set.async` and `counter.async` give what the sync forms give, value or
/// error, and leave the same bytes in Redis.
@Suite struct AsyncSetAndCounterTests {
    let connection = RedisServer.shared.connection()

    @Test func everySetCallsAsyncFormMatchesItsSyncForm() async throws {
        let (syncKey, asyncKey) = (uniqueKey("set-sync"), uniqueKey("set-async"))
        let (s, a) = (RedisSet<Int>(connection, key: syncKey), RedisSet<Int>(connection, key: asyncKey))
        let other = try RedisSet<Int>(connection, key: uniqueKey("set-other"), contents: [3, 5])
        await expectSame("add many", { try s.add([1, 2, 3]) }, { try await a.async.add([1, 2, 3]) })
        await expectSame("add none", { try s.add([]) }, { try await a.async.add([]) })
        await expectSame("add new", { try s.add(4) }, { try await a.async.add(4) })
        await expectSame("add again", { try s.add(4) }, { try await a.async.add(4) })
        await expectSame("contains", { try s.contains(2) }, { try await a.async.contains(2) })
        await expectSame("contains not", { try s.contains(9) }, { try await a.async.contains(9) })
        await expectSame("containsMany", { try s.containsMany([1, 9, 3]) }, { try await a.async.containsMany([1, 9, 3]) })
        await expectSame("count", { try s.count() }, { try await a.async.count() })
        await expectSame("discard", { try s.discard([1, 9]) }, { try await a.async.discard([1, 9]) })
        await expectSame("remove", { try s.remove(2) }, { try await a.async.remove(2) })
        await expectSame("remove missing", { try s.remove(99) }, { try await a.async.remove(99) })
        await expectSame("members", { try s.members().sorted() }, { try await a.async.members().sorted() })
        await expectSame("toSet", { try s.toSet() }, { try await a.async.toSet() })
        await expectSame("union", { try s.union([other]).sorted() }, { try await a.async.union([other]).sorted() })
        await expectSame("intersection", { try s.intersection([other]) }, { try await a.async.intersection([other]) })
        await expectSame("difference", { try s.difference([other]) }, { try await a.async.difference([other]) })
        await expectSame("symmetricDifference", { try s.symmetricDifference(other).sorted() },
                         { try await a.async.symmetricDifference(other).sorted() })
        await expectSame("isDisjoint", { try s.isDisjoint(with: other) }, { try await a.async.isDisjoint(with: other) })
        await expectSame("isSubset", { try s.isSubset(of: other) }, { try await a.async.isSubset(of: other) })
        await expectSame("isSuperset", { try s.isSuperset(of: other) }, { try await a.async.isSuperset(of: other) })
        await expectSame("isEqual set", { try s.isEqual(to: [3, 4]) }, { try await a.async.isEqual(to: [3, 4]) })
        await expectSame("isEqual handle", { try s.isEqual(to: other) }, { try await a.async.isEqual(to: other) })
        await expectSame("formUnion", { try s.formUnion([other]) }, { try await a.async.formUnion([other]) })
        await expectSame("subtract", { try s.subtract([other]) }, { try await a.async.subtract([other]) })
        await expectSame("formSymmetricDifference", { try s.formSymmetricDifference(other) },
                         { try await a.async.formSymmetricDifference(other) })
        try expectSameBytes(connection, syncKey, asyncKey)
        // {3, 4, 5} ∩ {3, 5} ∩ {5}: one member left, so pop is not left to chance.
        let five = try RedisSet<Int>(connection, key: uniqueKey("set-five"), contents: [5])
        await expectSame("formIntersection", { try s.formIntersection([other, five]) },
                         { try await a.async.formIntersection([other, five]) })
        await expectSame("pop the one left", { try s.pop() }, { try await a.async.pop() })
        await expectSame("pop empty", { try s.pop() }, { try await a.async.pop() })
        try s.add([7])
        try await a.async.add([7])
        try expectSameBytes(connection, syncKey, asyncKey)
        await expectSame("clear", { try s.clear() }, { try await a.async.clear() })
        #expect(try storedBytes(connection, asyncKey) == ["none"])
        try other.clear()
        try five.clear()
    }

    @Test func everyCounterCallsAsyncFormMatchesItsSyncForm() async throws {
        let (syncKey, asyncKey) = (uniqueKey("counter-sync"), uniqueKey("counter-async"))
        let (s, a) = (RedisCounter<String>(connection, key: syncKey), RedisCounter<String>(connection, key: asyncKey))
        await expectSame("update", { try s.update(["a", "b", "a"]) }, { try await a.async.update(["a", "b", "a"]) })
        await expectSame("update counts", { try s.update(counts: [("c", 5), ("a", 1)]) },
                         { try await a.async.update(counts: [("c", 5), ("a", 1)]) })
        await expectSame("subtract", { try s.subtract(["b", "b"]) }, { try await a.async.subtract(["b", "b"]) })
        await expectSame("subtract counts", { try s.subtract(counts: [("c", 2)]) }, { try await a.async.subtract(counts: [("c", 2)]) })
        await expectSame("count of", { try s.count(of: "a") }, { try await a.async.count(of: "a") })
        await expectSame("count of missing", { try s.count(of: "z") }, { try await a.async.count(of: "z") })
        await expectSame("set", { try s.set(0, for: "zero") }, { try await a.async.set(0, for: "zero") })
        await expectSame("delete", { try s.delete("zero") }, { try await a.async.delete("zero") })
        await expectSame("delete missing", { try s.delete("zero") }, { try await a.async.delete("zero") })
        // Near Int's limits the script declines and the exact path (a WATCH transaction) runs.
        await expectSame("exact path", { try s.update(counts: [("big", Int.max - 1)]) },
                         { try await a.async.update(counts: [("big", Int.max - 1)]) })
        await expectSame("exact path overflow", { try s.update(counts: [("big", 2)]) },
                         { try await a.async.update(counts: [("big", 2)]) })
        try s.delete("big")
        try await a.async.delete("big")
        await expectSame("count", { try s.count() }, { try await a.async.count() })
        await expectSame("items", { try s.items().map { "\($0.element)=\($0.count)" } },
                         { try await a.async.items().map { "\($0.element)=\($0.count)" } })
        await expectSame("mostCommon", { try s.mostCommon(2).map { "\($0.element)=\($0.count)" } },
                         { try await a.async.mostCommon(2).map { "\($0.element)=\($0.count)" } })
        await expectSame("elements", { try s.elements() }, { try await a.async.elements() })
        await expectSame("total", { try s.total() }, { try await a.async.total() })
        await expectSame("toDictionary", { try s.toDictionary() }, { try await a.async.toDictionary() })
        try expectSameBytes(connection, syncKey, asyncKey)
        #expect(try await a.async.toDictionary() == ["a": 3, "b": -1, "c": 3])
        // A stored count that is not an integer: both forms refuse and change nothing.
        for key in [syncKey, asyncKey] { try connection.send(RedisCommand("HSET", key: key).appending(["\"a\"", "1.5"])) }
        await expectSame("bad stored count", { try s.update(["a"]) }, { try await a.async.update(["a"]) })
        try expectSameBytes(connection, syncKey, asyncKey)
        await expectSame("clear", { try s.clear() }, { try await a.async.clear() })
        #expect(try storedBytes(connection, asyncKey) == ["none"])
    }

    @Test func asyncFormsOnAKeyOfAnotherTypeThrowWrongTypeAndChangeNothing() async throws {
        let key = uniqueKey()
        try makeString(connection, key)
        let set = RedisSet<Int>(connection, key: key)
        let counter = RedisCounter<String>(connection, key: key)
        let calls: [(String, () async throws -> Void)] = [
            ("set.add", { try await set.async.add(1) }),
            ("set.members", { _ = try await set.async.members() }),
            ("set.clear", { try await set.async.clear() }),
            ("counter.update", { try await counter.async.update(["a"]) }),
            ("counter.count", { _ = try await counter.async.count(of: "a") }),
            ("counter.items", { _ = try await counter.async.items() }),
        ]
        for (label, call) in calls {
            let error = await #expect(throws: PotteryError.self, "\(label)") { try await call() }
            #expect(error?.code == .wrongType, "\(label)")
            #expect(error?.key == key.description, "\(label)")
        }
        #expect(try connection.send(RedisCommand("GET", key: key)) == .bulk(Array("not a container".utf8)))
    }
}

extension RedisCommand {
    /// This command with `words` appended.
    func appending(_ words: [String]) -> RedisCommand {
        var command = self
        for word in words { command.append(word) }
        return command
    }
}

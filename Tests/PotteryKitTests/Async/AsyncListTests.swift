import PotteryKit
import PotteryTestSupport
import Testing

/// `list.async` and `deque.async` give what the sync forms give, value or
/// error, and leave the same bytes in Redis.
@Suite struct AsyncListTests {
    let connection = RedisServer.shared.connection()

    @Test func everyListCallsAsyncFormMatchesItsSyncForm() async throws {
        let (syncKey, asyncKey) = (uniqueKey("list-sync"), uniqueKey("list-async"))
        let (s, a) = (RedisList<Int>(connection, key: syncKey), RedisList<Int>(connection, key: asyncKey))
        await expectSame("pop empty", { try s.pop() }, { try await a.async.pop() })
        await expectSame("extend", { try s.extend([5, 1, 4, 1]) }, { try await a.async.extend([5, 1, 4, 1]) })
        await expectSame("append", { try s.append(9) }, { try await a.async.append(9) })
        await expectSame("count", { try s.count() }, { try await a.async.count() })
        await expectSame("element", { try s.element(at: -1) }, { try await a.async.element(at: -1) })
        await expectSame("element out of range", { try s.element(at: 10) }, { try await a.async.element(at: 10) })
        await expectSame("set", { try s.set(2, at: 0) }, { try await a.async.set(2, at: 0) })
        await expectSame("set out of range", { try s.set(2, at: 99) }, { try await a.async.set(2, at: 99) })
        await expectSame("insert", { try s.insert(7, at: 1) }, { try await a.async.insert(7, at: 1) })
        await expectSame("index", { try s.index(of: 4) }, { try await a.async.index(of: 4) })
        await expectSame("index missing", { try s.index(of: 42) }, { try await a.async.index(of: 42) })
        await expectSame("count of", { try s.count(of: 1) }, { try await a.async.count(of: 1) })
        await expectSame("remove", { try s.remove(1) }, { try await a.async.remove(1) })
        await expectSame("remove missing", { try s.remove(42) }, { try await a.async.remove(42) })
        await expectSame("toArray", { try s.toArray() }, { try await a.async.toArray() })
        await expectSame("elementsEqual", { try s.elementsEqual([2, 7, 4, 1, 9]) }, { try await a.async.elementsEqual([2, 7, 4, 1, 9]) })
        let odd = ListSlice(start: 1, step: 2)
        await expectSame("slice", { try s.elements(in: odd) }, { try await a.async.elements(in: odd) })
        await expectSame("zero step", { try s.elements(in: ListSlice(step: 0)) }, { try await a.async.elements(in: ListSlice(step: 0)) })
        await expectSame("replace", { try s.replace(odd, with: [8, 3]) }, { try await a.async.replace(odd, with: [8, 3]) })
        await expectSame("replace wrong count", { try s.replace(odd, with: [8]) }, { try await a.async.replace(odd, with: [8]) })
        await expectSame("sort", { try s.sort(reverse: true) }, { try await a.async.sort(reverse: true) })
        await expectSame("reverse", { try s.reverse() }, { try await a.async.reverse() })
        await expectSame("pop at", { try s.pop(at: 1) }, { try await a.async.pop(at: 1) })
        await expectSame("pop at out of range", { try s.pop(at: 40) }, { try await a.async.pop(at: 40) })
        await expectSame("pop", { try s.pop() }, { try await a.async.pop() })
        await expectSame("remove at", { try s.remove(at: 0) }, { try await a.async.remove(at: 0) })
        await expectSame("removeElements", { try s.removeElements(in: ListSlice(stop: 1)) },
                         { try await a.async.removeElements(in: ListSlice(stop: 1)) })
        try expectSameBytes(connection, syncKey, asyncKey)
        #expect(try await a.async.toArray() == [8])
        await expectSame("clear", { try s.clear() }, { try await a.async.clear() })
        #expect(try storedBytes(connection, asyncKey) == ["none"])
    }

    @Test func everyDequeCallsAsyncFormMatchesItsSyncForm() async throws {
        let (syncKey, asyncKey) = (uniqueKey("deque-sync"), uniqueKey("deque-async"))
        let s = try RedisDeque<String>(connection, key: syncKey, maxlen: 3)
        let a = try RedisDeque<String>(connection, key: asyncKey, maxlen: 3)
        await expectSame("popLeft empty", { try s.popLeft() }, { try await a.async.popLeft() })
        await expectSame("extend past maxlen", { try s.extend(["a", "b", "c", "d"]) }, { try await a.async.extend(["a", "b", "c", "d"]) })
        await expectSame("appendLeft", { try s.appendLeft("z") }, { try await a.async.appendLeft("z") })
        await expectSame("extendLeft", { try s.extendLeft(["y", "x"]) }, { try await a.async.extendLeft(["y", "x"]) })
        await expectSame("rotate", { try s.rotate(-1) }, { try await a.async.rotate(-1) })
        await expectSame("insert into full", { try s.insert("w", at: 1) }, { try await a.async.insert("w", at: 1) })
        await expectSame("append", { try s.append("e") }, { try await a.async.append("e") })
        await expectSame("popLeft", { try s.popLeft() }, { try await a.async.popLeft() })
        await expectSame("pop", { try s.pop() }, { try await a.async.pop() })
        await expectSame("pop message", { try s.pop(); return try s.pop() }, { try await a.async.pop(); return try await a.async.pop() })
        try expectSameBytes(connection, syncKey, asyncKey)
        #expect(try storedBytes(connection, asyncKey) == ["none"])
    }

    @Test func anAsyncPopOfBytesThatAreNotPotteryJSONPutsThemBackAsTheSyncPopDoes() async throws {
        let keys = (uniqueKey("pop-sync"), uniqueKey("pop-async"), uniqueKey("set-sync"), uniqueKey("set-async"))
        for key in [keys.0, keys.1] { try connection.send(RedisCommand("RPUSH", key: key).appending(["1", "not json", "2"])) }
        for key in [keys.2, keys.3] { try connection.send(RedisCommand("SADD", key: key).appending(["not json"])) }
        let (s, a) = (try RedisDeque<Int>(connection, key: keys.0), try RedisDeque<Int>(connection, key: keys.1))
        await expectSame("pop", { try s.pop() }, { try await a.async.pop() })
        await expectSame("pop bad", { try s.pop() }, { try await a.async.pop() })
        try expectSameBytes(connection, keys.0, keys.1)
        await expectSame("popLeft", { try s.popLeft() }, { try await a.async.popLeft() })
        await expectSame("popLeft bad", { try s.popLeft() }, { try await a.async.popLeft() })
        try expectSameBytes(connection, keys.0, keys.1)
        #expect(try storedBytes(connection, keys.1) == ["list", "not json"])
        let (ss, sa) = (RedisSet<Int>(connection, key: keys.2), RedisSet<Int>(connection, key: keys.3))
        await expectSame("set pop bad", { try ss.pop() }, { try await sa.async.pop() })
        try expectSameBytes(connection, keys.2, keys.3)
        #expect(try storedBytes(connection, keys.3) == ["set", "not json"])
        for key in [keys.0, keys.1, keys.2, keys.3] { try connection.send(RedisCommand("DEL", key: key)) }
    }

    @Test func listAsyncFormsOnAKeyOfAnotherTypeThrowWrongTypeAndChangeNothing() async throws {
        let key = uniqueKey()
        try makeString(connection, key)
        let list = RedisList<Int>(connection, key: key)
        let deque = try RedisDeque<Int>(connection, key: key, maxlen: 2)
        let calls: [(String, () async throws -> Void)] = [
            ("list.append", { try await list.async.append(1) }),
            ("list.insert", { try await list.async.insert(1, at: 0) }),
            ("list.toArray", { _ = try await list.async.toArray() }),
            ("list.index", { _ = try await list.async.index(of: 1) }),
            ("deque.appendLeft", { try await deque.async.appendLeft(1) }),
            ("deque.clear", { try await deque.async.clear() }),
        ]
        for (label, call) in calls {
            let error = await #expect(throws: PotteryError.self, "\(label)") { try await call() }
            #expect(error?.code == .wrongType, "\(label)")
            #expect(error?.key == key.description, "\(label)")
        }
        #expect(try connection.send(RedisCommand("GET", key: key)) == .bulk(Array("not a container".utf8)))
    }
}

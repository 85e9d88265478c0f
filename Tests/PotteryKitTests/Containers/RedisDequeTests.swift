import PotteryKit
import PotteryTestSupport
import Testing

@Suite struct RedisDequeTests {
    let connection = RedisServer.shared.connection()

    func lrange(_ key: RedisKey) throws -> [String] {
        var command = RedisCommand("LRANGE", key: key)
        command.append(0)
        command.append(-1)
        return (try connection.send(command).array ?? []).map { String(decoding: $0.bytes!, as: UTF8.self) }
    }

    /// The collections.deque documentation's walk-through.
    @Test func pythonDocsWalkThrough() throws {
        let key = uniqueKey()
        let d = try RedisDeque<String>(connection, key: key, contents: ["g", "h", "i"])
        try d.append("j")
        try d.appendLeft("f")
        #expect(try d.toArray() == ["f", "g", "h", "i", "j"])
        #expect(try d.pop() == "j")
        #expect(try d.popLeft() == "f")
        #expect(try d.element(at: 0) == "g")
        #expect(try d.element(at: -1) == "i")
        try d.extend(["j", "k", "l"])
        try d.rotate(1)
        #expect(try d.toArray() == ["l", "g", "h", "i", "j", "k"])
        try d.rotate(-1)
        #expect(try d.toArray() == ["g", "h", "i", "j", "k", "l"])
        try d.clear()
        let empty = #expect(throws: PotteryError.self) { try d.pop() }
        #expect(empty?.code == .indexError && empty?.message == "pop from an empty deque")
        #expect((#expect(throws: PotteryError.self) { try d.popLeft() })?.code == .indexError)
        try d.extendLeft(["a", "b", "c"])
        #expect(try lrange(key) == ["\"c\"", "\"b\"", "\"a\""])
        try d.clear()
    }

    @Test func maxlenDropsFromTheOtherEnd() throws {
        let key = uniqueKey()
        let d = try RedisDeque<Int>(connection, key: key, contents: [1, 2, 3, 4, 5, 6], maxlen: 3)
        #expect(d.maxlen == 3)
        #expect(try d.toArray() == [4, 5, 6])
        try d.append(7)
        #expect(try d.toArray() == [5, 6, 7])
        try d.appendLeft(4)
        #expect(try d.toArray() == [4, 5, 6])
        try d.extend([7, 8, 9, 10, 11])
        #expect(try d.toArray() == [9, 10, 11])
        try d.extendLeft([1, 2, 3, 4, 5])
        #expect(try d.toArray() == [5, 4, 3])
        let full = #expect(throws: PotteryError.self) { try d.insert(0, at: 1) }
        #expect(full?.code == .indexError && full?.message == "deque already at its maximum size")
        #expect((#expect(throws: PotteryError.self) { try d.replace(ListSlice(start: 0, stop: 0), with: [1]) })?.code == .indexError)
        try d.replace(ListSlice(start: 0, stop: 1), with: [50])
        #expect(try d.toArray() == [50, 4, 3])
        // Another handle, unbounded, may make it longer; a bounded push then refuses, as pottery
        // refuses to open it ("persistent RedisDeque beyond its maximum size"), and keeps every item.
        try RedisList<Int>(connection, key: key).extend([2, 1])
        for push in [{ try d.append(0) }, { try d.appendLeft(0) }, { try d.extend([0]) }, { try d.extendLeft([0]) }] as [() throws -> Void] {
            let beyond = #expect(throws: PotteryError.self) { try push() }
            #expect(beyond?.code == .indexError && beyond?.message == "persistent RedisDeque beyond its maximum size")
        }
        #expect(try d.toArray() == [50, 4, 3, 2, 1])
        try d.clear()
    }

    /// Python: deque(maxlen=0) keeps nothing on either side (pottery 3.0.1 keeps what appendleft adds).
    @Test func maxlenZeroKeepsNothing() throws {
        let key = uniqueKey()
        let d = try RedisDeque<Int>(connection, key: key, maxlen: 0)
        try d.append(1)
        try d.appendLeft(2)
        try d.extend([3, 4])
        try d.extendLeft([5])
        #expect(try d.count() == 0)
        #expect((#expect(throws: PotteryError.self) { try d.insert(1, at: 0) })?.code == .indexError)
        let built = try RedisDeque<Int>(connection, key: key, contents: [1, 2], maxlen: 0)
        #expect(try built.count() == 0)
        try RedisList<Int>(connection, key: key).append(9)
        #expect((#expect(throws: PotteryError.self) { try d.append(1) })?.code == .indexError)
        #expect(try d.toArray() == [9])
        try d.clear()
        let negative = #expect(throws: PotteryError.self) { try RedisDeque<Int>(connection, key: key, maxlen: -1) }
        #expect(negative?.code == .valueError)
    }

    @Test func rotateAnyAmount() throws {
        let key = uniqueKey()
        let d = try RedisDeque<Int>(connection, key: key, contents: Array(0..<10))
        try d.rotate(2)
        #expect(try d.toArray() == [8, 9, 0, 1, 2, 3, 4, 5, 6, 7])
        try d.rotate(-2)
        try d.rotate(23)  // 23 mod 10 = 3
        #expect(try d.toArray() == [7, 8, 9, 0, 1, 2, 3, 4, 5, 6])
        try d.rotate(-23)
        try d.rotate(Int.max)  // 9223372036854775807 mod 10 = 7
        #expect(try d.toArray() == [3, 4, 5, 6, 7, 8, 9, 0, 1, 2])
        try d.rotate(Int.min)  // -9223372036854775808 mod 10 = 2 (right), back 5 in all
        #expect(try d.toArray() == [1, 2, 3, 4, 5, 6, 7, 8, 9, 0])
        try d.rotate(10)
        try d.rotate(0)
        #expect(try d.toArray() == [1, 2, 3, 4, 5, 6, 7, 8, 9, 0])
        let empty = try RedisDeque<Int>(connection, key: uniqueKey())
        try empty.rotate(5)
        try empty.rotate(-1)
        #expect(try empty.count() == 0)
        try d.clear()
    }

    @Test func wrongTypeChangesNothing() throws {
        let key = uniqueKey()
        var sadd = RedisCommand("SADD", key: key)
        sadd.append("1")
        try connection.send(sadd)
        for maxlen in [nil, 0, 3] as [Int?] {
            let d = try RedisDeque<Int>(connection, key: key, maxlen: maxlen)
            let calls: [(String, () throws -> Void)] = [
                ("append", { try d.append(1) }), ("appendLeft", { try d.appendLeft(1) }), ("extend", { try d.extend([1, 2]) }),
                ("extendLeft", { try d.extendLeft([1]) }), ("popLeft", { _ = try d.popLeft() }), ("rotate", { try d.rotate(-1) }),
                ("insert", { try d.insert(1, at: 0) }),
            ]
            for (name, call) in calls {
                let error = #expect(throws: PotteryError.self, "\(name) \(String(describing: maxlen))") { try call() }
                #expect(error?.code == .wrongType, "\(name): \(String(describing: error))")
            }
        }
        #expect(try connection.send(RedisCommand("SMEMBERS", key: key)) == .array([.bulk(Array("1".utf8))]))
        try connection.send(RedisCommand("DEL", key: key))
    }
}

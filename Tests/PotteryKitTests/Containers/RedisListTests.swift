import PotteryKit
import PotteryTestSupport
import Testing

@Suite struct RedisListTests {
    let connection = RedisServer.shared.connection()

    func lrange(_ key: RedisKey) throws -> [String] {
        var command = RedisCommand("LRANGE", key: key)
        command.append(0)
        command.append(-1)
        return (try connection.send(command).array ?? []).map { String(decoding: $0.bytes!, as: UTF8.self) }
    }

    func plant(_ key: RedisKey, _ items: [String]) throws {
        var command = RedisCommand("RPUSH", key: key)
        for item in items { command.append(item) }
        try connection.send(command)
    }

    @Test func storedAsPotteryStoresItAndReadBack() throws {
        let key = uniqueKey()
        let list = try RedisList<JSONValue>(connection, key: key, contents: [1, "two", 3.0, nil, false, [1, 2], ["k": "v"]])
        #expect(try lrange(key) == ["1", "\"two\"", "3.0", "null", "false", "[1, 2]", "{\"k\": \"v\"}"])
        #expect(try list.count() == 7)
        #expect(try list.element(at: 0) == 1)
        #expect(try list.element(at: -1) == ["k": "v"])
        #expect(try list.element(at: -7) == 1)
        #expect(try list.elementsEqual([1, "two", 3.0, nil, false, [1, 2], ["k": "v"]]))
        #expect(try !list.elementsEqual([1, "two"]))
        let again = #expect(throws: PotteryError.self) { try RedisList<Int>(connection, key: key, contents: [1]) }
        #expect(again?.code == .keyExists)
        try list.clear()
        #expect(try list.count() == 0)
        #expect(try list.toArray().isEmpty)
    }

    @Test func indexErrorsFollowPython() throws {
        let key = uniqueKey()
        let list = try RedisList<Int>(connection, key: key, contents: [1, 4, 9])
        for index in [3, -4, Int.max, Int.min] {
            #expect((#expect(throws: PotteryError.self) { try list.element(at: index) })?.code == .indexError)
            #expect((#expect(throws: PotteryError.self) { try list.set(0, at: index) })?.code == .indexError)
            #expect((#expect(throws: PotteryError.self) { try list.remove(at: index) })?.code == .indexError)
            #expect((#expect(throws: PotteryError.self) { try list.pop(at: index) })?.code == .indexError)
        }
        #expect(try list.toArray() == [1, 4, 9])
        let empty = RedisList<Int>(connection, key: uniqueKey())
        let pop = #expect(throws: PotteryError.self) { try empty.pop() }
        #expect(pop?.code == .indexError && pop?.message == "pop from empty list")
        #expect((#expect(throws: PotteryError.self) { try empty.pop(at: 0) })?.message == "pop from empty list")
        #expect((#expect(throws: PotteryError.self) { try empty.set(1, at: 0) })?.code == .indexError)
        #expect((#expect(throws: PotteryError.self) { try list.pop(at: 7) })?.message == "pop index out of range")
    }

    @Test func setInsertPopAndDeleteAtAnyIndex() throws {
        let key = uniqueKey()
        let list = try RedisList<Int>(connection, key: key, contents: [0, 1, 2, 3, 4])
        try list.set(10, at: -1)
        try list.set(11, at: 1)
        #expect(try list.toArray() == [0, 11, 2, 3, 10])
        try list.insert(7, at: 2)
        try list.insert(8, at: -1)  // Python: before the last item (pottery: at the front)
        try list.insert(9, at: -100)
        try list.insert(6, at: 100)
        #expect(try list.toArray() == [9, 0, 11, 7, 2, 3, 8, 10, 6])
        #expect(try list.pop() == 6)
        #expect(try list.pop(at: 0) == 9)
        #expect(try list.pop(at: 2) == 7)
        #expect(try list.pop(at: -2) == 8)
        try list.remove(at: 1)
        try list.remove(at: -1)
        #expect(try list.toArray() == [0, 2, 3])
        try list.append(4)
        try list.extend([5, 0])
        try list.extend([])
        #expect(try lrange(key) == ["0", "2", "3", "4", "5", "0"])
        try list.reverse()
        #expect(try list.toArray() == [0, 5, 4, 3, 2, 0])
        try list.clear()
    }

    @Test func slicesGetDeleteAndAssignWithSteps() throws {
        let key = uniqueKey()
        let list = try RedisList<Int>(connection, key: key, contents: Array(0..<10))
        #expect(try list.elements(in: ListSlice(start: 1, stop: -1, step: 2)) == [1, 3, 5, 7])
        #expect(try list.elements(in: ListSlice(step: -3)) == [9, 6, 3, 0])
        #expect(try list.elements(in: ListSlice(start: 20)) == [])
        #expect(try list.elements(in: ListSlice(parsing: "-3:")) == [7, 8, 9])
        // Python: [0,1,2,3][2:4] = ['x'] -> [0, 1, 'x'] (pottery's tombstone 0 deletes the first 0).
        try list.replace(ListSlice(start: 2, stop: 10), with: [100])
        #expect(try list.toArray() == [0, 1, 100])
        try list.replace(ListSlice(start: 0, stop: 1), with: [7, 8, 9])  // pottery drops 8 and 9
        #expect(try list.toArray() == [7, 8, 9, 1, 100])
        try list.replace(ListSlice(step: 2), with: [0, 0, 0])
        #expect(try list.toArray() == [0, 8, 0, 1, 0])
        let size = #expect(throws: PotteryError.self) { try list.replace(ListSlice(step: 2), with: [1]) }
        #expect(size?.code == .valueError && size?.message == "attempt to assign sequence of size 1 to extended slice of size 3")
        #expect(try list.removeElements(in: ListSlice(start: 1, step: 2)) == 2)
        #expect(try list.toArray() == [0, 0, 0])
        #expect(try list.removeElements(in: ListSlice(start: 5)) == 0)
        try list.replace(ListSlice(), with: [])
        #expect(try list.count() == 0)
        for bad in [ListSlice(step: 0)] {
            #expect((#expect(throws: PotteryError.self) { try list.elements(in: bad) })?.code == .valueError)
            #expect((#expect(throws: PotteryError.self) { try list.removeElements(in: bad) })?.code == .valueError)
            #expect((#expect(throws: PotteryError.self) { try list.replace(bad, with: []) })?.code == .valueError)
        }
    }

    @Test func sliceNotationParses() throws {
        #expect(try ListSlice(parsing: "1:-1:2") == ListSlice(start: 1, stop: -1, step: 2))
        #expect(try ListSlice(parsing: "::-1") == ListSlice(step: -1))
        #expect(try ListSlice(parsing: ":") == ListSlice())
        #expect(ListSlice(start: 1, step: -2).description == "1::-2")
        // Integers beyond 64 bits are clamped, as Python clamps slice bounds.
        #expect(try ListSlice(parsing: "99999999999999999999:-99999999999999999999:-1")
                == ListSlice(start: .max, stop: .min, step: -1))
        for bad in ["1", "a:b", "1:2:3:4", "1.5:", "", "+-1:", "1e30:"] {
            #expect((#expect(throws: PotteryError.self) { try ListSlice(parsing: bad) })?.code == .valueError, "\(bad)")
        }
    }

    @Test func removeIndexAndCountUsePythonEquality() throws {
        let key = uniqueKey()
        let list = try RedisList<JSONValue>(connection, key: key, contents: ["a", 1.0, true, 1, [1, 2.0], .double(.nan), 0, false])
        #expect(try list.count(of: 1) == 3)
        #expect(try list.count(of: 0.0) == 2)
        #expect(try list.count(of: [1.0, 2]) == 1)
        // json.loads gives one NaN object and Python's count tests identity first: a NaN matches a NaN.
        #expect(try list.count(of: .double(.nan)) == 1)
        #expect(try list.index(of: .double(.nan)) == 5)
        #expect(!JSONValue.double(.nan).pythonEquals(.double(1)))
        #expect(JSONValue.array([.double(.nan), 1]).pythonLess(than: [.double(.nan), 2]) == true)
        #expect(try list.index(of: true) == 1)
        #expect(try list.index(of: false) == 6)
        let missing = #expect(throws: PotteryError.self) { try list.index(of: "b") }
        #expect(missing?.code == .valueNotFound && missing?.code.name == "ValueError")
        try list.remove(1)  // the first item equal to 1: the float 1.0
        #expect(try lrange(key) == ["\"a\"", "true", "1", "[1, 2.0]", "NaN", "0", "false"])
        let gone = #expect(throws: PotteryError.self) { try list.remove("zzz") }
        #expect(gone?.code == .valueNotFound && gone?.message == "list.remove(x): x not in list")
        #expect(try list.count() == 7)
        try list.clear()
    }

    @Test func pythonEqualityAndOrderingOfNumbers() {
        let big: JSONValue = JSONValue(integerText: "9223372036854775808")!
        #expect(big.pythonEquals(.double(9223372036854775808.0)))
        #expect(!JSONValue.int(9007199254740993).pythonEquals(.double(9007199254740992.0)))
        #expect(JSONValue.int(9007199254740993).pythonLess(than: .double(9007199254740994.0)) == true)
        #expect(JSONValue(integerText: "9223372036854775809")!.pythonLess(than: .double(9223372036854775808.0)) == false)
        #expect(JSONValue.int(Int.max).pythonLess(than: .double(9223372036854775808.0)) == true)
        #expect(JSONValue.bool(true).pythonLess(than: .double(1.5)) == true)
        #expect(JSONValue.string("a").pythonLess(than: .int(1)) == nil)
        #expect(JSONValue.null.pythonLess(than: .null) == nil)
        #expect(JSONValue.array([1, "a"]).pythonLess(than: [1.0, "b"]) == true)
        #expect(JSONValue.array([1]).pythonLess(than: [1, 0]) == true)
        #expect(!JSONValue.object(["a": 1]).pythonEquals(["a": 1, "b": 2]))
        #expect(JSONValue.object(["a": 1]).pythonEquals(["a": true]))
    }

    @Test func sortFollowsPythonAndKeepsStoredBytes() throws {
        let key = uniqueKey()
        try plant(key, ["3", "1.0", "true", "-2", "1", "2.5", "0"])
        let list = RedisList<JSONValue>(connection, key: key)
        try list.sort()
        #expect(try lrange(key) == ["-2", "0", "1.0", "true", "1", "2.5", "3"])  // stable: equal items keep their order
        try list.sort(reverse: true)
        #expect(try lrange(key) == ["3", "2.5", "1.0", "true", "1", "0", "-2"])
        let words = try RedisList<String>(connection, key: uniqueKey(), contents: ["pear", "Apple", "\u{E9}", "apple", "z"])
        try words.sort()
        #expect(try words.toArray() == ["Apple", "apple", "pear", "z", "\u{E9}"])  // code point order
        let mixed = try RedisList<JSONValue>(connection, key: uniqueKey(), contents: [1, "a", 2])
        let failure = #expect(throws: PotteryError.self) { try mixed.sort() }
        #expect(failure?.code == .typeError)
        #expect(try mixed.toArray() == [1, "a", 2])
        try list.clear()
        try words.clear()
        try mixed.clear()
    }

    @Test func streamsInBatchesAndStopsAtBadBytes() throws {
        let key = uniqueKey()
        let list = try RedisList<Int>(connection, key: key, contents: Array(0..<25))
        var batches: [[Int]] = []
        try list.forEachBatch(count: 10) { batches.append($0) }
        #expect(batches == [Array(0..<10), Array(10..<20), Array(20..<25)])
        try plant(key, ["26", "{nope", "27"])
        var seen: [Int] = []
        let error = #expect(throws: PotteryError.self) { try list.forEachBatch(count: 10) { seen += $0 } }
        #expect(error?.code == .decodeError)
        #expect(seen == Array(0..<25) + [26])
        #expect((#expect(throws: PotteryError.self) { try list.count(of: 3) })?.code == .decodeError)
        try list.clear()
    }

    @Test func wrongTypeChangesNothing() throws {
        let key = uniqueKey()
        var hset = RedisCommand("HSET", key: key)
        hset.append("f")
        hset.append("1")
        try connection.send(hset)
        let list = RedisList<Int>(connection, key: key)
        let slice = ListSlice(start: 0, stop: 1)
        let calls: [(String, () throws -> Void)] = [
            ("count", { _ = try list.count() }), ("element", { _ = try list.element(at: 0) }),
            ("set", { try list.set(1, at: 0) }), ("append", { try list.append(1) }), ("extend", { try list.extend([1, 2]) }),
            ("insert", { try list.insert(1, at: 1) }), ("pop", { _ = try list.pop() }), ("popAt", { _ = try list.pop(at: 1) }),
            ("removeAt", { try list.remove(at: 0) }), ("reverse", { try list.reverse() }), ("clear", { try list.clear() }),
            ("slice", { _ = try list.elements(in: slice) }), ("assign", { try list.replace(slice, with: [1]) }),
            ("delSlice", { try list.removeElements(in: slice) }), ("index", { _ = try list.index(of: 1) }),
            ("countOf", { _ = try list.count(of: 1) }), ("remove", { try list.remove(1) }), ("sort", { try list.sort() }),
            ("toArray", { _ = try list.toArray() }), ("stream", { try list.forEachBatch { _ in } }),
        ]
        for (name, call) in calls {
            let error = #expect(throws: PotteryError.self, "\(name)") { try call() }
            #expect(error?.code == .wrongType, "\(name): \(String(describing: error))")
            #expect(error?.key == key.description, "\(name)")
        }
        #expect(try connection.send(RedisCommand("HGETALL", key: key)) == .array([.bulk(Array("f".utf8)), .bulk(Array("1".utf8))]))
        try connection.send(RedisCommand("DEL", key: key))
    }

    @Test func temporaryListGetsARandomKey() throws {
        let list = try RedisList<Int>(temporaryOn: connection)
        try list.append(1)
        #expect(list.key.description.hasPrefix("pottery:"))
        #expect(try list.toArray() == [1])
    }
}

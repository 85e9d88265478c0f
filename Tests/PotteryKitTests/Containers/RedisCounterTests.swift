import PotteryKit
import PotteryTestSupport
import Testing

@Suite struct RedisCounterTests {
    let connection = RedisServer.shared.connection()

    func hgetall(_ key: RedisKey) throws -> [String: String] {
        let flat = try connection.send(RedisCommand("HGETALL", key: key)).array ?? []
        var result: [String: String] = [:]
        var index = 0
        while index + 1 < flat.count {
            result[String(decoding: flat[index].bytes!, as: UTF8.self)] = String(decoding: flat[index + 1].bytes!, as: UTF8.self)
            index += 2
        }
        return result
    }

    func hset(_ key: RedisKey, _ pairs: [String]) throws {
        var command = RedisCommand("HSET", key: key)
        for word in pairs { command.append(word) }
        try connection.send(command)
    }

    @Test func gallahadIsStoredAsPotteryStoresIt() throws {
        let key = uniqueKey()
        let counter = try RedisCounter<String>(connection, key: key, counting: "gallahad".map(String.init))
        #expect(try hgetall(key) == ["\"g\"": "1", "\"a\"": "3", "\"l\"": "2", "\"h\"": "1", "\"d\"": "1"])
        #expect(try counter.count(of: "a") == 3)
        #expect(try counter.count() == 5)
        #expect(try counter.total() == 8)
        let again = #expect(throws: PotteryError.self) {
            try RedisCounter<String>(connection, key: key, counting: ["x"])
        }
        #expect(again?.code == .keyExists)
        #expect(try counter.count(of: "x") == 0)
        try counter.clear()
    }

    @Test func missingKeyIsAnEmptyCounterAndReadsWriteNothing() throws {
        let key = uniqueKey()
        let counter = RedisCounter<JSONValue>(connection, key: key)
        #expect(try counter.count(of: "nobody") == 0)
        #expect(try counter.count() == 0)
        #expect(try counter.total() == 0)
        #expect(try counter.items().isEmpty)
        #expect(try counter.mostCommon().isEmpty)
        #expect(try counter.elements().isEmpty)
        #expect(try counter.delete("nobody") == false)
        try counter.update([])
        try counter.subtract(counts: [])
        #expect(try connection.send(RedisCommand("EXISTS", key: key)) == .integer(0))
        try counter.clear()
    }

    /// Python: c = Counter(a=3, b=1); c.update('ab') -> a=4, b=2 (pottery 3.0.1 wrongly gives 7 and 3).
    @Test func updateAndSubtractFollowPythonsCounterNotPotterysDoubleCount() throws {
        let key = uniqueKey()
        let counter = try RedisCounter<String>(connection, key: key, counts: [("a", 3), ("b", 1)])
        try counter.update(["a", "b"])
        #expect(try hgetall(key) == ["\"a\"": "4", "\"b\"": "2"])
        try counter.update(["c", "c", "a"])
        #expect(try counter.toDictionary() == ["a": 5, "b": 2, "c": 2])
        try counter.update(counts: [("a", 10), ("d", -2), ("a", 1)])
        #expect(try counter.toDictionary() == ["a": 16, "b": 2, "c": 2, "d": -2])
        try counter.subtract(["b", "b", "b"])
        try counter.subtract(counts: [("c", 2), ("e", 1)])
        // Zero and negative counts are kept, as in Python's Counter.subtract.
        #expect(try hgetall(key) == ["\"a\"": "16", "\"b\"": "-1", "\"c\"": "0", "\"d\"": "-2", "\"e\"": "-1"])
        #expect(try counter.count() == 5)
        #expect(try counter.total() == 12)
        #expect(try counter.elements() == Array(repeating: "a", count: 16))
        try counter.clear()
    }

    @Test func setDeleteAndJSONElements() throws {
        let key = uniqueKey()
        let counter = RedisCounter<JSONValue>(connection, key: key)
        try counter.set(5, for: "é")
        try counter.set(-3, for: [1, "two"])
        try counter.set(0, for: nil)
        try counter.set(2, for: 1)
        try counter.set(4, for: 1.0)
        try counter.set(1, for: true)
        #expect(try hgetall(key) == ["\"\\u00e9\"": "5", "[1, \"two\"]": "-3", "null": "0", "1": "2", "1.0": "4", "true": "1"])
        #expect(try counter.count(of: 1.0) == 4)
        #expect(try counter.count(of: 1) == 2)
        #expect(try counter.delete(1.0))
        #expect(try !counter.delete(1.0))
        #expect(try counter.count() == 5)
        try counter.clear()
    }

    @Test func mostCommonSortsByCountAndKeepsHashOrderForTies() throws {
        let key = uniqueKey()
        // A small hash (listpack) returns its fields in insertion order.
        try hset(key, ["\"x\"", "2", "\"y\"", "5", "\"z\"", "2", "\"w\"", "5", "\"v\"", "-1", "\"u\"", "2"])
        let counter = RedisCounter<String>(connection, key: key)
        let order = try counter.items().map(\.element)
        #expect(order == ["x", "y", "z", "w", "v", "u"])
        let all = try counter.mostCommon()
        #expect(all.map(\.element) == ["y", "w", "x", "z", "u", "v"])
        #expect(all.map(\.count) == [5, 5, 2, 2, 2, -1])
        #expect(try counter.mostCommon(3).map(\.element) == ["y", "w", "x"])
        #expect(try counter.mostCommon(0).isEmpty)
        #expect(try counter.mostCommon(-1).isEmpty)
        #expect(try counter.mostCommon(100).count == 6)
        #expect(try counter.elements() == ["x", "x", "y", "y", "y", "y", "y", "z", "z", "w", "w", "w", "w", "w", "u", "u"])
        var streamed: [String] = []
        try counter.forEachBatch(count: 2) { batch in streamed += batch.map(\.element) }
        #expect(Set(streamed) == Set(order))
        try counter.clear()
    }

    @Test func updatesAreAtomicUnderConcurrency() async throws {
        let key = uniqueKey()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let counter = RedisCounter<String>(RedisServer.shared.connection(), key: key)
                    for _ in 0..<25 { try? counter.update(["hits", "hits"]) }
                }
            }
        }
        let counter = RedisCounter<String>(connection, key: key)
        #expect(try counter.count(of: "hits") == 400)
        try counter.clear()
    }

    @Test func wrongTypeIsAWrongTypeErrorAndNothingIsDeleted() throws {
        let key = uniqueKey()
        var set = RedisCommand("SET", key: key)
        set.append("text")
        try connection.send(set)
        let counter = RedisCounter<String>(connection, key: key)
        for call in [{ _ = try counter.count(of: "a") }, { _ = try counter.count() }, { try counter.update(["a"]) },
                     { try counter.subtract(["a"]) }, { try counter.set(1, for: "a") }, { _ = try counter.items() },
                     { _ = try counter.mostCommon() }, { _ = try counter.total() }, { try counter.clear() }] as [() throws -> Void] {
            let error = try #require(throws: PotteryError.self) { try call() }
            #expect(error.code == .wrongType)
            #expect(error.key == key.description)
        }
        #expect(try connection.send(RedisCommand("GET", key: key)) == .bulk(Array("text".utf8)))
        try connection.send(RedisCommand("DEL", key: key))
    }

    @Test func storedCountsThatAreNotIntegersAreDataErrorsAndNothingIsModified() throws {
        let key = uniqueKey()
        let stored = ["\"a\"", "1", "\"s\"", "\"3\"", "\"f\"", "1.0", "\"j\"", "{nope", "\"b\"", "18446744073709551616"]
        try hset(key, stored)
        let before = try hgetall(key)
        let counter = RedisCounter<String>(connection, key: key)
        for (element, code) in [("s", PotteryError.Code.typeError), ("f", .typeError), ("j", .decodeError), ("b", .typeError)] {
            for call in [{ _ = try counter.count(of: element) }, { try counter.update(["a", element]) },
                         { try counter.update([element]) }, { try counter.subtract(counts: [(element, 2)]) },
                         { try counter.subtract(counts: [("a", 1), (element, 1)]) }] as [() throws -> Void] {
                let error = try #require(throws: PotteryError.self) { try call() }
                #expect(error.code == code, "\(element): \(error)")
                #expect(error.key == key.description)
            }
        }
        for call in [{ _ = try counter.items() }, { _ = try counter.mostCommon() }, { _ = try counter.total() },
                     { _ = try counter.elements() }] as [() throws -> Void] {
            let error = try #require(throws: PotteryError.self) { try call() }
            #expect(error.code.category == .data)
            #expect(error.key == key.description)
        }
        #expect(try hgetall(key) == before)
        try connection.send(RedisCommand("DEL", key: key))
    }

    @Test func overflowIsADataErrorAndNothingIsModified() throws {
        let key = uniqueKey()
        let counter = try RedisCounter<String>(connection, key: key, counts: [("big", Int.max)])
        let error = try #require(throws: PotteryError.self) { try counter.update(["small", "big"]) }
        #expect(error.code.category == .data)
        let one = try #require(throws: PotteryError.self) { try counter.update(["big"]) }
        #expect(one.code == .typeError)
        #expect(try hgetall(key) == ["\"big\"": String(Int.max)])
        // Near the limits the exact path still adds when the sum fits.
        try counter.subtract(counts: [("big", 3)])
        try counter.update(["big", "small"])
        try counter.set(Int.min + 1, for: "low")
        try counter.subtract(["low"])
        #expect(try hgetall(key) == ["\"big\"": String(Int.max - 2), "\"small\"": "1", "\"low\"": String(Int.min)])
        #expect(throws: PotteryError.self) { try counter.subtract(["low"]) }
        #expect(try counter.count(of: "low") == Int.min)
        try counter.clear()
    }

    @Test func sumsAroundTwoToThe53AreExact() throws {
        // The script sums in Lua doubles below 2^53 only; beyond, the exact path adds.
        let key = uniqueKey()
        let edge = 1 << 53
        let counter = try RedisCounter<String>(connection, key: key, counts: [("below", edge - 2), ("at", edge - 1), ("neg", -edge + 1)])
        try counter.update(counts: [("below", 1), ("at", 2), ("neg", -2), ("delta", edge + 1)])
        #expect(try hgetall(key) == ["\"below\"": String(edge - 1), "\"at\"": String(edge + 1),
                                     "\"neg\"": String(-edge - 1), "\"delta\"": String(edge + 1)])
        try counter.update(["at", "at"])
        #expect(try counter.count(of: "at") == edge + 3)
        try counter.clear()
    }

    @Test func batchesOfMoreThanAThousandElementsAddUpInOneCall() throws {
        let key = uniqueKey()
        let counter = RedisCounter<Int>(connection, key: key)
        try counter.update(Array(0..<2500))
        try counter.update(Array(0..<2500) + Array(1000..<1001))
        #expect(try counter.count() == 2500)
        #expect(try counter.count(of: 0) == 2 && counter.count(of: 1000) == 3 && counter.count(of: 2499) == 2)
        #expect(try counter.total() == 5001)
        try counter.clear()
    }

    @Test func temporaryCounterUsesARandomPotteryKey() throws {
        let counter = try RedisCounter<Int>(temporaryOn: connection)
        #expect(counter.key.description.hasPrefix("pottery:"))
        try counter.update([1, 1, 2])
        #expect(try counter.toDictionary() == [1: 2, 2: 1])
    }
}

/// One update or subtract merges the elements Python's `==` and `hash()` merge, as pottery does.
@Suite struct RedisCounterPythonEqualTests {
    let connection = RedisServer.shared.connection()

    @Test func pythonEqualElementsOfOneCallAreOneFieldNamedByTheFirst() throws {
        let counter = RedisCounter<JSONValue>(connection, key: uniqueKey())
        try counter.update([1, 1.0, true, "1", [1], [1.0], [1]])
        try counter.subtract([0, false, -0.0, .null, .null])
        try counter.update(counts: [(2.0, 2), (2, 3), (.double(1e16), 1), (.bigInt("10000000000000000"), 1)])
        var seen: [String: Int] = [:]
        for (element, count) in try counter.items() { seen[String(decoding: PotteryJSON.encode(element), as: UTF8.self)] = count }
        #expect(seen == ["1": 3, "\"1\"": 1, "[1]": 2, "[1.0]": 1, "0": -3, "null": -2, "2.0": 5, "1e+16": 2])
        // A stored field is its own element: a later call adds to the field of its own first occurrence.
        try counter.update([true, 1])
        #expect(try counter.count(of: true) == 2)
        #expect(try counter.count(of: 1) == 3)
        let doubles = try RedisCounter<Double>(connection, key: uniqueKey(), counting: [-0.0, 0.0, 1.5])
        #expect(try doubles.toDictionary() == [-0.0: 2, 1.5: 1])
        try counter.clear()
        try doubles.clear()
    }
}

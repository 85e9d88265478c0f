import PotteryKit
import PotteryTestSupport
import Testing

/// RedisCounter's operators (pottery's `+ - | &`, unary `+ -` and `+= -= |= &=`)
/// against Python's own `collections.Counter` on seeded random counters, zero
/// and negative counts included; one python3 run computes every expected result.
@Suite struct CounterArithmeticTests {
    let connection = RedisServer.shared.connection()

    typealias Counter = RedisCounter<JSONValue>
    static let binary = ["+", "-", "|", "&"]
    static let pool: [JSONValue] = ["a", "b", "\u{e9}", 1, 2, .null, 2.5, "1"]

    func randomCounts(_ random: inout SeededGenerator) -> [(JSONValue, Int)] {
        Self.pool.shuffled(using: &random).prefix(Int.random(in: 0...Self.pool.count, using: &random))
            .map { ($0, Int.random(in: -3...3, using: &random)) }
    }

    /// What Python gives for each case: `{"+": pairs, ..., "pos": pairs, "neg": pairs, "+=": pairs, ...}`.
    func python(_ cases: [([(JSONValue, Int)], [(JSONValue, Int)])]) throws -> [JSONValue] {
        let input = JSONValue.array(cases.map { a, b in
            .array([.array(a.map { .array([$0.0, .int($0.1)]) }), .array(b.map { .array([$0.0, .int($0.1)]) })])
        })
        let script = """
            import json, sys, collections, operator
            ops = {'+': operator.add, '-': operator.sub, '|': operator.or_, '&': operator.and_}
            iops = {'+=': operator.iadd, '-=': operator.isub, '|=': operator.ior, '&=': operator.iand}
            out = []
            for a, b in json.loads(sys.stdin.read()):
                ca, cb = collections.Counter(dict(a)), collections.Counter(dict(b))
                r = {k: [[e, n] for e, n in f(ca, cb).items()] for k, f in ops.items()}
                r['pos'] = [[e, n] for e, n in (+ca).items()]
                r['neg'] = [[e, n] for e, n in (-ca).items()]
                for k, f in iops.items():
                    c = collections.Counter(dict(a))
                    c = f(c, collections.Counter(dict(b)))
                    r[k] = [[e, n] for e, n in c.items()]
                out.append(r)
            print(json.dumps(out))
            """
        let run = try Python.run(script, stdin: PotteryJSON.encode(input))
        #expect(run.status == 0, "\(run.stderr)")
        return try #require(try PotteryJSON.decode(run.stdout.dropLast()).arrayValue)
    }

    func dictionary(_ pairs: JSONValue?) throws -> [JSONValue: Int] {
        var result: [JSONValue: Int] = [:]
        for pair in try #require(pairs?.arrayValue) {
            let items = try #require(pair.arrayValue)
            let count: Int = try #require(items[1].intValue)
            result[items[0]] = count
        }
        return result
    }

    func store(_ key: RedisKey, _ counts: [(JSONValue, Int)]) throws -> Counter {
        try connection.send(RedisCommand("DEL", key: key))
        let counter = Counter(connection, key: key)
        for (element, count) in counts { try counter.set(count, for: element) }
        return counter
    }

    func stored(_ counter: Counter) throws -> [JSONValue: Int] {
        var result: [JSONValue: Int] = [:]
        for (element, count) in try counter.items() { result[element] = count }
        return result
    }

    @Test func operatorsMatchPythonsCounterOnRandomInputs() throws {
        var random = SeededGenerator(seed: 0xC0FFEE)
        let cases = (0..<40).map { _ in (randomCounts(&random), randomCounts(&random)) }
        let expected = try python(cases)
        try #require(expected.count == cases.count)
        let (keyA, keyB) = (uniqueKey(), uniqueKey())
        for ((a, b), want) in zip(cases, expected) {
            let other = Dictionary(b, uniquingKeysWith: { first, _ in first })
            let context = "a=\(a) b=\(b)"
            var counterA = try store(keyA, a)
            let counterB = try store(keyB, b)
            let object = try #require(want.objectValue)
            #expect(try counterA.adding(counterB) == dictionary(object["+"]), "\(context)")
            #expect(try counterA.adding(other) == dictionary(object["+"]), "\(context)")
            #expect(try counterA.subtracting(counterB) == dictionary(object["-"]), "\(context)")
            #expect(try counterA.subtracting(other) == dictionary(object["-"]), "\(context)")
            #expect(try counterA.union(counterB) == dictionary(object["|"]), "\(context)")
            #expect(try counterA.union(other) == dictionary(object["|"]), "\(context)")
            #expect(try counterA.intersection(counterB) == dictionary(object["&"]), "\(context)")
            #expect(try counterA.intersection(other) == dictionary(object["&"]), "\(context)")
            #expect(try counterA.positive() == dictionary(object["pos"]), "\(context)")
            #expect(try counterA.negative() == dictionary(object["neg"]), "\(context)")
            // The operands are unchanged by the binary forms.
            #expect(try stored(counterA) == Dictionary(a, uniquingKeysWith: { first, _ in first }))
            let inPlace: [(String, (Counter) throws -> Void, (Counter) throws -> Void)] = [
                ("+=", { try $0.formAdding(counterB) }, { try $0.formAdding(other) }),
                ("-=", { try $0.formSubtracting(counterB) }, { try $0.formSubtracting(other) }),
                ("|=", { try $0.formUnion(counterB) }, { try $0.formUnion(other) }),
                ("&=", { try $0.formIntersection(counterB) }, { try $0.formIntersection(other) }),
            ]
            for (name, withCounter, withDictionary) in inPlace {
                let result = try dictionary(object[name])
                for form in [withCounter, withDictionary] {
                    counterA = try store(keyA, a)
                    try form(counterA)
                    #expect(try stored(counterA) == result, "\(name) \(context)")
                    // Stored as pottery stores counts: JSON integer bytes, nothing at or below zero.
                    for (element, count) in result {
                        var hget = RedisCommand("HGET", key: keyA)
                        hget.append(bytes: PotteryJSON.encode(element))
                        #expect(try connection.send(hget) == .bulk(Array(String(count).utf8)))
                    }
                }
            }
            #expect(try stored(counterB) == other)
        }
        try connection.send(RedisCommand("DEL", key: keyA))
        try connection.send(RedisCommand("DEL", key: keyB))
    }

    func hgetall(_ key: RedisKey) throws -> [[UInt8]: [UInt8]] {
        let flat = try connection.send(RedisCommand("HGETALL", key: key)).array ?? []
        var result: [[UInt8]: [UInt8]] = [:]
        for index in stride(from: 0, to: flat.count - 1, by: 2) { result[flat[index].bytes!] = flat[index + 1].bytes! }
        return result
    }

    /// The in-place forms with another counter leave the bytes Python pottery leaves
    /// (pottery's `+=`, `-=`, `|=`, `&=` between two RedisCounters are right).
    @Test func inPlaceFormsStoreWhatPotteryStores() throws {
        var random = SeededGenerator(seed: 7)
        let forms: [(String, (Counter, Counter) throws -> Void)] = [
            ("+=", { try $0.formAdding($1) }), ("-=", { try $0.formSubtracting($1) }),
            ("|=", { try $0.formUnion($1) }), ("&=", { try $0.formIntersection($1) }),
        ]
        var lines: [String] = []
        var compared: [(RedisKey, RedisKey)] = []
        var keys: [RedisKey] = []
        for _ in 0..<10 {
            let (a, b) = (randomCounts(&random), randomCounts(&random))
            for (name, form) in forms {
                let (ours, theirs, oursB, theirsB) = (uniqueKey(), uniqueKey(), uniqueKey(), uniqueKey())
                let counterA = try store(ours, a)
                let counterB = try store(oursB, b)
                _ = try store(theirs, a)
                _ = try store(theirsB, b)
                try form(counterA, counterB)
                lines.append("pa, pb = RedisCounter(redis=r, key='\(theirs)'), RedisCounter(redis=r, key='\(theirsB)')")
                lines.append("pa \(name) pb")
                compared.append((ours, theirs))
                keys += [ours, theirs, oursB, theirsB]
            }
        }
        let script = """
            from redis import Redis
            from pottery import RedisCounter
            r = Redis.from_url('\(RedisServer.shared.url)')
            \(lines.joined(separator: "\n"))
            """
        let python = try Python.run(script)
        #expect(python.status == 0, "\(python.stderr)")
        for (ours, theirs) in compared {
            #expect(try hgetall(ours) == hgetall(theirs), "\(ours) \(theirs)")
        }
        var unlink = RedisCommand("UNLINK")
        unlink.append(keys: keys)
        try connection.send(unlink)
    }

    @Test func aCounterOnAnotherServerOrDatabaseIsReadOnItsOwn() throws {
        let (keyA, keyB) = (uniqueKey(), uniqueKey())
        let a = try RedisCounter<String>(connection, key: keyA, counts: [("x", 3), ("y", -1), ("z", 1)])
        let elsewhere = RedisServer.shared.connection(database: 1)
        let b = try RedisCounter<String>(elsewhere, key: keyB, counts: [("x", 1), ("y", 2), ("w", -4)])
        #expect(try a.adding(b) == ["x": 4, "y": 1, "z": 1])
        #expect(try a.subtracting(b) == ["x": 2, "z": 1, "w": 4])
        #expect(try a.union(b) == ["x": 3, "y": 2, "z": 1])
        #expect(try a.intersection(b) == ["x": 1])
        try a.formSubtracting(b)
        #expect(try a.toDictionary() == ["x": 2, "z": 1, "w": 4])
        #expect(try b.toDictionary() == ["x": 1, "y": 2, "w": -4])
        try a.clear()
        try b.clear()
    }

    @Test func aCounterWithItselfAndEmptyOperands() throws {
        let key = uniqueKey()
        let counter = try RedisCounter<String>(connection, key: key, counts: [("x", 3), ("y", -1), ("z", 0)])
        #expect(try counter.adding(counter) == ["x": 6])
        #expect(try counter.subtracting(counter) == [:])
        #expect(try counter.adding([:]) == ["x": 3])
        try counter.formUnion(counter)
        #expect(try counter.toDictionary() == ["x": 3])
        try counter.formSubtracting(counter)
        // Every count went to zero and was deleted: the hash is gone.
        #expect(try connection.send(RedisCommand("EXISTS", key: key)) == .integer(0))
        let missing = RedisCounter<String>(connection, key: uniqueKey())
        #expect(try missing.adding(["a": 1, "b": -1]) == ["a": 1])
        #expect(try missing.negative() == [:])
        try missing.formIntersection(["a": 1])
        #expect(try missing.count() == 0)
    }

    @Test func aKeyOfAnotherTypeIsAWrongTypeErrorAndNothingChanges() throws {
        let (text, hash) = (uniqueKey(), uniqueKey())
        var set = RedisCommand("SET", key: text)
        set.append("text")
        try connection.send(set)
        let wrong = RedisCounter<String>(connection, key: text)
        let good = try RedisCounter<String>(connection, key: hash, counts: [("x", 2), ("y", -1)])
        let calls: [(RedisKey, () throws -> Void)] = [
            (text, { _ = try wrong.adding(good) }), (text, { _ = try wrong.subtracting(["x": 1]) }),
            (text, { _ = try wrong.union(good) }), (text, { _ = try wrong.intersection(["x": 1]) }),
            (text, { _ = try wrong.positive() }), (text, { _ = try wrong.negative() }),
            (text, { try wrong.formAdding(good) }), (text, { try wrong.formSubtracting(["x": 1]) }),
            (text, { try wrong.formUnion(good) }), (text, { try wrong.formIntersection(["x": 1]) }),
            (hash, { _ = try good.adding(wrong) }), (hash, { _ = try good.intersection(wrong) }),
            (hash, { try good.formAdding(wrong) }), (hash, { try good.formSubtracting(wrong) }),
            (hash, { try good.formUnion(wrong) }), (hash, { try good.formIntersection(wrong) }),
        ]
        for (index, (_, call)) in calls.enumerated() {
            let error = try #require(throws: PotteryError.self) { try call() }
            #expect(error.code == .wrongType, "call \(index): \(error)")
            #expect(error.key == text.description, "call \(index): \(error)")
        }
        #expect(try connection.send(RedisCommand("GET", key: text)) == .bulk(Array("text".utf8)))
        #expect(try good.toDictionary() == ["x": 2, "y": -1])
        try connection.send(RedisCommand("DEL", key: text))
        try good.clear()
    }

    @Test func badStoredDataAndOverflowAreDataErrorsAndNothingChanges() throws {
        let key = uniqueKey()
        var hset = RedisCommand("HSET", key: key)
        for word in ["\"a\"", "2", "\"s\"", "\"3\""] { hset.append(word) }
        try connection.send(hset)
        let counter = RedisCounter<String>(connection, key: key)
        for call in [{ _ = try counter.adding(["a": 1]) }, { _ = try counter.positive() },
                     { try counter.formAdding(["a": 1]) }, { try counter.formIntersection(counter) }] as [() throws -> Void] {
            let error = try #require(throws: PotteryError.self) { try call() }
            #expect(error.code == .typeError, "\(error)")
            #expect(error.key == key.description)
        }
        var notJSON = RedisCommand("HSET", key: key)
        for word in ["\"s\"", "1", "{nope", "1"] { notJSON.append(word) }
        try connection.send(notJSON)
        let decode = try #require(throws: PotteryError.self) { try counter.formUnion(["a": 5]) }
        #expect(decode.code == .decodeError, "\(decode)")
        #expect(try counter.count(of: "a") == 2)

        let big = try RedisCounter<String>(connection, key: uniqueKey(), counts: [("max", Int.max), ("min", Int.min)])
        for call in [{ _ = try big.adding(["max": 1]) }, { try big.formAdding(["max": 1]) }, { _ = try big.negative() },
                     { try big.formSubtracting(["max": -1]) }, { _ = try big.subtracting(["new": Int.min]) }] as [() throws -> Void] {
            let error = try #require(throws: PotteryError.self) { try call() }
            #expect(error.code == .typeError, "\(error)")
        }
        #expect(try big.toDictionary() == ["max": Int.max, "min": Int.min])
        try connection.send(RedisCommand("DEL", key: key))
        try big.clear()
    }

    @Test func fieldsThatAreOneSwiftValueAreATypeErrorInATypedResult() throws {
        // "\u00e9" and "e\u0301" are one Swift String (canonical equivalence), two Python strs.
        let key = uniqueKey()
        var hset = RedisCommand("HSET", key: key)
        for word in ["\"\\u00e9\"", "1", "\"e\\u0301\"", "2"] { hset.append(word) }
        try connection.send(hset)
        let typed = RedisCounter<String>(connection, key: key)
        let error = try #require(throws: PotteryError.self) { try typed.positive() }
        #expect(error.code == .typeError)
        let json = RedisCounter<JSONValue>(connection, key: key)
        #expect(try json.positive().count == 2)
        try json.formAdding(["\u{e9}": 1])
        #expect(try json.count() == 2)
        try json.clear()
    }

    @Test func inPlaceFormsAreAtomicUnderConcurrency() async throws {
        let key = uniqueKey()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    let counter = RedisCounter<String>(RedisServer.shared.connection(), key: key)
                    for _ in 0..<10 { try counter.formAdding(["hits": 1]) }
                }
            }
            try await group.waitForAll()
        }
        let counter = RedisCounter<String>(connection, key: key)
        #expect(try counter.count(of: "hits") == 30)
        try counter.clear()
    }

    @Test func asyncFormsMatchTheSyncOnes() async throws {
        let (keyA, keyB) = (uniqueKey(), uniqueKey())
        let a = try RedisCounter<String>(connection, key: keyA, counts: [("x", 3), ("y", -1), ("z", 1)])
        let b = try RedisCounter<String>(connection, key: keyB, counts: [("x", 1), ("y", 2), ("w", -4)])
        #expect(try await a.async.adding(b) == a.adding(b))
        #expect(try await a.async.adding(["x": 1]) == a.adding(["x": 1]))
        #expect(try await a.async.subtracting(b) == a.subtracting(b))
        #expect(try await a.async.subtracting(["w": -1]) == a.subtracting(["w": -1]))
        #expect(try await a.async.union(b) == a.union(b))
        #expect(try await a.async.union(["q": 1]) == a.union(["q": 1]))
        #expect(try await a.async.intersection(b) == a.intersection(b))
        #expect(try await a.async.intersection(["x": 2]) == ["x": 2])
        #expect(try await a.async.positive() == ["x": 3, "z": 1])
        #expect(try await a.async.negative() == ["y": 1])
        try await a.async.formAdding(b)
        #expect(try a.toDictionary() == ["x": 4, "y": 1, "z": 1])
        try await a.async.formSubtracting(["x": 1])
        try await a.async.formUnion(["z": 5])
        try await a.async.formIntersection(b)
        #expect(try a.toDictionary() == ["x": 1, "y": 1])
        try await a.async.formAdding(["n": 1])
        try await a.async.formSubtracting(b)
        try await a.async.formUnion(b)
        try await a.async.formIntersection(["x": 9, "y": 9, "n": 9])
        #expect(try a.toDictionary() == ["x": 1, "y": 2, "n": 1])
        let wrong = RedisCounter<String>(connection, key: uniqueKey())
        var set = RedisCommand("SET", key: wrong.key)
        set.append("text")
        try connection.send(set)
        await #expect(throws: PotteryError.self) { try await wrong.async.formAdding(a) }
        try connection.send(RedisCommand("DEL", key: wrong.key))
        try a.clear()
        try b.clear()
    }
}

import Foundation
@testable import PotteryKit
import PotteryTestSupport
import Testing

/// `RedisList.sort` against the real python3's `list.sort` on seeded random
/// lists of 0 to 2000 items: with NaNs (whose place depends on exactly which
/// pairs are compared), long runs, duplicates, mixed ints, floats and bools,
/// strings, arrays, and mixes that cannot be sorted. Python sorts wrappers
/// tagged with each item's position whose `__lt__` delegates to the value and
/// records the pair, so the test compares the permutation (equal items told
/// apart), the number and sequence (a digest) of comparisons, and the
/// `TypeError` message. One python3 run answers every case.
@Suite struct CPythonListSortTests {
    let connection = RedisServer.shared.connection()

    static let pythonScript = """
        import json, sys
        MASK = (1 << 64) - 1
        trace = []
        class Tagged:
            __slots__ = ('value', 'tag')
            def __init__(self, value, tag): self.value, self.tag = value, tag
            def __lt__(self, other):
                trace.append(self.tag); trace.append(other.tag)
                return self.value < other.value
        out = []
        for case in json.loads(sys.stdin.read()):
            trace = []
            items = [Tagged(v, i) for i, v in enumerate(case['values'])]
            try:
                items.sort(reverse=case['reverse'])
                result = {'order': [t.tag for t in items]}
            except TypeError as e:
                result = {'error': str(e)}
            digest = 0xcbf29ce484222325
            for tag in trace: digest = ((digest ^ tag) * 0x100000001b3) & MASK
            result['compares'] = len(trace) // 2
            result['digest'] = '%016x' % digest
            out.append(result)
        print(json.dumps(out))
        """

    /// What sorting one list gave: the permutation or the error, and the comparisons made.
    struct Outcome: Equatable, CustomStringConvertible {
        var order: [Int]?
        var error: String?
        var compares: Int
        var digest: String

        var description: String {
            "order \(order.map { "\($0.prefix(40))…" } ?? "-") error \(error ?? "-") compares \(compares) digest \(digest)"
        }
    }

    /// Our sort of `values`: the order and error from `RedisList`'s own entry
    /// point, the comparisons recorded from the same algorithm.
    static func swiftOutcome(_ values: [JSONValue], reverse: Bool) -> Outcome {
        var outcome = Outcome(compares: 0, digest: "")
        do {
            outcome.order = try RedisList<JSONValue>.pythonSortedIndices(values, reverse: reverse, key: "k")
        } catch {
            outcome.error = error.message
        }
        final class Recorder {
            var compares = 0
            var digest: UInt64 = 0xcbf2_9ce4_8422_2325
            func record(_ tag: Int) { digest = (digest ^ UInt64(tag)) &* 0x100_0000_01b3 }
        }
        let recorder = Recorder()
        _ = try? CPythonListSort.sortedIndices(values.count, reverse: reverse) { i, j throws(PotteryError) in
            recorder.record(i)
            recorder.record(j)
            recorder.compares += 1
            guard let answer = values[i].pythonLess(than: values[j]) else { throw PotteryError(.typeError, "") }
            return answer
        }
        outcome.compares = recorder.compares
        outcome.digest = String(recorder.digest, radix: 16).leftPadded(to: 16)
        return outcome
    }

    static func pythonOutcomes(_ cases: [(values: [JSONValue], reverse: Bool)]) throws -> [Outcome] {
        let input = JSONValue.array(cases.map { .object(["values": .array($0.values), "reverse": .bool($0.reverse)]) })
        let run = try Python.run(pythonScript, stdin: PotteryJSON.encode(input))
        #expect(run.status == 0, "\(run.stderr)")
        let results = try PotteryJSON.decode(run.stdout).arrayValue ?? []
        return results.map { result in
            let object = result.objectValue ?? [:]
            return Outcome(order: object["order"]?.arrayValue?.compactMap(\.intValue), error: object["error"]?.stringValue,
                           compares: object["compares"]?.intValue ?? -1, digest: object["digest"]?.stringValue ?? "")
        }
    }

    /// Lengths around CPython's thresholds (minrun 64, powers of two) and beyond.
    static func lengths(_ random: inout SeededGenerator) -> [Int] {
        [0, 1, 2, 3, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1000, 2000]
            + (0..<12).map { _ in Int.random(in: 60...70, using: &random) }
            + (0..<10).map { _ in Int.random(in: 0...2000, using: &random) }
    }

    /// `count` items from `item`, in segments: random, ascending, strictly
    /// descending, descending with repeats, and all equal, so that CPython
    /// finds natural runs of every kind and gallops through them.
    static func segmented(_ count: Int, _ random: inout SeededGenerator, item: (inout SeededGenerator) -> JSONValue) -> [JSONValue] {
        var values: [JSONValue] = []
        while values.count < count {
            let length = min(count - values.count, Int.random(in: 1...200, using: &random))
            var segment = (0..<length).map { _ in item(&random) }
            let ascending: (JSONValue, JSONValue) -> Bool = { $0.pythonLess(than: $1) ?? false }
            switch Int.random(in: 0..<5, using: &random) {
            case 0: segment.sort(by: ascending)
            case 1: segment.sort { ascending($1, $0) }
            case 2: segment = Array(repeating: segment[0], count: length)
            default: break
            }
            values += segment
        }
        return values
    }

    /// Ints, floats and bools with many duplicates (`1`, `1.0` and `true` are
    /// equal), infinities and a few NaNs.
    static func number(_ random: inout SeededGenerator) -> JSONValue {
        switch Int.random(in: 0..<40, using: &random) {
        case 0, 1: return .double(.nan)
        case 2: return .double(.infinity)
        case 3: return .double(-.infinity)
        case 4...7: return .bool(Bool.random(using: &random))
        case 8...20: return .double(Double(Int.random(in: -20...20, using: &random)) / 2)
        default: return .int(Int.random(in: -10...10, using: &random))
        }
    }

    static func string(_ random: inout SeededGenerator) -> JSONValue {
        let alphabet = ["a", "b", "B", "\u{E9}", "\u{1F600}", "\u{FF21}", ""]
        return .string((0..<Int.random(in: 0...3, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined())
    }

    static func array(_ random: inout SeededGenerator) -> JSONValue {
        .array((0..<Int.random(in: 0...3, using: &random)).map { _ in
            Int.random(in: 0..<4, using: &random) == 0 ? .double(.nan) : .int(Int.random(in: 0...2, using: &random))
        })
    }

    @Test func ordersAndComparisonsMatchPython() throws {
        var random = SeededGenerator(seed: 14)
        var cases: [(values: [JSONValue], reverse: Bool)] = []
        for length in Self.lengths(&random) {
            for item in [Self.number, Self.number, Self.string, Self.array] {
                cases.append((Self.segmented(length, &random, item: item), Bool.random(using: &random)))
            }
        }
        // Pairs that cannot be compared: a string, None or an object among
        // numbers, and arrays whose first unequal items cannot be compared.
        for length in [64, 65, 100, 128, 300, 1000, 2000] + (0..<10).map({ _ in Int.random(in: 64...2000, using: &random) }) {
            let inArrays = Bool.random(using: &random)
            var values = Self.segmented(length, &random) { random in
                inArrays ? .array([.int(Int.random(in: 0...2, using: &random)), Self.number(&random)]) : Self.number(&random)
            }
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let spoiler = (["x", .null, ["k": 1]] as [JSONValue]).randomElement(using: &random)!
                values[Int.random(in: 0..<length, using: &random)] = inArrays ? [1, spoiler] : spoiler
            }
            cases.append((values, Bool.random(using: &random)))
        }
        let python = try Self.pythonOutcomes(cases)
        try #require(python.count == cases.count)
        var failures = 0
        for (index, (values, reverse)) in cases.enumerated() {
            let swift = Self.swiftOutcome(values, reverse: reverse)
            #expect(swift == python[index], "case \(index): \(values.count) items, reverse \(reverse)\nswift  \(swift)\npython \(python[index])")
            if swift != python[index] { failures += 1 }
            if failures > 5 { break }
        }
        let errors = python.compactMap(\.error)
        #expect(errors.count >= 10)
        for type in ["'str'", "'NoneType'", "'dict'"] {
            #expect(errors.contains { $0.contains(type) }, "\(errors)")
        }
    }

    /// A list of 300 items with NaNs, sorted in Redis both ways, holds the
    /// bytes Python's `sorted` gives for the same items; a list that Python
    /// cannot sort throws Python's `TypeError` and keeps its items.
    @Test func redisListSortStoresPythonsOrder() throws {
        var random = SeededGenerator(seed: 1414)
        let values = Self.segmented(300, &random, item: Self.number)
        let stored = values.map { String(decoding: PotteryJSON.encode($0), as: UTF8.self) }
        let script = """
            import json, sys
            items = [json.loads(s) for s in json.load(sys.stdin)]
            print(json.dumps([[json.dumps(v) for v in sorted(items, reverse=r)] for r in (False, True)]))
            """
        let run = try Python.run(script, stdin: Array(try JSONSerialization.data(withJSONObject: stored)))
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout)) as? [[String]], "\(run.stderr)")
        // Any stable sort with a consistent order would place the NaNs elsewhere.
        let swiftSorted = values.indices.sorted { i, j in
            values[i].pythonLess(than: values[j]) == true || (values[j].pythonLess(than: values[i]) != true && i < j)
        }
        #expect(swiftSorted.map { stored[$0] } != expected[0])
        let key = uniqueKey()
        let list = RedisList<JSONValue>(connection, key: key)
        try list.replace(ListSlice(), with: values)
        #expect(try lrange(key) == stored)
        try list.sort()
        #expect(try lrange(key) == expected[0])
        try list.replace(ListSlice(), with: values)
        try list.sort(reverse: true)
        #expect(try lrange(key) == expected[1])

        var unsortable = values
        unsortable[150] = "x"
        try list.replace(ListSlice(), with: unsortable)
        let before = try lrange(key)
        let failure = #expect(throws: PotteryError.self) { try list.sort() }
        let pythonError = try Python.run("""
            import json, sys
            try: sorted(json.loads(sys.stdin.read()))
            except TypeError as e: print(e)
            """, stdin: PotteryJSON.encode(.array(unsortable)))
        #expect(failure?.code == .typeError)
        #expect(failure.map { $0.message + "\n" } == String(decoding: pythonError.stdout, as: UTF8.self))
        #expect(try lrange(key) == before)
        try list.clear()
    }

    func lrange(_ key: RedisKey) throws -> [String] {
        var command = RedisCommand("LRANGE", key: key)
        command.append(0)
        command.append(-1)
        return (try connection.send(command).array ?? []).map { String(decoding: $0.bytes!, as: UTF8.self) }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}

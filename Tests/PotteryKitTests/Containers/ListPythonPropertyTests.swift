import PotteryKit
import PotteryTestSupport
import Testing

/// RedisList and RedisDeque against Python's own `list` and
/// `collections.deque` on seeded random inputs: slices (get, delete,
/// assignment with steps), insert, pop, rotate and bounded pushes. Every
/// case runs in Redis; one python3 run computes what Python gives for all.
@Suite struct ListPythonPropertyTests {
    let connection = RedisServer.shared.connection()

    /// One operation on a list, as JSON both sides read.
    struct Case {
        var items: [Int]
        var op: String
        var slice: [Int?] = []
        var values: [Int] = []
        var index = 0
        var maxlen: Int?

        var json: JSONValue {
            .object(JSONObject([
                ("items", .array(items.map(JSONValue.int))), ("op", .string(op)),
                ("slice", .array(slice.map { $0.map(JSONValue.int) ?? .null })),
                ("values", .array(values.map(JSONValue.int))), ("index", .int(index)),
                ("maxlen", maxlen.map(JSONValue.int) ?? .null),
            ]))
        }
    }

    static let pythonScript = """
        import json, sys, collections
        out = []
        for c in json.loads(sys.stdin.read()):
            l, op, result = list(c['items']), c['op'], None
            s = slice(*c['slice']) if c['slice'] else None
            try:
                if op == 'get': result = l[s]
                elif op == 'del': del l[s]
                elif op == 'assign': l[s] = c['values']
                elif op == 'insert': l.insert(c['index'], c['values'][0])
                elif op == 'pop': result = l.pop(c['index'])
                elif op == 'delitem': del l[c['index']]
                elif op == 'index':
                    start, stop = c['slice'][0], c['slice'][1]
                    result = l.index(c['index'], 0 if start is None else start, *([] if stop is None else [stop]))
                else:
                    d = collections.deque(l, c['maxlen'])
                    if op == 'rotate': d.rotate(c['index'])
                    elif op == 'extend': d.extend(c['values'])
                    elif op == 'extendleft': d.extendleft(c['values'])
                    l = list(d)
                out.append({'result': result, 'items': l})
            except (IndexError, ValueError) as e:
                out.append({'error': type(e).__name__, 'items': l})
        print(json.dumps(out))
        """

    func randomCases(seed: UInt64, count: Int) -> [Case] {
        var random = SeededGenerator(seed: seed)
        func bound(_ length: Int) -> Int? {
            Int.random(in: 0..<5, using: &random) == 0 ? nil : Int.random(in: -length - 3...length + 3, using: &random)
        }
        var cases: [Case] = []
        for _ in 0..<count {
            let length = Int.random(in: 0...12, using: &random)
            // Small values with many zeros: pottery's tombstone bug would show.
            let items = (0..<length).map { _ in Int.random(in: 0...4, using: &random) }
            let ops = ["get", "del", "assign", "insert", "pop", "delitem", "rotate", "extend", "extendleft", "index"]
            var c = Case(items: items, op: ops.randomElement(using: &random)!)
            var step: Int? = [nil, 1, -1, 2, -2, 3, -3, 0].randomElement(using: &random)!
            if step == 0 && Int.random(in: 0..<4, using: &random) != 0 { step = 1 }
            c.slice = [bound(length), bound(length), step]
            c.values = (0..<Int.random(in: 0...5, using: &random)).map { _ in Int.random(in: 5...9, using: &random) }
            c.index = Int.random(in: -length - 3...length + 3, using: &random)
            switch c.op {
            case "assign" where step != nil && step != 1 && Int.random(in: 0..<3, using: &random) != 0:
                // Mostly the right count for an extended slice, sometimes not (ValueError).
                c.values = sliceRange(c.slice, length).map { _ in Int.random(in: 5...9, using: &random) }
            case "insert":
                c.values = [Int.random(in: 5...9, using: &random)]
            case "rotate":
                c.index = Int.random(in: -30...30, using: &random)
            case "index":
                c.index = Int.random(in: 0...5, using: &random)  // the needle: 5 is never there
            case "extend", "extendleft":
                c.maxlen = Int.random(in: 0..<3, using: &random) == 0 ? nil : Int.random(in: length...length + 4, using: &random)
                if Int.random(in: 0..<5, using: &random) == 0 { c.maxlen = 0; c.items = [] }
            default: break
            }
            cases.append(c)
        }
        return cases
    }

    /// Indices selected by a slice, for building well-sized assignments (0 step excluded by the caller's use).
    func sliceRange(_ slice: [Int?], _ length: Int) -> [Int] {
        let step = slice[2] ?? 1
        guard step != 0 else { return [] }
        func bound(_ value: Int?, _ lower: Int, _ upper: Int, _ fallback: Int) -> Int {
            guard var v = value else { return fallback }
            if v < 0 { v = max(v + length, lower) } else if v > upper { v = upper }
            return v
        }
        let (lower, upper) = step < 0 ? (-1, length - 1) : (0, length)
        let start = bound(slice[0], lower, upper, step < 0 ? upper : lower)
        let stop = bound(slice[1], lower, upper, step < 0 ? lower : upper)
        return Array(stride(from: start, to: stop, by: step))
    }

    func runInRedis(_ c: Case) throws -> JSONValue {
        let key = uniqueKey()
        defer { _ = try? connection.send(RedisCommand("DEL", key: key)) }
        let list = try RedisDeque<Int>(connection, key: key, contents: c.items, maxlen: c.op.hasPrefix("extend") ? c.maxlen : nil)
        let outcome: (String, JSONValue)
        do {
            outcome = ("result", try apply(c, to: list))
        } catch {
            outcome = ("error", .string(error.code.name))
        }
        return .object(JSONObject([outcome, ("items", .array(try list.toArray().map(JSONValue.int)))]))
    }

    func apply(_ c: Case, to list: RedisDeque<Int>) throws(PotteryError) -> JSONValue {
        let slice = ListSlice(start: c.slice[0], stop: c.slice[1], step: c.slice[2])
        switch c.op {
        case "get": return .array(try list.elements(in: slice).map(JSONValue.int))
        case "del": try list.removeElements(in: slice)
        case "assign": try list.replace(slice, with: c.values)
        case "insert": try list.insert(c.values[0], at: c.index)
        case "pop": return .int(try list.pop(at: c.index))
        case "delitem": try list.remove(at: c.index)
        case "index": return .int(try list.index(of: c.index, start: c.slice[0] ?? 0, stop: c.slice[1]))
        case "rotate": try list.rotate(c.index)
        case "extend": try list.extend(c.values)
        case "extendleft": try list.extendLeft(c.values)
        default: Issue.record("unknown op \(c.op)")
        }
        return .null
    }

    @Test(arguments: [UInt64(1), 2])
    func matchesPythonsListAndDeque(seed: UInt64) throws {
        let cases = randomCases(seed: seed, count: 150)
        let input = PotteryJSON.encode(JSONValue.array(cases.map(\.json)))
        let python = try Python.run(Self.pythonScript, stdin: input)
        #expect(python.status == 0, "\(python.stderr)")
        guard case .array(let expected)? = try? PotteryJSON.decode(python.stdout.dropLast()) else {
            Issue.record("python gave no array: \(python.stderr)")
            return
        }
        #expect(expected.count == cases.count)
        for (c, want) in zip(cases, expected) {
            let got = try runInRedis(c)
            #expect(got == want, "\(String(decoding: PotteryJSON.encode(c.json), as: UTF8.self))")
        }
    }
}

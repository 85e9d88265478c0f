import PotteryKit
import PotteryTestSupport
import Testing

/// Compares PotteryKit's codec with Python's `json` module on thousands of
/// random values, one python3 process per test.
@Suite struct CodecPythonPropertyTests {
    /// Swift generates values; Python re-encodes each with
    /// `json.dumps(json.loads(line), sort_keys=True)`: the bytes must match.
    @Test func swiftValuesMatchPythonDumps() throws {
        let seed = codecTestSeed(default: 0x5EED_0001)
        var random = RandomJSON(generator: SeededGenerator(seed: seed))
        let values = (0..<3000).map { _ in random.value() }
        let encoded = values.map { PotteryJSON.encode($0) }
        let script = """
            import sys, json
            out = []
            for line in sys.stdin.buffer.read().split(b'\\n'):
                out.append(json.dumps(json.loads(line.decode()), sort_keys=True).encode())
            sys.stdout.buffer.write(b'\\n'.join(out))
            """
        let input = Array(encoded.joined(separator: [UInt8(ascii: "\n")]))
        let result = try Python.run(script, stdin: input)
        try #require(result.status == 0, "python failed (seed \(seed)): \(result.stderr)")
        let lines = result.stdout.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        try #require(lines.count == values.count, "seed \(seed)")
        var failures = 0
        for (index, line) in lines.enumerated() where failures < 5 {
            let swift = encoded[index]
            if Array(line) != swift {
                failures += 1
                Issue.record(
                    "seed \(seed) value \(index): Swift \(String(decoding: swift, as: UTF8.self)) Python \(String(decoding: line, as: UTF8.self))"
                )
            }
            if (try? PotteryJSON.decode(line)) != values[index] {
                failures += 1
                Issue.record("seed \(seed) value \(index): decoding Python's bytes does not give the value back")
            }
        }
    }

    /// Objects whose keys and strings are canonically equivalent spellings
    /// (`"\u00e9"` and `"e\u0301"`, U+212B and U+00C5, Hangul…), escaped or
    /// raw, in random order and with repeats: decoding and re-encoding must
    /// give Python's `json.dumps(json.loads(s), sort_keys=True)` bytes.
    @Test func equivalentSpellingsMatchPython() throws {
        let seed = codecTestSeed(default: 0x5EED_0003)
        var generator = SeededGenerator(seed: seed)
        let pool = EquivalentSpellings.all + ["a", "e", "A"]
        func spelling() -> String {
            let text = pool.randomElement(using: &generator)!
            return Bool.random(using: &generator) ? EquivalentSpellings.escaped(text) : "\"\(text)\""
        }
        func object(depth: Int) -> String {
            var members: [String] = []
            for _ in 0..<Int.random(in: 0...7, using: &generator) {
                let value: String
                switch Int.random(in: 0..<4, using: &generator) {
                case 0 where depth < 3: value = object(depth: depth + 1)
                case 1: value = "[" + (0..<Int.random(in: 0...3, using: &generator)).map { _ in spelling() }.joined(separator: ", ") + "]"
                case 2: value = spelling()
                default: value = String(Int.random(in: 0...9, using: &generator))
                }
                members.append(spelling() + ": " + value)
            }
            return "{" + members.joined(separator: ", ") + "}"
        }
        let inputs = (0..<1000).map { _ in object(depth: 0) }
        let script = """
            import sys, json
            out = []
            for line in sys.stdin.buffer.read().decode().split('\\n'):
                out.append(json.dumps(json.loads(line), sort_keys=True))
            sys.stdout.write('\\n'.join(out))
            """
        let result = try Python.run(script, stdin: Array(inputs.joined(separator: "\n").utf8))
        try #require(result.status == 0, "python failed (seed \(seed)): \(result.stderr)")
        let lines = splitLines(result.stdout)
        try #require(lines.count == inputs.count, "seed \(seed)")
        var failures = 0
        for (input, line) in zip(inputs, lines) where failures < 5 {
            let value = try decodeText(input)
            let python = String(decoding: line, as: UTF8.self)
            if potteryText(value) != python {
                failures += 1
                Issue.record("seed \(seed): \(input) Swift \(potteryText(value)) Python \(python)")
            } else if try decodeText(python) != value {
                failures += 1
                Issue.record("seed \(seed): \(input) does not equal Python's \(python) once decoded")
            }
        }
    }

    /// Random double bit patterns and random strings, each checked against
    /// Python's `json.dumps` of the same float / UTF-8 text.
    @Test func doublesAndStringsMatchPython() throws {
        let seed = codecTestSeed(default: 0x5EED_0002)
        var random = RandomJSON(generator: SeededGenerator(seed: seed))
        var lines: [String] = []
        var expected: [[UInt8]] = []
        for index in 0..<6000 {
            if index < 5000 {
                let bits = index < 4000 ? random.generator.next() : random.double().bitPattern
                let littleEndian = (0..<8).map { UInt8(truncatingIfNeeded: bits >> (8 * $0)) }
                lines.append("d" + hexString(littleEndian))
                expected.append(PotteryJSON.encode(.double(Double(bitPattern: bits))))
            } else {
                let string = random.string() + random.string()
                lines.append("s" + hexString(string.utf8))
                expected.append(PotteryJSON.encode(.string(string)))
            }
        }
        let script = """
            import sys, json, struct
            out = []
            for line in sys.stdin.read().split('\\n'):
                data = bytes.fromhex(line[1:])
                if line[0] == 'd':
                    out.append(json.dumps(struct.unpack('<d', data)[0]))
                else:
                    out.append(json.dumps(data.decode('utf-8')))
            sys.stdout.write('\\n'.join(out))
            """
        let result = try Python.run(script, stdin: Array(lines.joined(separator: "\n").utf8))
        try #require(result.status == 0, "python failed (seed \(seed)): \(result.stderr)")
        let output = result.stdout.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        try #require(output.count == lines.count, "seed \(seed)")
        var failures = 0
        for (index, line) in output.enumerated() where Array(line) != expected[index] && failures < 5 {
            failures += 1
            Issue.record(
                "seed \(seed) input \(lines[index]): Swift \(String(decoding: expected[index], as: UTF8.self)) Python \(String(decoding: line, as: UTF8.self))"
            )
        }
    }

    /// Python generates values with its own random module; Swift decodes its
    /// canonical text, a variant (other separators, raw UTF-8, indentation,
    /// unsorted keys) and number texts, and must write Python's canonical
    /// bytes (and Python's `indent=2` text) back.
    @Test func pythonValuesRoundTrip() throws {
        let seed = codecTestSeed(default: 20_240_611)
        let script = """
            import sys, json, random, struct, math
            seed = \(seed)
            rnd = random.Random(seed)
            def rstr():
                out = []
                for _ in range(rnd.randint(0, 10)):
                    k = rnd.randrange(8)
                    if k < 3: c = rnd.randint(0x20, 0x7e)
                    elif k == 3: c = rnd.randint(0, 0x1f)
                    elif k == 4: c = rnd.choice([0x22, 0x5c, 0x2f, 0x7f, 0x2028, 0xfeff, 0xffff])
                    elif k == 5: c = rnd.randint(0x80, 0xd7ff)
                    elif k == 6: c = rnd.randint(0xe000, 0xffff)
                    else: c = rnd.randint(0x10000, 0x10ffff)
                    out.append(chr(c))
                return ''.join(out)
            def rfloat():
                k = rnd.randrange(4)
                if k == 0: return struct.unpack('<d', rnd.getrandbits(64).to_bytes(8, 'little'))[0]
                if k == 1: return rnd.choice([0.0, -0.0, float('inf'), float('-inf'), float('nan'), 1e16, 1e-5, 5e-324])
                if k == 2: return rnd.randint(-10**6, 10**6) / 10 ** rnd.randint(0, 8)
                return rnd.uniform(-1, 1) * 10.0 ** rnd.randint(-30, 30)
            def rint():
                k = rnd.randrange(4)
                if k == 0: return rnd.randint(-1000, 1000)
                if k == 1: return rnd.randint(-2**63, 2**63 - 1)
                if k == 2: return rnd.choice([2**63, -2**63 - 1, 2**64, -2**64, 2**63 - 1, -2**63])
                return rnd.randint(-10**60, 10**60)
            def rval(depth=0):
                k = rnd.randrange(6 if depth >= 4 else 9)
                if k == 0: return None
                if k == 1: return rnd.random() < 0.5
                if k == 2: return rint()
                if k in (3, 4): return rfloat()
                if k == 5: return rstr()
                if k == 6: return [rval(depth + 1) for _ in range(rnd.randint(0, 5))]
                return {rstr(): rval(depth + 1) for _ in range(rnd.randint(0, 5))}
            def variant(v):
                return json.dumps(v, sort_keys=rnd.random() < 0.5, ensure_ascii=rnd.random() < 0.5,
                                  separators=rnd.choice([None, (',', ':'), (' , ', ' : ')]),
                                  indent=rnd.choice([None, None, 0, 1, '\\t', ' \\r\\n']))
            def rnumber():
                f = rfloat()
                while not math.isfinite(f): f = rfloat()
                k = rnd.randrange(5)
                if k == 0: return '%.*e' % (rnd.randint(0, 30), f)
                if k == 1: return ('%.*f' % (rnd.randint(0, 40), f)) if abs(f) < 1e30 else repr(f)
                if k == 2: return repr(f).upper()
                if k == 3: return '0.' + '0' * rnd.randint(0, 400) + str(rnd.randint(1, 10**40))
                return str(rint())
            out = []
            for _ in range(2000):
                v = rval()
                canon = json.dumps(v, sort_keys=True)
                pretty = json.dumps(v, sort_keys=True, indent=2)
                out.append('v\\t' + canon + '\\t' + variant(v).encode().hex() + '\\t' + pretty.encode().hex())
            for _ in range(2000):
                t = rnumber()
                out.append('n\\t' + t + '\\t' + json.dumps(json.loads(t), sort_keys=True))
            sys.stdout.write('\\n'.join(out))
            """
        let result = try Python.run(script)
        try #require(result.status == 0, "python failed (seed \(seed)): \(result.stderr)")
        var failures = 0
        func fail(_ message: String) {
            failures += 1
            if failures <= 5 { Issue.record("seed \(seed): \(message)") }
        }
        let lines = splitLines(result.stdout)
        try #require(lines.count == 4000)
        for line in lines {
            let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
            let canonical = Array(fields[fields.count - (fields[0].first == UInt8(ascii: "v") ? 3 : 1)])
            let inputs: [[UInt8]] =
                fields[0].first == UInt8(ascii: "v")
                ? [canonical, bytesFromHex(String(decoding: fields[2], as: UTF8.self))]
                : [Array(fields[1])]
            for input in inputs {
                do {
                    let value = try PotteryJSON.decode(input)
                    if PotteryJSON.encode(value) != canonical {
                        fail("\(String(decoding: input, as: UTF8.self)) re-encodes as \(value), not \(String(decoding: canonical, as: UTF8.self))")
                    }
                    if fields[0].first == UInt8(ascii: "v") {
                        let pretty = bytesFromHex(String(decoding: fields[3], as: UTF8.self))
                        if PotteryJSON.encodePretty(value) != pretty {
                            fail("pretty of \(String(decoding: canonical, as: UTF8.self)) differs")
                        }
                    }
                } catch {
                    fail("\(String(decoding: input, as: UTF8.self)): \(error)")
                }
            }
        }
        #expect(failures == 0)
    }
}

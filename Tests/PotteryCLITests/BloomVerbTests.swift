import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// Every `bloom` verb end to end: output, exit status, the bits in Redis, the
/// sizing guard, stdin streaming, and Python pottery on the same filters.
@Suite struct BloomVerbTests {
    static let sizing = ["--num-elements", "100", "--false-positives", "0.01"]

    func bloom(_ verb: String, _ key: String, _ rest: [String] = [], sizing: [String] = sizing, stdin: String? = nil,
               global: [String] = []) throws -> CLIResult {
        let arguments = global + ["bloom", verb, key] + rest + sizing
        return try stdin.map { try CLI.run(arguments, stdin: $0) } ?? CLI.run(arguments)
    }

    @Test func addContainsLenInfoAndClear() throws {
        let key = uniqueKey()
        let missing = try bloom("contains", key, ["rajiv"])
        #expect(missing.status == 1 && missing.json == false, "\(missing)")
        #expect(try bloom("len", key).json == 0)
        #expect(try Raw.type(key) == "none" && Raw.type(key + ":bloom-sizing") == "none")
        let added = try bloom("add", key, ["rajiv"])
        #expect(added.status == 0 && added.json == .null, "\(added)")
        // pottery-format §14.3: 99 bytes, byte 1 = 0x80 (offset 8), 7 bits.
        let bitmap = try Raw.send("GET", key).bytes ?? []
        #expect(bitmap.count == 99 && bitmap[1] == 0x80)
        #expect(try Raw.send("BITCOUNT", key) == .integer(7))
        #expect(try bloom("contains", key, ["rajiv"]).status == 0)
        #expect(try bloom("contains-many", key, ["rajiv", "raj", "dan"]).json == [true, false, false])
        #expect(try bloom("add", key, ["raj", "dan"]).status == 0)
        #expect(try bloom("len", key).json == 3)
        #expect(try bloom("info", key).json == ["bits_set": 21, "false_positives": 0.01, "num_elements": 100, "num_hashes": 7, "size": 959])
        #expect(try Raw.text(Raw.send("GET", key + ":bloom-sizing"))
                == #"{"false_positives": 0.01, "num_elements": 100, "num_hashes": 7, "size": 959}"#)
        let inspected = try CLI.run(["inspect", key]).json?.objectValue
        #expect(inspected?["kind"] == "BloomFilter" && inspected?["length"] == 120)
        #expect(inspected?["contents"] == ["bits_set": 21, "sizing": ["false_positives": 0.01, "num_elements": 100, "num_hashes": 7, "size": 959]])
        let record = try CLI.run(["inspect", key + ":bloom-sizing"]).json?.objectValue
        #expect(record?["kind"] == "BloomFilterSizing" && record?["contents"]?.objectValue?["size"] == 959)
        let cleared = try bloom("clear", key, sizing: [])
        #expect(cleared.status == 0 && cleared.json == .null, "\(cleared)")
        #expect(try Raw.type(key) == "none" && Raw.type(key + ":bloom-sizing") == "none")
    }

    @Test func missingOrNonsensicalSizingIsAUsageError() throws {
        let key = uniqueKey()
        let bad: [[String]] = [
            [], ["--num-elements", "100"], ["--false-positives", "0.01"],
            ["--num-elements", "0", "--false-positives", "0.01"], ["--num-elements", "-5", "--false-positives", "0.01"],
            ["--num-elements", "1.5", "--false-positives", "0.01"], ["--num-elements", "many", "--false-positives", "0.01"],
            ["--num-elements", "100", "--false-positives", "0"], ["--num-elements", "100", "--false-positives", "1"],
            ["--num-elements", "100", "--false-positives", "1.5"], ["--num-elements", "100", "--false-positives", "-0.1"],
            ["--num-elements", "100", "--false-positives", "nan"], ["--num-elements", "100", "--false-positives", "x"],
            ["--num-elements", "9223372036854775807", "--false-positives", "0.000001"],
        ]
        for sizing in bad {
            for verb in [["add", "a"], ["contains", "a"], ["contains-many", "a"], ["len"], ["info"]] {
                let result = try bloom(verb[0], key, Array(verb.dropFirst()), sizing: sizing)
                #expect(result.status == 2, "\(verb) \(sizing): \(result)")
                #expect(result.stdout.isEmpty)
            }
        }
        #expect(try Raw.type(key) == "none" && Raw.type(key + ":bloom-sizing") == "none")
    }

    @Test func conflictingSizingIsRefusedAndChangesNothing() throws {
        let key = uniqueKey()
        #expect(try bloom("add", key, ["a", "b"]).status == 0)
        let before = try Raw.send("GET", key)
        let other = ["--num-elements", "1000", "--false-positives", "0.01"]
        for verb in [["add", "c"], ["contains", "a"], ["contains-many", "a", "b"], ["len"], ["info"]] {
            let result = try bloom(verb[0], key, Array(verb.dropFirst()), sizing: other)
            #expect(result.status == 2 && result.error?.type == "ValueError", "\(verb): \(result)")
            #expect(result.error?.message.contains("bloom-sizing") == true)
        }
        let streamed = try bloom("add", key, ["-"], sizing: other, stdin: (0..<20_000).map { "x\($0)" }.joined(separator: "\n"))
        #expect(streamed.status == 2, "\(streamed)")
        #expect(try Raw.send("GET", key) == before)
        // Sizing that gives the same m and k is the same filter.
        let same = try bloom("contains", key, ["a"], sizing: ["--num-elements", "100", "--false-positives", "0.0100001"])
        #expect(same.status == 0, "\(same)")
    }

    @Test func stdinStreamsAndBadElementsStoreNothing() throws {
        let key = uniqueKey()
        let sizing = ["--num-elements", "50000", "--false-positives", "0.01"]
        let lines = (0..<30_000).map { "line \($0) é😀" }
        let added = try bloom("add", key, ["first", "-", "last"], sizing: sizing, stdin: lines.joined(separator: "\n") + "\n")
        #expect(added.status == 0, "\(added)")
        let probe = ["first", "last"] + lines.prefix(3) + ["line 30000 é😀", "absent"]
        let answers = try bloom("contains-many", key, ["first", "-", "absent"], sizing: sizing,
                                stdin: (["last"] + lines.suffix(3)).joined(separator: "\n"))
        #expect(answers.json == [true, true, true, true, true, false], "\(answers)")
        #expect(try bloom("contains-many", key, probe, sizing: sizing).json == [true, true, true, true, true, false, false])
        let estimate = try #require(try bloom("len", key, sizing: sizing).json?.intValue)
        #expect(abs(estimate - 30_002) < 600)

        // --json: a bad line anywhere (here after two staged batches) stores nothing, exit 2.
        let fresh = uniqueKey()
        let bad = (0..<45_000).map { "\($0)" } + ["{not json"] + ["1"]
        let refused = try bloom("add", fresh, ["-"], sizing: sizing, stdin: bad.joined(separator: "\n"), global: ["--json"])
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.error?.message.contains("stdin line 45001") == true, "\(refused)")
        #expect(refused.error?.type == "UsageError" && refused.error?.key == .string(fresh), "as for an argument: \(refused)")
        #expect(try Raw.type(fresh) == "none" && Raw.type(fresh + ":bloom-sizing") == "none")
        let word = try bloom("add", fresh, ["1", "nope"], sizing: sizing, global: ["--json"])
        #expect(word.status == 2 && word.stdout.isEmpty)
        #expect(try Raw.type(fresh) == "none")
        // No staged key left behind by either run.
        let staged = try Raw.send("KEYS", "pottery:*").array ?? []
        for key in staged { #expect(try Raw.send("PTTL", Raw.text(key)) != .integer(600_000)) }
    }

    @Test func wrongTypeExitsFourAndChangesNothing() throws {
        let key = uniqueKey()
        try Raw.send("RPUSH", key, "x")
        for verb in [["add", "a"], ["contains", "a"], ["contains-many", "a"], ["len"], ["info"], ["clear"]] {
            let result = try bloom(verb[0], key, Array(verb.dropFirst()))
            #expect(result.status == 4 && result.error?.type == "WrongTypeError", "\(verb): \(result)")
        }
        let streamed = try bloom("add", key, ["-"], stdin: "a\nb\nc\n" + (0..<6000).map(String.init).joined(separator: "\n"))
        #expect(streamed.status == 4, "\(streamed)")
        #expect(try Raw.send("LRANGE", key, "0", "-1") == .array([.bulk(Array("x".utf8))]))
        #expect(try Raw.type(key + ":bloom-sizing") == "none")
    }

    @Test func pythonAndTheCLIShareFilters() throws {
        let (pythonKey, cliKey) = (uniqueKey(), uniqueKey())
        let elements = ["rajiv", "é", "emoji 😀 𝄞", "42", "[1, \"a\", null]", "{\"b\": 1, \"a\": true}", "1.5"]
        let python = try Python.run("""
            import json, warnings
            warnings.simplefilter('ignore')
            from redis import Redis
            from pottery import BloomFilter
            r = Redis.from_url('\(RedisServer.shared.url)')
            BloomFilter(['rajiv', 'é', 'emoji 😀 𝄞', 42, [1, 'a', None], {'b': 1, 'a': True}, 1.5],
                        num_elements=100, false_positives=0.01, redis=r, key='\(pythonKey)')
            """)
        #expect(python.status == 0, "\(python.stderr)")
        #expect(try bloom("add", cliKey, ["-"], stdin: elements.joined(separator: "\n")).status == 0)
        #expect(try Raw.send("GET", cliKey) == Raw.send("GET", pythonKey))
        let probes = elements + ["raj", "\"42\"", "1"]
        let cli = try bloom("contains-many", pythonKey, probes)
        #expect(cli.json == [true, true, true, true, true, true, true, false, false, false], "\(cli)")
        let check = try Python.run("""
            import json, warnings
            warnings.simplefilter('ignore')
            from redis import Redis
            from pottery import BloomFilter
            bf = BloomFilter(num_elements=100, false_positives=0.01, redis=Redis.from_url('\(RedisServer.shared.url)'), key='\(cliKey)')
            print(json.dumps([list(bf.contains_many('rajiv', 'é', 'emoji 😀 𝄞', 42, [1, 'a', None], {'a': True, 'b': 1}, 1.5, 'raj', '42', 1)), len(bf)]))
            """)
        #expect(String(decoding: check.stdout, as: UTF8.self) == "[[true, true, true, true, true, true, true, false, false, false], 7]\n", "\(check.stderr)")
        #expect(try bloom("len", cliKey).json == 7)
    }

    @Test func helpExplainsTheSizingGuard() throws {
        let help = try CLI.run(["help", "bloom", "add"])
        #expect(help.status == 0 && help.out.contains("bloom-sizing") && help.out.contains("--num-elements"), "\(help)")
        let all = try CLI.run(["help", "bloom"])
        for verb in ["add", "contains", "contains-many", "len", "info", "clear"] { #expect(all.out.contains(verb)) }
    }
}

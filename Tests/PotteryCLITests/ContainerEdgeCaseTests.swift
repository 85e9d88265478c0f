import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// Edge cases where the differential test (``ContainerDifferentialTests``)
/// found pottery-cli disagreeing with Python pottery 3.0.1 and Python's own
/// `list`: each checks the fixed behaviour through the CLI, and where pottery
/// itself gives the answer, checks that answer with real Python pottery.
@Suite struct ContainerEdgeCaseTests {
    static func lrange(_ key: String) throws -> [String] {
        (try Raw.send("LRANGE", key, "0", "-1").array ?? []).map(Raw.text)
    }

    /// pottery's answers for `count` and `index` of each argument (JSON text)
    /// on the list at KEY, as Python pottery computes them from the arguments'
    /// `json.loads` values (what the CLI's arguments are).
    static func potteryAnswers(_ key: String, _ arguments: [String]) throws -> [String] {
        let script = """
            import json, sys, warnings
            from redis import Redis
            from pottery import RedisList
            warnings.simplefilter('ignore')
            config = json.loads(sys.stdin.read())
            l = RedisList(redis=Redis.from_url(config['url']), key=config['key'])
            for text in config['arguments']:
                value = json.loads(text)
                try:
                    index = l.index(value)
                except ValueError:
                    index = 'ValueError'
                print(json.dumps([l.count(value), index]))
            """
        let config: [String: Any] = ["url": RedisServer.shared.url, "key": key, "arguments": arguments]
        let python = try Python.run(script, stdin: Array(try JSONSerialization.data(withJSONObject: config)))
        #expect(python.status == 0, "\(python.stderr)")
        return String(decoding: python.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// `json.loads` gives one NaN object, and Python's `list.count`/`index`
    /// and `==` between lists and dicts test identity first: a stored NaN
    /// matches a NaN argument, at any depth (pottery counts it; we counted 0).
    @Test func aNaNMatchesANaNInCountIndexAndRemoveAsInPython() throws {
        let key = uniqueKey()
        let stored = ["NaN", "1", "[NaN]", "{\"a\": NaN}", "[NaN, 2]"]
        #expect(try CLI.run(["list", "extend", key] + stored).status == 0)
        let arguments = ["NaN", "[NaN]", "{\"a\": NaN}", "[NaN, 2.0]", "[NaN, 3]", "Infinity"]
        let pottery = try Self.potteryAnswers(key, arguments)
        #expect(pottery == ["[1, 0]", "[1, 2]", "[1, 3]", "[1, 4]", "[0, \"ValueError\"]", "[0, \"ValueError\"]"])
        for (argument, answer) in zip(arguments, pottery) {
            let count = try CLI.run(["list", "count", key, argument])
            let index = try CLI.run(["list", "index", key, argument])
            let indexText = index.status == 0 ? index.out.dropLast() : (index.error?.type == "ValueError" && index.status == 1 ? "\"ValueError\"" : "\(index)")
            #expect("[\(count.out.dropLast()), \(indexText)]" == answer, "\(argument): count \(count), index \(index)")
        }
        // Python's list.remove finds a NaN by identity (pottery's remove compares with == only:
        // it misses a NaN at the top level, not inside a list, where == tests identity first).
        #expect(try CLI.run(["list", "remove", key, "[NaN]"]).status == 0)
        #expect(try CLI.run(["list", "remove", key, "NaN"]).status == 0)
        #expect(try Self.lrange(key) == ["1", "{\"a\": NaN}", "[NaN, 2]"])
    }

    /// Python compares lists item by item past items that are equal (by identity
    /// first), so `[NaN, 1] < [NaN, 2]`: sort orders them (we compared NaN < NaN).
    @Test func sortLooksPastEqualNaNsInsideArrays() throws {
        let key = uniqueKey()
        #expect(try CLI.run(["list", "extend", key, "[NaN, 2]", "[NaN, 1]", "[NaN, 3, 0]", "[NaN, 3]"]).status == 0)
        let sorted = try CLI.run(["list", "sort", key])
        #expect(sorted.status == 0 && sorted.json == .null, "\(sorted)")
        #expect(try Self.lrange(key) == ["[NaN, 1]", "[NaN, 2]", "[NaN, 3]", "[NaN, 3, 0]"])
        #expect(try CLI.run(["list", "sort", key, "--reverse"]).status == 0)
        #expect(try Self.lrange(key) == ["[NaN, 3, 0]", "[NaN, 3]", "[NaN, 2]", "[NaN, 1]"])
    }

    /// A NaN among numbers is neither less nor greater than anything, so the
    /// result of a sort depends on which pairs the algorithm compares: lists of
    /// every length are sorted with CPython 3.11's own `listsort` (we used
    /// Swift's sort and gave other orders; CPythonListSortTests checks long
    /// lists against python3). The expected orders are
    /// Python 3.11's `sorted(json.loads(...), reverse=...)`, checked here too.
    @Test func sortWithNaNsGivesPythonsOrder() throws {
        let cases: [(items: [String], reverse: Bool, python: [String])] = [
            (["2.0", "0.5", "Infinity", "0.5", "0.5", "true", "NaN", "1", "-Infinity"], false,
             ["-Infinity", "0.5", "0.5", "0.5", "true", "1", "2.0", "Infinity", "NaN"]),
            (["0.5", "NaN", "2", "3", "Infinity", "NaN"], true, ["NaN", "Infinity", "3", "2", "0.5", "NaN"]),
            (["-Infinity", "0.5", "NaN", "2", "NaN", "2.0", "0.5"], false, ["-Infinity", "0.5", "NaN", "0.5", "2", "NaN", "2.0"]),
        ]
        for (items, reverse, python) in cases {
            let script = "import json, sys; c = json.load(sys.stdin); print(json.dumps(sorted(json.loads('[' + ', '.join(c[0]) + ']'), reverse=c[1])))"
            let checked = try Python.run(script, stdin: Array(try JSONSerialization.data(withJSONObject: [items, reverse])))
            #expect(String(decoding: checked.stdout, as: UTF8.self) == "[\(python.joined(separator: ", "))]\n", "\(checked)")
            let key = uniqueKey()
            #expect(try CLI.run(["list", "extend", key] + items).status == 0)
            let sorted = try CLI.run(["list", "sort", key] + (reverse ? ["--reverse"] : []))
            #expect(sorted.status == 0, "\(sorted)")
            #expect(try Self.lrange(key) == python, "\(items) reverse: \(reverse)")
        }
    }

    /// Python clamps integers beyond 64 bits in slices and list positions: an
    /// index beyond them is out of range (`IndexError`, exit 1, was a usage
    /// error), a slice bound is clamped, `insert` goes to that end.
    @Test func indicesBeyond64BitsAreClampedAsPythonClampsThem() throws {
        let key = uniqueKey()
        let huge = "99999999999999999999"
        #expect(try CLI.run(["list", "extend", key, "1", "2", "3"]).status == 0)
        for arguments in [["get", huge], ["get", "-" + huge], ["set", huge, "0"], ["del", "-" + huge], ["pop", huge], ["pop", "-" + huge]] {
            let out = try CLI.run(["list", arguments[0], key] + arguments.dropFirst())
            #expect(out.status == 1 && out.error?.type == "IndexError" && out.stdout.isEmpty, "\(arguments): \(out)")
        }
        #expect(try Self.lrange(key) == ["1", "2", "3"])
        #expect(try CLI.run(["list", "get", key, huge + ":"]).json == [])
        #expect(try CLI.run(["list", "get", key, "-\(huge):\(huge):\(huge)"]).json == [1])
        #expect(try CLI.run(["list", "get", key, "::-\(huge)"]).json == [3])
        #expect(try CLI.run(["list", "insert", key, huge, "\"end\""]).status == 0)
        #expect(try CLI.run(["deque", "insert", key, "-" + huge, "\"front\""]).status == 0)
        #expect(try Self.lrange(key) == ["\"front\"", "1", "2", "3", "\"end\""])
        #expect(try CLI.run(["list", "index", key, "3", "--start", "-" + huge, "--stop", huge]).json == 3)
        for text in ["1.0", "1e3", "0x1", "1:2:x", "+-1", "1:2:3:4"] {
            let out = try CLI.run(["list", "get", key, text])
            #expect(out.status == 2 && out.error?.type == "ValueError", "\(text): \(out)")
        }
        let start = try CLI.run(["list", "index", key, "3", "--start", "1.5"])
        #expect(start.status == 2 && start.error?.type == "ValueError", "\(start)")
    }
}

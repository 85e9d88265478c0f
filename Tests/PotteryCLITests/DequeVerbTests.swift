import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// Every `deque` verb of its own, `--maxlen`, and Python pottery reading and
/// writing the same lists as the CLI.
@Suite struct DequeVerbTests {
    @Test func appendLeftExtendLeftPopLeftAndRotate() throws {
        let key = uniqueKey()
        #expect(try CLI.run(["deque", "extend", key, "g", "h", "i"]).json == .null)
        #expect(try CLI.run(["deque", "appendleft", key, "f"]).json == .null)
        #expect(try CLI.run(["deque", "extendleft", key, "e", "d"]).json == .null)
        #expect(try CLI.run(["deque", "items", key]).json == ["d", "e", "f", "g", "h", "i"])
        #expect(try CLI.run(["deque", "popleft", key]).json == "d")
        #expect(try CLI.run(["deque", "pop", key]).json == "i")
        #expect(try CLI.run(["deque", "rotate", key]).json == .null)
        #expect(try CLI.run(["deque", "items", key]).json == ["h", "e", "f", "g"])
        #expect(try CLI.run(["deque", "rotate", key, "-1"]).json == .null)
        #expect(try CLI.run(["deque", "rotate", key, "-6"]).json == .null)
        #expect(try CLI.run(["deque", "items", key]).json == ["g", "h", "e", "f"])
        #expect(try CLI.run(["deque", "get", key, "-1"]).json == "f")
        #expect(try CLI.run(["deque", "rotate", key, "0"]).status == 0)
        #expect(try ListVerbTests.lrange(key) == ["\"g\"", "\"h\"", "\"e\"", "\"f\""])
        #expect(try CLI.run(["deque", "clear", key]).json == .null)
        let empty = try CLI.run(["deque", "popleft", key])
        #expect(empty.status == 1 && empty.error?.type == "IndexError" && empty.error?.message == "pop from an empty deque", "\(empty)")
        #expect(try CLI.run(["deque", "rotate", key, "3"]).status == 0)
        #expect(try Raw.type(key) == "none")
    }

    @Test func maxlenDropsItemsFromTheOtherEnd() throws {
        let key = uniqueKey()
        #expect(try CLI.run(["deque", "extend", key, "a", "b", "c", "d", "--maxlen", "3"]).status == 0)
        #expect(try CLI.run(["deque", "items", key]).json == ["b", "c", "d"])
        #expect(try CLI.run(["deque", "append", key, "e", "--maxlen=3"]).status == 0)
        #expect(try CLI.run(["deque", "items", key]).json == ["c", "d", "e"])
        #expect(try CLI.run(["deque", "appendleft", key, "b", "--maxlen", "3"]).status == 0)
        #expect(try CLI.run(["deque", "items", key]).json == ["b", "c", "d"])
        #expect(try CLI.run(["deque", "extendleft", key, "--maxlen", "4", "x", "y"]).status == 0)
        #expect(try CLI.run(["deque", "items", key]).json == ["y", "x", "b", "c"])
        let full = try CLI.run(["deque", "insert", key, "1", "z", "--maxlen", "4"])
        #expect(full.status == 1 && full.error?.type == "IndexError", "\(full)")
        #expect(try CLI.run(["deque", "insert", key, "1", "z", "--maxlen", "5"]).status == 0)
        #expect(try CLI.run(["deque", "items", key]).json == ["y", "z", "x", "b", "c"])
        // A stored deque longer than --maxlen is refused, as pottery refuses to open it: nothing is lost.
        for arguments in [["append", key, "w", "--maxlen", "0"], ["extend", key, "p", "q", "--maxlen", "2"],
                          ["appendleft", key, "w", "--maxlen", "4"]] {
            let beyond = try CLI.run(["deque"] + arguments)
            #expect(beyond.status == 1 && beyond.error?.type == "IndexError", "\(arguments): \(beyond)")
            #expect(beyond.error?.message == "persistent RedisDeque beyond its maximum size", "\(beyond)")
        }
        #expect(try CLI.run(["deque", "items", key]).json == ["y", "z", "x", "b", "c"])
        let empty = uniqueKey()
        #expect(try CLI.run(["deque", "append", empty, "w", "--maxlen", "0"]).status == 0)
        #expect(try Raw.type(empty) == "none")
        for arguments in [["append", key, "x", "--maxlen", "-1"], ["append", key, "x", "--maxlen", "two"],
                          ["extendleft", key, "x", "--maxlen", "1.5"], ["popleft", key, "--maxlen", "3"],
                          ["rotate", key, "one"], ["rotate", key, "1.5"]] {
            let out = try CLI.run(["deque"] + arguments)
            #expect(out.status == 2 && out.stdout.isEmpty, "\(arguments): \(out)")
        }
        #expect(try CLI.run(["deque", "items", key]).json == ["y", "z", "x", "b", "c"])
    }

    @Test func wrongTypeExitsFourAndChangesNothing() throws {
        let key = uniqueKey()
        try Raw.send("SADD", key, "1")
        for verb in [["appendleft", "1"], ["extendleft", "1"], ["popleft"], ["rotate", "-1"], ["rotate", "0"],
                     ["append", "1", "--maxlen", "2"], ["append", "1", "--maxlen", "0"], ["extendleft", "1", "--maxlen", "0"]] {
            let out = try CLI.run(["deque", verb[0], key] + verb.dropFirst())
            #expect(out.status == 4 && out.error?.type == "WrongTypeError", "\(verb): \(out)")
        }
        #expect(try Raw.smembers(key) == ["1"])
    }

    @Test func pythonAndTheCLIShareListsAndDeques() throws {
        let (cliList, pyList, pyDeque) = (uniqueKey(), uniqueKey(), uniqueKey())
        for arguments in [["list", "extend", cliList, "1", "two", "3.0", "null", "{\"b\": 1, \"a\": 2}", "é"],
                          ["list", "insert", cliList, "-1", "[true]"], ["deque", "appendleft", cliList, "zero", "--maxlen", "10"]] {
            let result = try CLI.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result)")
        }
        let python = try Python.run("""
            import json, warnings
            warnings.simplefilter('ignore')
            from redis import Redis
            from pottery import RedisList, RedisDeque
            r = Redis.from_url('\(RedisServer.shared.url)')
            l = RedisList(redis=r, key='\(cliList)')
            print(json.dumps([l.to_list(), l[-2], l.index(3), l.count(None)]))
            RedisList([1, 'two', 2.5, None, {'z': [True], 'a': 1}, 2**64, '\\u00e9'], redis=r, key='\(pyList)')
            d = RedisDeque('abcdef', maxlen=4, redis=r, key='\(pyDeque)')
            d.appendleft('z'); d.rotate(-1)
            """)
        #expect(python.status == 0, "\(python.stderr)")
        #expect(String(decoding: python.stdout, as: UTF8.self)
                == #"[["zero", 1, "two", 3.0, null, {"a": 2, "b": 1}, [true], "\u00e9"], [true], 3, 1]"# + "\n")
        #expect(try CLI.run(["list", "items", pyList]).json
                == [1, "two", 2.5, nil, ["a": 1, "z": [true]], .bigInt("18446744073709551616"), "é"])
        #expect(try CLI.run(["list", "get", pyList, "-1"]).json == "é")
        #expect(try CLI.run(["deque", "items", pyDeque]).json == ["c", "d", "e", "z"])
        // The CLI writes the same bytes as Python for the same operations.
        let mine = uniqueKey()
        #expect(try CLI.run(["list", "extend", mine, "1", "two", "2.5", "null", "{\"z\": [true], \"a\": 1}", "18446744073709551616", "é"]).status == 0)
        #expect(try ListVerbTests.lrange(mine) == ListVerbTests.lrange(pyList))
    }
}

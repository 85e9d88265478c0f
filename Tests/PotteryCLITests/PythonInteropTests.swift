import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// Python pottery reads what the CLI writes, and the other way round.
/// `make deps` installs pottery 3.0.1 and redis-py; without them these tests fail
/// (they are never skipped).
@Suite struct PythonInteropTests {
    @Test func pythonAndTheCLIShareDictsAndSets() throws {
        let (cliDict, cliSet, pyDict, pySet) = (uniqueKey(), uniqueKey(), uniqueKey(), uniqueKey())
        for arguments in [
            ["dict", "set", cliDict, "jack", "4098"], ["dict", "set", cliDict, "é", "1.5"],
            ["--strings", "dict", "set", cliDict, "n", "4098"], ["dict", "update", cliDict, "[1, 2]", "NaN", "-1", "null"],
            ["set", "add", cliSet, "apple", "3", "2.50", "null", "{\"b\": 1, \"a\": 2}", "😀"],
        ] {
            let result = try CLI.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result)")
        }
        let script = """
            import json
            from redis import Redis
            from pottery import RedisDict, RedisSet
            r = Redis.from_url('\(RedisServer.shared.url)')
            d = RedisDict(redis=r, key='\(cliDict)')
            s = RedisSet(redis=r, key='\(cliSet)')
            print(json.dumps({'dict': [[k, d[k]] for k in d], 'set': list(s),
                              'lookups': [d['jack'], d['\\u00e9'], d['n'], d[-1], 'apple' in s, 2.5 in s, None in s]}))
            RedisDict({'\\u00e9': 1.5, 'n': None, 'big': 2**64, 'nested': {'z': [True]}}, redis=r, key='\(pyDict)')
            RedisSet({'apple', 3, 2.5, (1, 'two')}, redis=r, key='\(pySet)')
            """
        let python = try Python.run(script)
        #expect(python.status == 0, "\(python.stderr)")
        let seen = try #require(try PotteryJSON.decode(python.stdout.dropLast()).objectValue)
        #expect(Set(try #require(seen["dict"]?.arrayValue)) == [["jack", 4098], ["é", 1.5], ["n", "4098"], [[1, 2], .double(.nan)], [-1, .null]])
        #expect(Set(try #require(seen["set"]?.arrayValue)) == ["apple", 3, 2.5, .null, ["a": 2, "b": 1], "😀"])
        #expect(seen["lookups"] == [4098, 1.5, "4098", .null, true, true, true])

        let items = try #require(try CLI.run(["dict", "items", pyDict]).json?.arrayValue)
        #expect(Set(items) == [["é", 1.5], ["n", .null], ["big", .bigInt("18446744073709551616")], ["nested", ["z": [true]]]])
        let members = try #require(try CLI.run(["set", "members", pySet]).json?.arrayValue)
        #expect(Set(members) == ["apple", 3, 2.5, [1, "two"]])
        #expect(try CLI.run(["dict", "get", pyDict, "é"]).json == 1.5)
        #expect(try CLI.run(["set", "contains", pySet, "[1, \"two\"]"]).status == 0)
    }
}

import PotteryKit
import PotteryTestSupport
import Testing

/// Every `set` verb: stdout parsed as JSON, and the members in Redis checked.
@Suite struct SetVerbTests {
    /// A set holding the members' pottery bytes.
    private func makeSet(_ members: String...) throws -> String {
        let key = uniqueKey("set")
        try Raw.send("SADD", arguments: [key] + members)
        return key
    }

    @Test func addCountsNewMembersAndStoresPotteryBytes() throws {
        let key = uniqueKey()
        let added = try CLI.run(["set", "add", key, "apple", "1", "2.50", "null", "apple"])
        #expect(added.status == 0 && added.json == 4, "\(added)")
        let again = try CLI.run(["set", "add", key, "--strings", "1", "apple"])
        #expect(again.json == 1)
        #expect(try Raw.smembers(key) == ["\"apple\"", "1", "2.5", "null", "\"1\""])
    }

    @Test func removeAndDiscard() throws {
        let key = try makeSet("1", "2", "3", "\"x\"")
        let removed = try CLI.run(["set", "remove", key, "1"])
        #expect(removed.status == 0 && removed.json == .null, "\(removed)")
        let missing = try CLI.run(["set", "remove", key, "1"])
        #expect(missing.status == 1 && missing.error?.type == "KeyError" && missing.stdout.isEmpty, "\(missing)")
        #expect(missing.error?.key == .string(key))

        let discarded = try CLI.run(["set", "discard", key, "2", "x", "99"])
        #expect(discarded.status == 0 && discarded.json == 2, "\(discarded)")
        #expect(try Raw.smembers(key) == ["3"])
    }

    @Test func containsAndContainsMany() throws {
        let key = try makeSet("\"a\"", "-1")
        let yes = try CLI.run(["set", "contains", key, "-1"])
        #expect(yes.status == 0 && yes.json == true)
        let no = try CLI.run(["set", "contains", key, "b"])
        #expect(no.status == 1 && no.json == false && no.stderr.isEmpty)
        let many = try CLI.run(["set", "contains-many", key, "a", "b", "-1"])
        #expect(many.status == 0 && many.json == [true, false, true], "\(many)")
        let none = try CLI.run(["set", "contains-many", uniqueKey(), "a"])
        #expect(none.status == 0 && none.json == [false])
    }

    @Test func lenMembersPopClear() throws {
        let key = try makeSet("1", "\"two\"", "[3]")
        #expect(try CLI.run(["set", "len", key]).json == 3)
        let members = try #require(try CLI.run(["set", "members", key]).json?.arrayValue)
        #expect(Set(members) == [1, "two", [3]])

        let popped = try #require(try CLI.run(["set", "pop", key]).json)
        #expect([1, "two", [3]].contains(popped))
        #expect(try Raw.smembers(key).count == 2)

        #expect(try CLI.run(["set", "clear", key]).json == .null)
        #expect(try Raw.type(key) == "none")
        let empty = try CLI.run(["set", "pop", key])
        #expect(empty.status == 1 && empty.error?.type == "KeyError" && empty.stdout.isEmpty, "\(empty)")
        #expect(try CLI.run(["set", "members", key]).out == "[]\n")

        let hash = uniqueKey()
        try Raw.send("HSET", hash, "1", "1")
        let wrong = try CLI.run(["set", "clear", hash])
        #expect(wrong.status == 4 && wrong.error?.type == "WrongTypeError", "\(wrong)")
        #expect(try Raw.type(hash) == "hash")
    }

    @Test func algebraWithOtherSets() throws {
        let a = try makeSet("1", "2", "3")
        let b = try makeSet("3", "4")
        let c = try makeSet("3", "5")
        func members(_ args: [String]) throws -> Set<JSONValue> {
            let result = try CLI.run(["set"] + args)
            #expect(result.status == 0, "\(result)")
            return Set(try #require(result.json?.arrayValue))
        }
        #expect(try members(["union", a, b, c]) == [1, 2, 3, 4, 5])
        #expect(try members(["union", a]) == [1, 2, 3])
        #expect(try members(["intersection", a, b, c]) == [3])
        #expect(try members(["difference", a, b]) == [1, 2])
        #expect(try members(["symmetric-difference", a, b]) == [1, 2, 4])
    }

    @Test func predicatesAgainstAnotherSet() throws {
        let small = try makeSet("1")
        let big = try makeSet("1", "2")
        let other = try makeSet("9")
        func answer(_ verb: String, _ x: String, _ y: String) throws -> (Int32, JSONValue?) {
            let result = try CLI.run(["set", verb, x, y])
            return (result.status, result.json)
        }
        #expect(try answer("issubset", small, big) == (0, true))
        #expect(try answer("issubset", big, small) == (1, false))
        #expect(try answer("issuperset", big, small) == (0, true))
        #expect(try answer("issuperset", small, big) == (1, false))
        #expect(try answer("isdisjoint", small, other) == (0, true))
        #expect(try answer("isdisjoint", small, big) == (1, false))
    }

    @Test func updatesInPlace() throws {
        let a = try makeSet("1", "2", "3")
        let b = try makeSet("3", "4")
        let update = try CLI.run(["set", "update", a, b])
        #expect(update.status == 0 && update.json == .null, "\(update)")
        #expect(try Raw.smembers(a) == ["1", "2", "3", "4"])

        #expect(try CLI.run(["set", "difference-update", a, b]).json == .null)
        #expect(try Raw.smembers(a) == ["1", "2"])

        let c = try makeSet("2", "7")
        #expect(try CLI.run(["set", "intersection-update", a, c]).json == .null)
        #expect(try Raw.smembers(a) == ["2"])

        #expect(try CLI.run(["set", "symmetric-difference-update", a, c]).json == .null)
        #expect(try Raw.smembers(a) == ["7"])
    }
}

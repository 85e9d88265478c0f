import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// The third contract audit (../shared/cli-contract.md read sentence by
/// sentence, the verb table flag by flag): each test pins a place where the
/// binary disagreed with the contract before.
@Suite struct ContractAudit3Tests {
    // MARK: help

    /// "`pottery-cli help [STRUCTURE [VERB]]`": `help help` is the help command's
    /// own help (the top page), not "unknown command help; did you mean help?".
    @Test func helpHelpPrintsTheTopPage() throws {
        let top = try CLI.run(["--help"], url: deadServerURL)
        let helpHelp = try CLI.run(["help", "help"], url: deadServerURL)
        #expect(helpHelp.status == 0 && helpHelp.stderr.isEmpty, "\(helpHelp)")
        #expect(helpHelp.out == top.out)
        let extra = try CLI.run(["help", "help", "dict"], url: deadServerURL)
        #expect(extra.status == 2 && extra.stdout.isEmpty && extra.error?.type == "UsageError", "\(extra)")
    }

    // MARK: the error object's key

    /// "on failure one JSON object `{"error": {"type", "message", "key"}}`": once
    /// the command line names a KEY, every error names it, usage errors included
    /// (a malformed INDEX, a missing FIELD, clashing options); without a KEY, `null`.
    @Test(arguments: [
        (["list", "get", "audit3-k", "abc"], "ValueError"),
        (["deque", "rotate", "audit3-k", "1:2"], "ValueError"),
        (["dict", "del", "audit3-k"], "UsageError"),
        (["dict", "set", "audit3-k", "f"], "UsageError"),
        (["dict", "len", "audit3-k", "extra"], "UsageError"),
        (["--json", "set", "add", "audit3-k", "not-json"], "UsageError"),
        (["queue", "get", "audit3-k", "--timeout", "1", "--no-wait"], "ValueError"),
        (["lock", "run", "audit3-k"], "UsageError"),
        (["nextid", "audit3-k", "--count", "0"], "ValueError"),
        (["bloom", "add", "audit3-k", "x"], "ValueError"),
    ])
    func usageErrorsNameTheGivenKey(arguments: [String], type: String) throws {
        let result = try CLI.run(arguments, url: deadServerURL)
        #expect(result.status == 2 && result.stdout.isEmpty, "\(arguments): \(result)")
        #expect(result.error?.type == type, "\(arguments): \(result)")
        #expect(result.error?.key == .string("audit3-k"), "\(arguments): \(result)")
    }

    /// Before the KEY is known (no KEY, an unknown verb, a word the lexer rejects),
    /// the key is `null`: never a word that is not a KEY, such as `lock run -- CMD`'s command.
    @Test(arguments: [
        ["dict", "get"], ["lock", "run", "--", "true"], ["keys", "a", "b"], ["dict", "nosuch", "k"],
        ["dict", "get", "", "f"], ["dict", "len", "k", "--nosuch"],
    ])
    func usageErrorsWithoutKeyNameNone(arguments: [String]) throws {
        let result = try CLI.run(arguments, url: deadServerURL)
        #expect(result.status == 2 && result.stdout.isEmpty, "\(arguments): \(result)")
        #expect(result.error?.key == .null, "\(arguments): \(result)")
    }

    // MARK: element arguments from stdin

    /// "`-` reads the elements from stdin" and `--help` lists `--default V` among the
    /// element arguments: `--default -` took the string "-" instead of reading stdin.
    @Test func defaultDashReadsOneLineOfStdin() throws {
        let key = uniqueKey()
        let json = try CLI.run(["dict", "get", key, "missing", "--default", "-"], stdin: Array("[1, 2]\n".utf8))
        #expect(json.status == 0 && json.json == .array([1, 2]), "\(json)")
        let strings = try CLI.run(["--strings", "dict", "pop", key, "missing", "--default=-"], stdin: Array("42\n".utf8))
        #expect(strings.status == 0 && strings.json == "42", "\(strings)")
        // One line exactly, and stdin once per command.
        let two = try CLI.run(["dict", "get", key, "missing", "--default", "-"], stdin: Array("1\n2\n".utf8))
        #expect(two.status == 2 && two.error?.type == "UsageError" && two.stdout.isEmpty, "\(two)")
        let twice = try CLI.run(["dict", "get", key, "-", "--default", "-"], stdin: Array("1\n".utf8))
        #expect(twice.status == 2 && twice.error?.message.contains("only once") == true, "\(twice)")
        // A field that is present still wins over the default.
        #expect(try CLI.run(["dict", "set", key, "f", "7"]).status == 0)
        let present = try CLI.run(["dict", "get", key, "f", "--default", "-"], stdin: Array("1\n".utf8))
        #expect(present.status == 0 && present.json == 7, "\(present)")
    }

    // MARK: inspect

    /// "`inspect KEY` (type, TTL, length, pottery kind, contents)" on every kind
    /// pottery-cli makes: a semaphore's sorted set showed kind, length and
    /// contents `null`, as if it were not ours. Now kind `RedisSemaphore`, its
    /// holders, and `semaphore status`'s fields, never a token.
    @Test func inspectKnowsTheSemaphore() throws {
        let name = uniqueKey()
        let acquired = try CLI.run(["semaphore", "acquire", name, "--limit", "3"])
        #expect(acquired.status == 0, "\(acquired)")
        let token = try #require(acquired.json?.objectValue?["token"]?.stringValue)
        let result = try CLI.run(["inspect", "semaphore:{\(name)}"])
        #expect(result.status == 0, "\(result)")
        let object = try #require(result.json?.objectValue, "\(result)")
        #expect(object["type"] == "zset" && object["kind"] == "RedisSemaphore", "\(result)")
        #expect(object["length"] == 1)
        let contents = try #require(object["contents"]?.objectValue, "\(result)")
        #expect(contents["holders"] == 1 && contents["limit"] == 3 && contents["waiters"] == 0, "\(result)")
        let lease = try #require(contents["leases_ms"]?.arrayValue?.first?.intValue)
        #expect(lease > 0 && lease <= 10_000)
        #expect(!result.out.contains(token), "inspect printed the permit's token")
    }

    /// A sorted set pottery never makes: its Redis length (`ZCARD`), kind and
    /// contents `null`, exit 0; nothing changed.
    @Test func inspectOfAForeignSortedSet() throws {
        let key = uniqueKey()
        try Raw.send("ZADD", key, "1", "a", "2", "b")
        let result = try CLI.run(["inspect", key])
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result)")
        let object = try #require(result.json?.objectValue, "\(result)")
        #expect(object["type"] == "zset" && object["kind"] == .null && object["contents"] == .null, "\(result)")
        #expect(object["length"] == 2, "\(result)")
        #expect(try Raw.send("ZCARD", key).integer == 2)
    }

    // MARK: a down server

    /// "3: the server: unreachable": `lock status` against a dead `--url` server
    /// printed `"held": false` and exited 0, as if the lock were free; every other
    /// verb exits 3. Now exit 3 with nothing on stdout.
    @Test func lockStatusOnADeadServerIsThree() throws {
        let result = try CLI.run(["lock", "status", uniqueKey()], url: deadServerURL)
        #expect(result.status == 3 && result.stdout.isEmpty, "\(result)")
        #expect(result.error?.type == "QuorumIsImpossible", "\(result)")
        #expect(result.error?.message.contains(deadServerURL) == true, "\(result)")
    }

    /// With a majority of masters dead the answer is unknown (exit 3); with a
    /// minority dead, the report names them and exits 0.
    @Test func lockStatusNeedsAMajorityOfMasters() throws {
        let key = uniqueKey()
        let (first, second) = (try RefusingPort(), try RefusingPort())
        let live = RedisServer.shared.url
        let majorityDead = try CLI.run(["--master", live, "--master", first.url, "--master", second.url, "lock", "status", key])
        #expect(majorityDead.status == 3 && majorityDead.stdout.isEmpty, "\(majorityDead)")
        #expect(majorityDead.error?.type == "QuorumIsImpossible", "\(majorityDead)")

        let helper = try RedisServer()
        let minorityDead = try CLI.run(["--master", live, "--master", helper.url, "--master", first.url, "lock", "status", key])
        #expect(minorityDead.status == 0, "\(minorityDead)")
        let masters = try #require(minorityDead.json?.objectValue?["masters"]?.arrayValue)
        #expect(masters.map { $0.objectValue?["error"] == .null } == [true, true, false], "\(minorityDead)")
        #expect(minorityDead.json?.objectValue?["held"] == .bool(false))
    }

    // MARK: $REDIS_URL

    /// "Default: `$REDIS_URL`, else `redis://localhost:6379/0`": an empty
    /// `$REDIS_URL` is unset (as an empty `$REDISCLI_AUTH` or `$POTTERY_MASTERS`),
    /// not an invalid URL.
    @Test func emptyRedisURLCountsAsUnset() throws {
        let key = uniqueKey()
        let unset = try CLI.run(["dict", "len", key], url: nil)
        let empty = try CLI.run(["dict", "len", key], url: "")
        #expect(empty.status != 2 && empty.error?.type != "InvalidURL", "\(empty)")
        #expect(empty.status == unset.status && empty.out == unset.out, "\(empty) vs \(unset)")
        #expect(empty.error?.type == unset.error?.type)
        // --url still wins over an empty $REDIS_URL.
        let given = try CLI.run(["--url", RedisServer.shared.url, "dict", "len", key], url: "")
        #expect(given.status == 0 && given.json == 0, "\(given)")
    }
}

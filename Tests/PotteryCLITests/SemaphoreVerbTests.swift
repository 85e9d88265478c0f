import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// `semaphore acquire | release | extend | status` against a real server:
/// output, exit statuses and every bad input.
@Suite struct SemaphoreVerbTests {
    let redis = RedisServer.shared.connection()

    func cli(_ arguments: [String]) throws -> CLIResult { try CLI.run(arguments) }

    /// The holders' tokens: members scored by a lease end (the limit's member "" is scored below 0).
    func members(_ name: String) throws -> [String] {
        var range = RedisCommand("ZRANGEBYSCORE", key: RedisSemaphore.redisKey(name))
        range.append("0")
        range.append("+inf")
        return try (redis.send(range).array ?? []).compactMap { $0.bytes.map { String(decoding: $0, as: UTF8.self) } }
    }

    @Test func acquirePrintsATokenUpToTheLimitAndExitsOneBeyondIt() throws {
        let name = uniqueKey()
        var tokens: [String] = []
        for holders in 1...2 {
            let result = try cli(["semaphore", "acquire", name, "--limit", "2", "--auto-release", "5"])
            #expect(result.status == 0, "\(result)")
            let object = try #require(result.json?.objectValue, "\(result)")
            #expect(object["acquired"] == .bool(true))
            #expect(object["holders"] == .int(holders))
            #expect(object["limit"] == .int(2))
            #expect(object["key"] == .string(name))
            #expect(object["auto_release_time"] == .double(5))
            let validity = try #require(object["validity_ms"]?.intValue)
            #expect(validity > 4000 && validity <= 5000)
            let token = try #require(object["token"]?.stringValue)
            #expect(isLowercaseUUID4(token))
            tokens.append(token)
        }
        #expect(Set(try members(name)) == Set(tokens))
        let refused = try cli(["semaphore", "acquire", name, "--limit", "2", "--no-wait"])
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.json?.objectValue?["acquired"] == .bool(false))
        #expect(refused.json?.objectValue?["token"] == .null)
        let waited = try cli(["semaphore", "acquire", name, "--limit", "2", "--timeout", "0.3"])
        #expect(waited.status == 1, "\(waited)")
        #expect(waited.elapsed >= .milliseconds(300))

        let status = try #require(try cli(["semaphore", "status", name]).json?.objectValue)
        #expect(status["holders"] == .int(2))
        #expect(status["limit"] == .int(2))
        #expect(status["waiters"] == .int(0))
        #expect(status["redis_key"] == .string("semaphore:{\(name)}"))
        #expect(status["leases_ms"]?.arrayValue?.count == 2)
        #expect(!(try cli(["semaphore", "status", name]).out.contains(tokens[0])), "status never prints a token")

        #expect(try cli(["semaphore", "extend", name, "--token", tokens[0], "--auto-release", "20"]).status == 0)
        let extended = try #require(try cli(["semaphore", "status", name]).json?.objectValue?["leases_ms"]?.arrayValue)
        #expect((extended.last?.intValue ?? 0) > 15000)

        let released = try cli(["semaphore", "release", name, "--token", tokens[0]])
        #expect(released.status == 0 && released.out == "null\n", "\(released)")
        let again = try cli(["semaphore", "release", name, "--token", tokens[0]])
        #expect(again.status == 1 && again.error?.type == "ReleaseUnlockedLock", "\(again)")
        let gone = try cli(["semaphore", "extend", name, "--token", tokens[0]])
        #expect(gone.status == 1 && gone.error?.type == "ExtendUnlockedLock", "\(gone)")
        #expect(try cli(["semaphore", "acquire", name, "--limit", "2", "--no-wait"]).status == 0)
    }

    @Test func anIdleSemaphoreHasNoHoldersAndNoLimit() throws {
        let status = try #require(try cli(["semaphore", "status", uniqueKey()]).json?.objectValue)
        #expect(status["holders"] == .int(0) && status["limit"] == .null && status["waiters"] == .int(0))
        #expect(status["leases_ms"] == .array([]))
    }

    @Test(arguments: [[], ["--limit", "0"], ["--limit", "-1"], ["--limit", "two"], ["--limit", "1.5"], ["--limit", ""],
                      ["--limit", "1", "--timeout", "-1"], ["--limit", "1", "--timeout", "1", "--no-wait"],
                      ["--limit", "1", "--auto-release", "0"]])
    func badLimitsAndOptionsAreUsageErrorsAndTakeNothing(options: [String]) throws {
        let name = uniqueKey()
        for verb in ["acquire", "run"] {
            let result = try cli(["semaphore", verb, name] + options + (verb == "run" ? ["--", "echo", "ran"] : []))
            #expect(result.status == 2, "\(verb) \(options): \(result)")
            #expect(result.stdout.isEmpty, "\(result)")
            #expect(result.error != nil, "\(result)")
        }
        #expect(try members(name).isEmpty)
    }

    @Test func releaseAndExtendNeedAToken() throws {
        for verb in ["release", "extend"] {
            let result = try cli(["semaphore", verb, uniqueKey()])
            #expect(result.status == 2, "\(verb): \(result)")
        }
    }

    @Test func aKeyOfAnotherTypeIsExitFourAndUnchanged() throws {
        let name = uniqueKey()
        var hset = RedisCommand("HSET", key: RedisSemaphore.redisKey(name))
        hset.append("f")
        hset.append("v")
        try redis.send(hset)
        for arguments in [["acquire", name, "--limit", "3"], ["status", name], ["release", name, "--token", "t"],
                          ["extend", name, "--token", "t"], ["run", name, "--limit", "3", "--", "echo", "ran"]] {
            let result = try cli(["semaphore"] + arguments)
            #expect(result.status == 4, "\(arguments): \(result)")
            #expect(result.error?.type == "WrongTypeError", "\(result)")
            #expect(!result.out.contains("ran"))
        }
        #expect(try redis.send(RedisCommand("HGETALL", key: RedisSemaphore.redisKey(name)))
            == .array([.bulk(Array("f".utf8)), .bulk(Array("v".utf8))]))
    }

    @Test func aDeadServerIsExitThree() throws {
        let result = try CLI.run(["semaphore", "acquire", uniqueKey(), "--limit", "1"], url: CLIMasters.dead[0])
        #expect(result.status == 3, "\(result)")
    }
}

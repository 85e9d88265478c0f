import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// `lock acquire`, `release`, `extend`, `locked` and `status` over five real
/// masters: the printed objects, pottery's bytes on every master, exit
/// statuses, where the masters come from, and Python pottery on the same keys.
@Suite struct LockVerbTests {
    let masters = CLIMasters.shared

    /// pottery-cli with `--master` for every master.
    func cli(_ arguments: [String], environment: [String: String] = [:]) throws -> CLIResult {
        try CLI.run(masters.options + arguments, environment: environment)
    }

    /// Acquires `name` and returns its token.
    func acquire(_ name: String, _ options: [String] = []) throws -> String {
        let result = try cli(["lock", "acquire", name, "--no-wait"] + options)
        #expect(result.status == 0, "\(result)")
        return try #require(result.json?.objectValue?["token"]?.stringValue, "\(result)")
    }

    // MARK: acquire

    @Test func acquirePrintsItsObjectAndStoresTheTokenWithPXOnEveryMaster() throws {
        let name = uniqueKey() + ":é nightly"
        let result = try cli(["lock", "acquire", name, "--auto-release", "2.5"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty)
        let object = try #require(result.json?.objectValue, "\(result)")
        #expect(Set(object.keys) == ["key", "acquired", "token", "auto_release_time", "validity_ms"])
        #expect(object["key"] == .string(name))
        #expect(object["acquired"] == .bool(true))
        #expect(object["auto_release_time"] == .double(2.5))
        let validity = try #require(object["validity_ms"]?.intValue, "validity_ms is an int")
        #expect(validity > 2000 && validity <= 2500, "\(validity)")
        let token = try #require(object["token"]?.stringValue)
        #expect(isLowercaseUUID4(token), "\(token)")

        #expect(try masters.values("redlock:" + name, settlingOn: Array(repeating: token, count: 5)) == Array(repeating: token, count: 5))
        for ttl in try masters.pttls("redlock:" + name) {
            #expect(ttl > 2000 && ttl <= 2500, "PTTL \(ttl)")
        }
        // The default auto-release is pottery's 10 s.
        let other = uniqueKey()
        let plain = try #require(try cli(["lock", "acquire", other]).json?.objectValue)
        #expect(plain["auto_release_time"] == .double(10))
        #expect(try masters.pttls("redlock:" + other).allSatisfy { $0 > 9000 && $0 <= 10000 })
    }

    @Test func fencingAddsATokenThatGrowsWithEveryGrant() throws {
        let name = uniqueKey()
        let first = try cli(["lock", "acquire", name, "--fencing", "--auto-release", "5"])
        let object = try #require(first.json?.objectValue, "\(first)")
        #expect(Set(object.keys) == ["key", "acquired", "token", "auto_release_time", "validity_ms", "fencing_token"])
        let fence = try #require(object["fencing_token"]?.intValue, "fencing_token is an int")
        let token = try #require(object["token"]?.stringValue)
        #expect(try cli(["lock", "release", name, "--token", token]).status == 0)
        let second = try #require(try cli(["lock", "acquire", name, "--fencing"]).json?.objectValue)
        let next = try #require(second["fencing_token"]?.intValue)
        #expect(next > fence)
        // The counter is pottery's NextID named redlock:NAME.
        let stored = try masters.values("nextid:redlock:" + name).compactMap { $0.flatMap { Int($0) } }
        #expect(stored.filter { $0 == next }.count >= 3, "\(stored)")
    }

    @Test func aHeldLockIsNotAcquiredWithNoWaitAndATimeoutWaitsThatLong() throws {
        let name = uniqueKey()
        let token = try acquire(name)
        let noWait = try cli(["lock", "acquire", name, "--no-wait"])
        #expect(noWait.status == 1, "\(noWait)")
        let object = try #require(noWait.json?.objectValue, "\(noWait)")
        #expect(object["acquired"] == .bool(false))
        #expect(object["key"] == .string(name))
        #expect(object["token"] == .null)
        #expect(object["fencing_token"] == nil)

        let waited = try cli(["lock", "acquire", name, "--timeout", "0.3"])
        #expect(waited.status == 1, "\(waited)")
        #expect(waited.json?.objectValue?["acquired"] == .bool(false))
        #expect(waited.elapsed >= .milliseconds(300), "\(waited.elapsed)")
        #expect(waited.elapsed < .milliseconds(2500), "\(waited.elapsed)")
        // Nothing of the failed attempts is left behind: the holder's token is intact everywhere.
        #expect(try masters.values("redlock:" + name, settlingOn: Array(repeating: token, count: 5)) == Array(repeating: token, count: 5))
    }

    @Test(arguments: [
        ["--timeout", "1", "--no-wait"], ["--no-wait", "--timeout", "0"], ["--timeout", "-1"], ["--timeout", "abc"],
        ["--auto-release", "0"], ["--auto-release", "-2"], ["--auto-release", "abc"], ["--auto-release", "nan"],
        ["--auto-release", "0.0005"],
    ])
    func badWaitingOrLifetimeIsAUsageError(options: [String]) throws {
        let name = uniqueKey()
        let result = try cli(["lock", "acquire", name] + options)
        #expect(result.status == 2, "\(options): \(result)")
        #expect(result.stdout.isEmpty)
        let error = try #require(result.error, "one JSON error object on stderr: \(result)")
        #expect(["ValueError", "UsageError"].contains(error.type), "\(error)")
        #expect(try masters.values("redlock:" + name, settlingOn: Array(repeating: nil, count: 5)).allSatisfy { $0 == nil })
    }

    @Test func threeOfFiveMastersDeadIsQuorumIsImpossibleAtOnce() throws {
        let name = uniqueKey()
        let urls = Array(masters.urls.prefix(2)) + CLIMasters.dead
        let result = try CLI.run(CLIMasters.options(urls) + ["lock", "acquire", name])
        #expect(result.status == 3, "\(result)")
        #expect(result.error?.type == "QuorumIsImpossible", "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.elapsed < .seconds(3), "\(result.elapsed)")
        // The two live masters that granted were cleaned up.
        #expect(try masters.values("redlock:" + name, settlingOn: Array(repeating: nil, count: 5)).allSatisfy { $0 == nil })
    }

    @Test func lockedWithoutATokenCannotSayFreeWhenNoMajorityAnswers() throws {
        let name = uniqueKey()
        let urls = Array(masters.urls.prefix(2)) + CLIMasters.dead
        let result = try CLI.run(CLIMasters.options(urls) + ["lock", "locked", name])
        #expect(result.status == 3, "\(result)")
        #expect(result.error?.type == "QuorumIsImpossible", "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        // Two of five dead still answers: free is exit 1.
        let answered = try CLI.run(CLIMasters.options(Array(masters.urls.prefix(3)) + CLIMasters.dead.prefix(2)) + ["lock", "locked", name])
        #expect(answered.status == 1, "\(answered)")
        #expect(answered.out == "0\n", "\(answered)")
    }

    @Test func aLockKeyHoldingAnotherTypeIsADataError() throws {
        let name = uniqueKey()
        for index in masters.urls.indices { _ = try masters.send(index, "HSET", "redlock:" + name, "f", "v") }
        for arguments in [["lock", "locked", name], ["lock", "release", name, "--token", "0b1c9a52-6c3e-4f43-9d53-2f7c1d2a8e11"],
                          ["lock", "extend", name, "--token", "0b1c9a52-6c3e-4f43-9d53-2f7c1d2a8e11"]] {
            let result = try cli(arguments)
            #expect(result.status == 4, "\(arguments): \(result)")
            #expect(result.error?.type == "WrongTypeError", "\(arguments): \(result)")
        }
        #expect(try masters.send(0, "TYPE", "redlock:" + name) == .status("hash"))
    }

    @Test func twoOfFiveMastersDeadStillAcquires() throws {
        let name = uniqueKey()
        let urls = Array(masters.urls.prefix(3)) + CLIMasters.dead.prefix(2)
        let result = try CLI.run(CLIMasters.options(urls) + ["lock", "acquire", name, "--no-wait"])
        #expect(result.status == 0, "\(result)")
        let token = try #require(result.json?.objectValue?["token"]?.stringValue)
        #expect(try masters.values("redlock:" + name, settlingOn: [token, token, token, nil, nil]) == [token, token, token, nil, nil])
        let release = try CLI.run(CLIMasters.options(urls) + ["lock", "release", name, "--token", token])
        #expect(release.status == 0, "\(release)")
        #expect(try masters.values("redlock:" + name, settlingOn: Array(repeating: nil, count: 5)).allSatisfy { $0 == nil })
    }

    // MARK: where the masters come from

    @Test func mastersFromTheEnvironmentSeparatedBySpacesAndCommas() throws {
        let name = uniqueKey()
        let urls = masters.urls
        let listed = "\(urls[0]) \(urls[1]),\(urls[2]) , \(urls[3])  ,,\(urls[4])"
        let result = try CLI.run(["lock", "acquire", name], environment: ["POTTERY_MASTERS": listed])
        #expect(result.status == 0, "\(result)")
        let token = try #require(result.json?.objectValue?["token"]?.stringValue)
        #expect(try masters.values("redlock:" + name, settlingOn: Array(repeating: token, count: 5)) == Array(repeating: token, count: 5))
        // Without --token, locked sees the same five.
        let locked = try CLI.run(["lock", "locked", name], environment: ["POTTERY_MASTERS": listed])
        #expect(locked.status == 0, "\(locked)")

        // --master wins over $POTTERY_MASTERS (here: dead masters only).
        let other = uniqueKey()
        let chosen = try CLI.run(CLIMasters.options(Array(urls.prefix(3))) + ["lock", "acquire", other],
                                 environment: ["POTTERY_MASTERS": CLIMasters.dead.joined(separator: " ")])
        #expect(chosen.status == 0, "\(chosen)")
        #expect(try masters.values("redlock:" + other).map { $0 != nil } == [true, true, true, false, false])
    }

    @Test func withoutMastersTheOneURLServerIsTheMaster() throws {
        let name = uniqueKey()
        let fromEnvironment = try CLI.run(["lock", "acquire", name], url: masters.urls[1])
        #expect(fromEnvironment.status == 0, "\(fromEnvironment)")
        let token = try #require(fromEnvironment.json?.objectValue?["token"]?.stringValue)
        #expect(try masters.values("redlock:" + name, settlingOn: [nil, token, nil, nil, nil]) == [nil, token, nil, nil, nil])

        // --url wins over $REDIS_URL.
        let other = uniqueKey()
        let fromOption = try CLI.run(["--url", masters.urls[3], "lock", "acquire", other], url: CLIMasters.dead[0])
        #expect(fromOption.status == 0, "\(fromOption)")
        let second = try #require(fromOption.json?.objectValue?["token"]?.stringValue)
        #expect(try masters.values("redlock:" + other, settlingOn: [nil, nil, nil, second, nil]) == [nil, nil, nil, second, nil])
        let release = try CLI.run(["lock", "release", other, "--token", second], url: masters.urls[3])
        #expect(release.status == 0, "\(release)")
        #expect(try masters.values("redlock:" + other, settlingOn: Array(repeating: nil, count: 5)).allSatisfy { $0 == nil })
    }

    @Test func theSameMasterTwiceIsAUsageError() throws {
        let name = uniqueKey()
        let url = masters.urls[0]
        for (arguments, environment) in [
            (CLIMasters.options([url, masters.urls[1], url]) + ["lock", "acquire", name], [String: String]()),
            (CLIMasters.options([url, String(url.dropLast(2))]) + ["nextid", name], [:]),  // without its "/0"
            (["lock", "acquire", name], ["POTTERY_MASTERS": "\(url),\(masters.urls[2]) \(url)"]),
            // The same server under another name: localhost resolves to 127.0.0.1.
            (CLIMasters.options([url, url.replacingOccurrences(of: "127.0.0.1", with: "localhost")]) + ["nextid", name], [:]),
        ] {
            let result = try CLI.run(arguments, environment: environment)
            #expect(result.status == 2, "\(arguments) \(environment): \(result)")
            #expect(result.stdout.isEmpty)
            #expect(result.error != nil, "\(result)")
        }
        #expect(try masters.values("redlock:" + name, settlingOn: Array(repeating: nil, count: 5)).allSatisfy { $0 == nil })
    }

    // MARK: release, extend, locked, status

    @Test func releaseDeletesOnEveryMasterAndASecondReleaseIsReleaseUnlockedLock() throws {
        let name = uniqueKey()
        let token = try acquire(name)
        let released = try cli(["lock", "release", name, "--token", token])
        #expect(released.status == 0, "\(released)")
        #expect(released.out == "null\n")
        #expect(try masters.values("redlock:" + name, settlingOn: Array(repeating: nil, count: 5)) == Array(repeating: nil, count: 5))

        let again = try cli(["lock", "release", name, "--token", token])
        #expect(again.status == 1, "\(again)")
        #expect(again.stdout.isEmpty)
        #expect(again.error?.type == "ReleaseUnlockedLock", "\(again)")
    }

    @Test func releaseOfAnotherHoldersLeaseChangesNothing() throws {
        let name = uniqueKey()
        let token = try acquire(name)
        let stranger = try cli(["lock", "release", name, "--token", UUID().uuidString.lowercased()])
        #expect(stranger.status == 1, "\(stranger)")
        #expect(stranger.error?.type == "ReleaseUnlockedLock")
        #expect(try masters.values("redlock:" + name, settlingOn: Array(repeating: token, count: 5)) == Array(repeating: token, count: 5))
    }

    @Test(arguments: [["release"], ["extend"], ["release", "--token", ""], ["extend", "--token", ""]])
    func aLeaseVerbWithoutATokenIsAUsageError(verb: [String]) throws {
        let name = uniqueKey()
        let token = try acquire(name)
        let result = try cli(["lock", verb[0], name] + verb.dropFirst())
        #expect(result.status == 2, "\(verb): \(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.error != nil, "\(result)")
        #expect(try masters.values("redlock:" + name, settlingOn: Array(repeating: token, count: 5)) == Array(repeating: token, count: 5))
    }

    @Test func extendResetsTheTTLToAutoRelease() throws {
        let name = uniqueKey()
        let token = try acquire(name, ["--auto-release", "2"])
        #expect(try masters.pttls("redlock:" + name).allSatisfy { $0 <= 2000 })
        let longer = try cli(["lock", "extend", name, "--token", token, "--auto-release", "20"])
        #expect(longer.status == 0, "\(longer)")
        #expect(longer.out == "null\n")
        for ttl in try masters.pttls("redlock:" + name) { #expect(ttl > 19000 && ttl <= 20000, "PTTL \(ttl)") }
        // Resets, never adds: back down to the default 10 s.
        let reset = try cli(["lock", "extend", name, "--token", token])
        #expect(reset.status == 0, "\(reset)")
        for ttl in try masters.pttls("redlock:" + name) { #expect(ttl > 9000 && ttl <= 10000, "PTTL \(ttl)") }
        #expect(try masters.values("redlock:" + name, settlingOn: Array(repeating: token, count: 5)) == Array(repeating: token, count: 5))
        // pottery's limit of 3 extensions is per object: a fourth call still works.
        for _ in 0..<2 { #expect(try cli(["lock", "extend", name, "--token", token]).status == 0) }
    }

    @Test func extendBelowOneMillisecondIsAUsageErrorAndKeepsTheLease() throws {
        let name = uniqueKey()
        let token = try acquire(name)
        let result = try cli(["lock", "extend", name, "--token", token, "--auto-release", "0.0005"])
        #expect(result.status == 2, "\(result)")
        #expect(result.error?.type == "ValueError", "\(result)")
        #expect(try masters.values("redlock:" + name, settlingOn: Array(repeating: token, count: 5)) == Array(repeating: token, count: 5))
        #expect(try masters.pttls("redlock:" + name).allSatisfy { $0 > 9000 })
    }

    @Test func extendAfterTheKeyIsGoneIsExtendUnlockedLock() throws {
        let name = uniqueKey()
        let token = try acquire(name)
        try masters.deleteEverywhere("redlock:" + name)
        let result = try cli(["lock", "extend", name, "--token", token])
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.error?.type == "ExtendUnlockedLock", "\(result)")
        // An extension never recreates a key.
        #expect(try masters.values("redlock:" + name, settlingOn: Array(repeating: nil, count: 5)) == Array(repeating: nil, count: 5))
    }

    @Test func lockedPrintsWholeMillisecondsAndExitsZeroOnlyWhenHeld() throws {
        let name = uniqueKey()
        let token = try acquire(name, ["--auto-release", "3"])
        for options in [["--token", token], []] {
            let held = try cli(["lock", "locked", name] + options)
            #expect(held.status == 0, "\(options): \(held)")
            let ms = try #require(held.json?.intValue, "an int: \(held)")
            #expect(held.out.dropLast().allSatisfy { $0.isNumber })
            #expect(ms > 2000 && ms <= 3000, "\(ms)")
        }
        let stranger = try cli(["lock", "locked", name, "--token", UUID().uuidString.lowercased()])
        #expect(stranger.status == 1 && stranger.out == "0\n", "\(stranger)")

        #expect(try cli(["lock", "release", name, "--token", token]).status == 0)
        for options in [["--token", token], []] {
            let free = try cli(["lock", "locked", name] + options)
            #expect(free.status == 1, "\(options): \(free)")
            #expect(free.out == "0\n")
            #expect(free.stderr.isEmpty)
        }
    }

    @Test func lockedWithoutATokenReportsTheMajorityHolder() throws {
        let name = uniqueKey()
        let key = "redlock:" + name
        // Three masters hold A for about 4 s, two hold B for a minute.
        for index in 0..<5 {
            let (token, ttl) = index < 3 ? ("aaaaaaaa-0000-4000-8000-000000000000", "4000")
                                         : ("bbbbbbbb-0000-4000-8000-000000000000", "60000")
            try masters.send(index, "SET", key, token, "PX", ttl)
        }
        let majority = try cli(["lock", "locked", name])
        #expect(majority.status == 0, "\(majority)")
        let ms = try #require(majority.json?.intValue)
        #expect(ms > 3000 && ms <= 4000, "the majority's time, not the minority's: \(ms)")
        let minority = try cli(["lock", "locked", name, "--token", "bbbbbbbb-0000-4000-8000-000000000000"])
        #expect(minority.status == 1 && minority.out == "0\n", "\(minority)")

        // No holder with a majority: not locked.
        try masters.send(2, "SET", key, "cccccccc-0000-4000-8000-000000000000", "PX", "60000")
        let split = try cli(["lock", "locked", name])
        #expect(split.status == 1 && split.out == "0\n", "\(split)")
        try masters.deleteEverywhere(key)
    }

    @Test func statusListsEveryMasterAndNeverTheToken() throws {
        let name = uniqueKey()
        let urls = Array(masters.urls.prefix(4)) + [CLIMasters.dead[0]]
        let acquired = try CLI.run(CLIMasters.options(urls) + ["lock", "acquire", name, "--auto-release", "5"])
        #expect(acquired.status == 0, "\(acquired)")
        let token = try #require(acquired.json?.objectValue?["token"]?.stringValue)

        let result = try CLI.run(CLIMasters.options(urls) + ["lock", "status", name])
        #expect(result.status == 0, "\(result)")
        #expect(!result.out.contains(token) && !result.err.contains(token), "the token leaked: \(result)")
        #expect(!result.out.contains(String(token.prefix(8))))
        let object = try #require(result.json?.objectValue, "\(result)")
        #expect(object["key"] == .string(name))
        #expect(object["redis_key"] == .string("redlock:" + name))
        #expect(object["held"] == .bool(true))
        #expect(object["quorum"] == .int(3))
        let left = try #require(object["locked_ms"]?.intValue)
        #expect(left > 4000 && left <= 5000, "\(left)")
        let listed = try #require(object["masters"]?.arrayValue?.compactMap { $0.objectValue })
        #expect(listed.count == 5)
        #expect(listed.map { $0["master"]?.stringValue } == urls.map { Optional($0) })
        for (index, master) in listed.enumerated() {
            #expect(Set(master.keys) == ["master", "held", "ttl_ms", "majority", "error"], "\(master)")
            if index < 4 {
                #expect(master["held"] == .bool(true) && master["majority"] == .bool(true) && master["error"] == .null)
                let ttl = try #require(master["ttl_ms"]?.intValue, "\(master)")
                #expect(ttl > 4000 && ttl <= 5000)
            } else {
                #expect(master["held"] == .bool(false) && master["majority"] == .bool(false) && master["ttl_ms"] == .null)
                let error = try #require(master["error"]?.stringValue, "a dead master has an error: \(master)")
                #expect(!error.isEmpty)
            }
        }

        // A free lock: exit 0 all the same, nothing held anywhere.
        #expect(try CLI.run(CLIMasters.options(urls) + ["lock", "release", name, "--token", token]).status == 0)
        let free = try CLI.run(CLIMasters.options(urls) + ["lock", "status", name])
        #expect(free.status == 0, "\(free)")
        let freeObject = try #require(free.json?.objectValue)
        #expect(freeObject["held"] == .bool(false) && freeObject["locked_ms"] == .int(0))
        #expect(freeObject["masters"]?.arrayValue?.allSatisfy { $0.objectValue?["held"] == .bool(false) } == true)
    }

    // MARK: Python pottery on the same keys

    @Test func aPythonLeaseExcludesTheCLIAndItsTokenWorksInTheCLI() throws {
        let name = uniqueKey()
        let python = try Python.run(masters.pythonMasters + """
            from pottery import Redlock
            lock = Redlock(key='\(name)', masters=masters, auto_release_time=10)
            print(lock.acquire(blocking=False))
            print(lock._uuid)
            """)
        #expect(python.status == 0, "\(python.stderr)")
        let lines = String(decoding: python.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.first == "True", "\(lines)")
        let token = try #require(lines.last)
        #expect(try masters.values("redlock:" + name, settlingOn: Array(repeating: token, count: 5)) == Array(repeating: token, count: 5))

        let refused = try cli(["lock", "acquire", name, "--no-wait"])
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.json?.objectValue?["acquired"] == .bool(false))
        let locked = try cli(["lock", "locked", name, "--token", token])
        #expect(locked.status == 0, "\(locked)")
        // The same lease, named by Python's token, released from the shell.
        #expect(try cli(["lock", "release", name, "--token", token]).status == 0)
        #expect(try cli(["lock", "acquire", name, "--no-wait", "--auto-release", "1"]).status == 0)
    }

    @Test func aCLILeaseExcludesPythonUntilTheCLIReleasesIt() throws {
        let name = uniqueKey()
        let token = try acquire(name)
        let script = masters.pythonMasters + """
            from pottery import Redlock, ReleaseUnlockedLock
            lock = Redlock(key='\(name)', masters=masters)
            print(lock.acquire(blocking=False))
            try:
                lock.release()
                print('released')
            except ReleaseUnlockedLock:
                print('ReleaseUnlockedLock')
            """
        let blocked = try Python.run(script)
        #expect(blocked.status == 0, "\(blocked.stderr)")
        #expect(String(decoding: blocked.stdout, as: UTF8.self) == "False\nReleaseUnlockedLock\n")
        #expect(try masters.values("redlock:" + name, settlingOn: Array(repeating: token, count: 5)) == Array(repeating: token, count: 5))

        #expect(try cli(["lock", "release", name, "--token", token]).status == 0)
        let free = try Python.run(masters.pythonMasters + """
            from pottery import Redlock
            lock = Redlock(key='\(name)', masters=masters)
            print(lock.acquire(blocking=False))
            lock.release()
            """)
        #expect(free.status == 0, "\(free.stderr)")
        #expect(String(decoding: free.stdout, as: UTF8.self) == "True\n")
    }
}

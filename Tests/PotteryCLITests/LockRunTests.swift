import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// `lock run KEY -- COMMAND...` with real masters and real processes: exit
/// statuses, the command's arguments, environment, signals and descriptors,
/// forwarded signals, the watchdog, and a lease lost while the command runs.
@Suite struct LockRunTests {
    let masters = CLIMasters.shared

    func cli(_ arguments: [String], environment: [String: String] = [:]) throws -> CLIResult {
        try CLI.run(masters.options + arguments, environment: environment)
    }

    func start(_ arguments: [String], environment: [String: String] = [:]) throws -> RunningCLI {
        try CLI.start(masters.options + arguments, environment: environment)
    }

    /// Whether the lock's key is gone from every master.
    func isFree(_ name: String) throws -> Bool {
        try masters.values("redlock:" + name, settlingOn: Array(repeating: nil, count: 5)).allSatisfy { $0 == nil }
    }

    // MARK: statuses

    @Test(arguments: [(["true"], Int32(0)), (["sh", "-c", "exit 7"], 7), (["false"], 1),
                      (["sh", "-c", "kill -TERM $$"], 143), (["sh", "-c", "kill -KILL $$"], 137)] as [([String], Int32)])
    func passesTheCommandsStatus(command: [String], status: Int32) throws {
        let name = uniqueKey()
        let result = try cli(["lock", "run", name, "--"] + command)
        #expect(result.status == status, "\(command): \(result)")
        #expect(result.stdout.isEmpty)
        #expect(try isFree(name), "released after the command ended")
    }

    @Test func aCommandThatCannotBeFoundOrRunIs127Or126() throws {
        let name = uniqueKey()
        let missing = try cli(["lock", "run", name, "--", "pottery-no-such-command-\(UUID().uuidString.prefix(6))", "a"])
        #expect(missing.status == 127, "\(missing)")
        #expect(missing.error != nil, "one JSON error on stderr: \(missing)")
        #expect(try isFree(name))

        let file = NSTemporaryDirectory() + "pottery-not-executable-\(UUID().uuidString)"
        try Data("#!/bin/sh\necho ran\n".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        let notExecutable = try cli(["lock", "run", name, "--", file])
        #expect(notExecutable.status == 126, "\(notExecutable)")
        #expect(notExecutable.stdout.isEmpty)
        #expect(notExecutable.error != nil, "\(notExecutable)")
        #expect(try isFree(name))
    }

    @Test func aHeldLockIs75OrTheConflictExitCodeAndTheCommandDoesNotRun() throws {
        let name = uniqueKey()
        let acquired = try cli(["lock", "acquire", name, "--auto-release", "20"])
        let token = try #require(acquired.json?.objectValue?["token"]?.stringValue, "\(acquired)")
        let conflict = try cli(["lock", "run", name, "--no-wait", "--", "echo", "ran"])
        #expect(conflict.status == 75, "\(conflict)")
        #expect(conflict.stdout.isEmpty, "the command ran: \(conflict)")
        let chosen = try cli(["lock", "run", name, "--conflict-exit-code", "42", "--timeout", "0.2", "--", "echo", "ran"])
        #expect(chosen.status == 42, "\(chosen)")
        #expect(chosen.stdout.isEmpty)
        #expect(chosen.elapsed >= .milliseconds(200))
        for bad in ["256", "-1", "abc"] {
            let result = try cli(["lock", "run", name, "--conflict-exit-code", bad, "--no-wait", "--", "echo", "ran"])
            #expect(result.status == 2, "\(bad): \(result)")
            #expect(result.stdout.isEmpty)
        }
        #expect(try masters.values("redlock:" + name, settlingOn: Array(repeating: token, count: 5)) == Array(repeating: token, count: 5))
    }

    @Test func withoutAQuorumOfMastersItIsThreeAndTheCommandDoesNotRun() throws {
        let name = uniqueKey()
        let urls = Array(masters.urls.prefix(2)) + CLIMasters.dead
        let result = try CLI.run(CLIMasters.options(urls) + ["lock", "run", name, "--", "echo", "ran"])
        #expect(result.status == 3, "\(result)")
        #expect(result.stdout.isEmpty, "the command ran: \(result)")
        #expect(result.error?.type == "QuorumIsImpossible", "\(result)")
        #expect(result.elapsed < .seconds(3))
        #expect(try isFree(name))
        // And without a command, or with both --timeout and --no-wait, it is a usage error.
        for arguments in [["lock", "run", name], ["lock", "run", name, "--"], ["lock", "run", name, "--timeout", "1", "--no-wait", "--", "echo", "ran"]] {
            let usage = try cli(arguments)
            #expect(usage.status == 2, "\(arguments): \(usage)")
            #expect(usage.stdout.isEmpty)
        }
    }

    @Test func aFailedReleaseKeepsTheCommandsStatusAndWarns() throws {
        let name = uniqueKey()
        // A long lease: the watchdog's first extension (after 10 s) comes after the command's end.
        let running = try start(["lock", "run", name, "--auto-release", "30", "--", "sh", "-c", "echo ready $$; read line; exit 3"])
        let group = try #require(commandGroup(running))
        defer { kill(-group, SIGKILL) }
        try masters.deleteEverywhere("redlock:" + name)
        running.write("go\n")
        let result = running.finish()
        #expect(result.status == 3, "\(result)")
        #expect(result.error?.type == "ReleaseUnlockedLock", "one JSON warning on stderr: \(result)")
    }

    // MARK: what the command gets

    @Test func everythingAfterTheDashesReachesTheCommandUnchanged() throws {
        let name = uniqueKey()
        let result = try cli(["lock", "run", name, "--", "printf", "%s|", "a", "", "--pretty", "-x", "--", "--timeout", "5", " b "])
        #expect(result.status == 0, "\(result)")
        #expect(result.out == "a||--pretty|-x|--|--timeout|5| b |")
    }

    @Test func theCommandSeesTheKeyAndTheTokenStoredOnTheMasters() throws {
        let name = uniqueKey() + ":é x"
        // Stale values in pottery-cli's own environment never reach the command.
        let running = try start(["lock", "run", name, "--", "sh", "-c",
                                 #"printf '%s\n' "$POTTERY_LOCK_KEY" "$POTTERY_LOCK_TOKEN" "${POTTERY_FENCING_TOKEN-unset}"; read line"#],
                                environment: ["POTTERY_LOCK_TOKEN": "stale", "POTTERY_FENCING_TOKEN": "999",
                                              "POTTERY_LOCK_KEY": "stale"])
        let lines = running.waitForLines(3)
        #expect(lines.count == 3, "\(lines)")
        #expect(lines.first == name)
        let token = try #require(lines.dropFirst().first)
        #expect(isLowercaseUUID4(token), "\(token)")
        #expect(lines.last == "unset")
        #expect(try masters.values("redlock:" + name, settlingOn: Array(repeating: token, count: 5)) == Array(repeating: token, count: 5))
        running.write("done\n")
        let result = running.finish()
        #expect(result.status == 0, "\(result)")
        #expect(try isFree(name))
    }

    @Test func fencingTokensReachTheCommandAndIncreaseAcrossRuns() throws {
        let name = uniqueKey()
        var fences: [Int] = []
        for _ in 0..<3 {
            let result = try cli(["lock", "run", name, "--fencing", "--", "sh", "-c", #"printf '%s' "$POTTERY_FENCING_TOKEN""#])
            #expect(result.status == 0, "\(result)")
            fences.append(try #require(Int(result.out), "\(result)"))
        }
        #expect(fences == fences.sorted() && Set(fences).count == 3, "\(fences)")
        // And a grant by lock acquire --fencing in between keeps the order.
        let acquired = try #require(try cli(["lock", "acquire", name, "--fencing"]).json?.objectValue)
        let fence = try #require(acquired["fencing_token"]?.intValue)
        #expect(fence > fences.last!)
    }

    @Test func theCommandHasDefaultSignalsAnEmptyMaskAndOnlyDescriptorsZeroToTwo() throws {
        let name = uniqueKey()
        let status = try cli(["lock", "run", name, "--", "cat", "/proc/self/status"])
        #expect(status.status == 0, "\(status)")
        func mask(_ field: String) -> UInt64? {
            status.out.split(separator: "\n").first { $0.hasPrefix(field + ":") }
                .flatMap { UInt64($0.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces), radix: 16) }
        }
        let ignored = try #require(mask("SigIgn"), "\(status.out)")
        let blocked = try #require(mask("SigBlk"))
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGUSR1, SIGTTOU] {
            #expect(ignored & (1 << UInt64(signal - 1)) == 0, "signal \(signal) ignored: \(String(ignored, radix: 16))")
        }
        #expect(blocked == 0, "blocked: \(String(blocked, radix: 16))")

        // So a pipeline ends quietly, as in a shell.
        let pipeline = try cli(["lock", "run", name, "--", "sh", "-c", "yes | head -n 1; echo done"])
        #expect(pipeline.status == 0, "\(pipeline)")
        #expect(pipeline.out == "y\ndone\n")
        #expect(pipeline.stderr.isEmpty, "\(pipeline)")

        // The Redis sockets are not inherited: ls sees 0-2 and its own directory descriptor.
        let listing = try cli(["lock", "run", name, "--", "ls", "/proc/self/fd"])
        #expect(listing.status == 0, "\(listing)")
        #expect(listing.out.split(separator: "\n") == ["0", "1", "2", "3"], "\(listing.out)")
        #expect(try isFree(name))
    }

    // MARK: signals

    @Test(arguments: [(SIGTERM, "TERM", Int32(31)), (SIGINT, "INT", 32), (SIGHUP, "HUP", 33)] as [(Int32, String, Int32)])
    func signalsSentToPotteryCLIReachTheCommand(signal: Int32, name signalName: String, code: Int32) throws {
        let name = uniqueKey()
        let script = "trap 'echo got-\(signalName); exit \(code)' \(signalName); echo ready $$; while :; do sleep 0.05; done"
        let running = try start(["lock", "run", name, "--", "sh", "-c", script])
        let group = try #require(commandGroup(running), "the command did not start")
        defer { kill(-group, SIGKILL) }
        #expect(try !isFree(name))
        running.signal(signal)
        let result = running.finish(within: .seconds(10))
        #expect(result.status == code, "\(result)")
        #expect(result.out == "ready \(group)\ngot-\(signalName)\n", "\(result)")
        #expect(try isFree(name), "released after the command ended")
    }

    // MARK: the watchdog and a lost lease

    @Test func theWatchdogKeepsAShortLeaseForALongCommand() async throws {
        let name = uniqueKey()
        let running = try start(["lock", "run", name, "--auto-release", "0.5", "--", "sh", "-c", "echo ready $$; sleep 2"])
        let group = try #require(commandGroup(running))
        defer { kill(-group, SIGKILL) }
        let (other, result) = try await offThePool {
            Thread.sleep(forTimeInterval: 1.2)  // more than twice the lease
            return (try cli(["lock", "acquire", name, "--no-wait"]), running.finish())
        }
        #expect(other.status == 1, "the lease lapsed during the command: \(other)")
        #expect(result.status == 0, "\(result)")
        #expect(result.elapsed >= .seconds(2))
        #expect(try isFree(name))
    }

    @Test func aLostLeaseStopsTheCommandsWholeTreeAndExitsFive() async throws {
        let name = uniqueKey()
        let script = "sleep 30 & echo $!; sleep 30 & echo $!; echo ready $$; wait"
        let running = try start(["lock", "run", name, "--auto-release", "0.6", "--", "sh", "-c", script])
        let group = try #require(commandGroup(running))
        defer { kill(-group, SIGKILL) }
        let grandchildren = running.lines.prefix(2).compactMap { Int32($0) }
        #expect(grandchildren.count == 2)
        for pid in grandchildren { #expect(isAlive(pid), "grandchild \(pid) should run") }

        let (result, after) = try await offThePool {
            try masters.deleteEverywhere("redlock:" + name)
            let deleted = ContinuousClock.now
            return (running.finish(within: .seconds(10)), ContinuousClock.now - deleted)
        }
        #expect(result.status == 5, "\(result)")
        #expect(after < .seconds(3), "stopped \(after) after the loss")
        #expect(result.err.contains("lost"), "\(result)")
        for pid in grandchildren { #expect(waitUntilGone(pid), "grandchild \(pid) survived the lost lease") }
        #expect(try isFree(name))
    }

    @Test func aCommandThatIgnoresSIGTERMIsKilledAfterTheGrace() async throws {
        let name = uniqueKey()
        let script = "trap '' TERM; echo ready $$; while :; do sleep 0.1; done"
        let running = try start(["lock", "run", name, "--auto-release", "0.6", "--", "sh", "-c", script])
        let group = try #require(commandGroup(running))
        defer { kill(-group, SIGKILL) }
        let (result, after) = try await offThePool {
            try masters.deleteEverywhere("redlock:" + name)
            let deleted = ContinuousClock.now
            return (running.finish(within: .seconds(15)), ContinuousClock.now - deleted)
        }
        #expect(result.status == 5, "\(result)")
        #expect(after >= .seconds(5) && after < .seconds(9), "killed \(after) after the loss")
    }

    @Test func frozenMastersStopTheCommandBeforeTheLeaseCanHaveLapsed() async throws {
        let own = try RedisMasters(3)
        defer { for index in own.servers.indices { own.thaw(index) } }
        let name = uniqueKey()
        let key = "redlock:" + name
        let script = "trap 'echo TERM; exit 9' TERM; echo ready $$; while :; do sleep 0.05; done"
        let running = try CLI.start(CLIMasters.options(own.urls) + ["lock", "run", name, "--auto-release", "1", "--", "sh", "-c", script])
        let group = try #require(commandGroup(running))
        defer { kill(-group, SIGKILL) }
        let probe = own.servers[0].connection()
        var ttl = TTLReading(ms: 0, at: .now)
        // Freeze just after the watchdog's round finished (40-100 ms after an extension), so its next one meets frozen masters.
        let clock = ContinuousClock()
        let giveUp = clock.now + .seconds(5)
        while clock.now < giveUp {
            let reading = try probe.send(RedisCommand("PTTL", key: RedisKey(key))).integer ?? -1
            ttl = TTLReading(ms: reading, at: clock.now)
            if reading >= 900 && reading <= 960 { break }
        }
        for index in own.servers.indices { own.freeze(index) }
        #expect(ttl.ms >= 900 && ttl.ms <= 960, "no fresh extension seen: PTTL \(ttl.ms)")
        // The masters set the TTL to 1000 ms at the last extension: the lease is safe until then at most.
        let lastExtension = ttl.at - .milliseconds(1000 - ttl.ms)
        let line = try await offThePool { running.waitForLine(timeout: .seconds(5)) { $0 == "TERM" } }
        let stopped = try #require(line, "the command was never stopped")
        let sinceExtension = stopped.at - lastExtension
        #expect(sinceExtension < .milliseconds(1150), "stopped \(sinceExtension) after the last extension: after the lease's end")
        #expect(sinceExtension > .milliseconds(500), "stopped \(sinceExtension) after the last extension")
        let result = try await offThePool { running.finish(within: .seconds(10)) }
        #expect(result.status == 5, "\(result)")
    }
}

/// Waits for the command's `ready PID` line and returns PID: the command's
/// process group, which the test kills at its end whatever happened.
/// A PTTL reply and when it was read.
private struct TTLReading {
    let ms: Int64
    let at: ContinuousClock.Instant
}

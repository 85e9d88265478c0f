import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// A holder that dies without releasing, and keys that are awkward in a shell.
@Suite struct LockCrashTests {
    let masters = CLIMasters.shared

    @Test func aHolderKilledWithSIGKILLLeavesALockThatExpiresThenIsFree() throws {
        let name = uniqueKey()
        let holder = try CLI.start(masters.options + ["lock", "run", name, "--auto-release", "3", "--",
                                                      "sh", "-c", "echo held; exec sleep 31.7"])
        #expect(holder.waitForLine { $0 == "held" } != nil)
        // pottery-cli dies at once: no release, no watchdog.
        holder.signal(SIGKILL)
        let killedAt = ContinuousClock.now
        let refused = try CLI.run(masters.options + ["lock", "acquire", name, "--no-wait"])
        #expect(refused.status == 1, "\(refused)")
        // The lease lapses on its TTL (3 s from the last extension), measured by Redis, not by our wall clock.
        let waited = try CLI.run(masters.options + ["lock", "acquire", name, "--timeout", "8"])
        #expect(waited.status == 0, "\(waited)")
        let elapsed = ContinuousClock.now - killedAt
        #expect(elapsed < .seconds(5), "waited \(elapsed)")
        if let token = waited.json?.objectValue?["token"]?.stringValue {
            _ = try CLI.run(masters.options + ["lock", "release", name, "--token", token])
        }
        // The orphaned command (its own process group) is not ours to keep.
        _ = try? Process.run(URL(fileURLWithPath: "/usr/bin/pkill"), arguments: ["-f", "sleep 31.7"])
        _ = holder.finish()
    }

    @Test(arguments: ["a b", "line\nbreak", "quote'\"$HOME;`x`", "100% é 🍵", "*?[]"])
    func awkwardKeysReachRedisAndTheCommandUnchanged(_ suffix: String) throws {
        let name = uniqueKey() + suffix
        let result = try CLI.run(masters.options + ["lock", "run", name, "--", "sh", "-c",
                                                    "printf '%s' \"$POTTERY_LOCK_KEY\"; redis-cli -u \"$1\" --raw exists \"redlock:$POTTERY_LOCK_KEY\" >&2",
                                                    "sh", masters.urls[0]])
        #expect(result.status == 0, "\(result)")
        #expect(result.out == name)
        #expect(result.err.trimmingCharacters(in: .whitespacesAndNewlines) == "1", "the lock key was not redlock:KEY while running")
        #expect(try masters.values("redlock:" + name, settlingOn: Array(repeating: nil, count: 5)).allSatisfy { $0 == nil }, "released afterwards")
        let ids = try CLI.run(masters.options + ["nextid", name, "--count", "2"])
        #expect(ids.out == "[1, 2]\n", "\(ids)")
        #expect(try masters.values("nextid:" + name, settlingOn: Array(repeating: "2", count: 5)).allSatisfy { $0 == "2" })
        try masters.deleteEverywhere("nextid:" + name)
    }
}

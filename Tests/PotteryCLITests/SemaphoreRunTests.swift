import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// `semaphore run KEY --limit N -- COMMAND...` with real processes: at most N
/// inside at once across PotteryKit threads and CLI processes, crashed
/// holders' permits coming back, arrival order, a lost permit, and what the
/// command gets.
@Suite struct SemaphoreRunTests {
    func cli(_ arguments: [String]) throws -> CLIResult { try CLI.run(arguments) }

    /// A log of entries into and exits from the critical section, with wall-clock nanoseconds.
    final class SectionLog: @unchecked Sendable {
        let path: String
        init() { path = NSTemporaryDirectory() + "pottery-semaphore-\(UUID().uuidString.prefix(8)).log" }
        deinit { try? FileManager.default.removeItem(atPath: path) }

        /// The section in shell: log entry, hold a little, log exit.
        var shellSection: String {
            "echo \"+ $(date +%s%N)\" >> \(path); sleep 0.05; echo \"- $(date +%s%N)\" >> \(path)"
        }

        func swiftSection() {
            append("+")
            usleep(50_000)
            append("-")
        }

        private func append(_ sign: String) {
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            let line = "\(sign) \(Int(now.tv_sec) * 1_000_000_000 + now.tv_nsec)\n"
            let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            _ = line.withCString { write(fd, $0, strlen($0)) }
            close(fd)
        }

        /// (entries, exits, the most inside at once by the logged times).
        func summary() -> (entries: Int, exits: Int, most: Int) {
            let lines = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n")
            let events = lines.compactMap { line -> (Int, Int)? in
                let parts = line.split(separator: " ")
                guard parts.count == 2, let time = Int(parts[1]) else { return nil }
                return (time, parts[0] == "+" ? 1 : -1)
            }
            // Exits before entries at the same instant: a section that ended is not inside.
            let ordered = events.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            var inside = 0
            var most = 0
            for (_, step) in ordered {
                inside += step
                most = max(most, inside)
            }
            return (events.filter { $0.1 == 1 }.count, events.filter { $0.1 == -1 }.count, most)
        }
    }

    @Test func twelveClientsOfTwoKindsNeverExceedTheLimit() throws {
        let name = uniqueKey()
        let log = SectionLog()
        let sections = 3
        var processes: [Process] = []
        for _ in 0..<6 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "for i in $(seq \(sections)); do \"$POTTERY\" --url \"$URL\" semaphore run \(name) --limit 3 -- sh -c '\(log.shellSection)' || exit $?; done"]
            process.environment = ["POTTERY": CLI.binary, "URL": RedisServer.shared.url, "PATH": "/usr/bin:/bin"]
            processes.append(process)
        }
        for process in processes { try process.run() }
        let failures = OrderLog()
        let group = DispatchGroup()
        for _ in 0..<6 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                let semaphore = RedisSemaphore(key: name, limit: 3, connection: RedisServer.shared.connection())
                for _ in 0..<sections {
                    do {
                        try semaphore.withPermit(watchdog: true) { _ in log.swiftSection() }
                    } catch {
                        failures.append(1)
                    }
                }
            }
        }
        group.wait()
        for process in processes { process.waitUntilExit() }
        #expect(failures.values.isEmpty)
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        let summary = log.summary()
        #expect(summary.entries == 12 * sections && summary.exits == 12 * sections, "every run accounted for: \(summary)")
        #expect(summary.most <= 3, "more than 3 inside at once: \(summary)")
        #expect(summary.most >= 2, "the limit admitted several at once: \(summary)")
        #expect(try RedisSemaphore(key: name, limit: 3, connection: RedisServer.shared.connection()).holders() == 0)
    }

    @Test func holdersKilledBySIGKILLFreeTheirPermitsWhenTheirLeasesEnd() throws {
        let name = uniqueKey()
        var groups: [pid_t] = []
        var holders: [RunningCLI] = []
        for _ in 0..<2 {
            let running = try CLI.start(["semaphore", "run", name, "--limit", "2", "--auto-release", "1", "--",
                                         "sh", "-c", "echo ready $$; sleep 30"])
            groups.append(try #require(commandGroup(running)))
            holders.append(running)
        }
        defer { for group in groups { kill(-group, SIGKILL) } }
        #expect(try cli(["semaphore", "acquire", name, "--limit", "2", "--no-wait"]).status == 1)
        for holder in holders { holder.signal(SIGKILL) }  // pottery-cli dies without releasing
        for group in groups { kill(-group, SIGKILL) }
        let after = try cli(["semaphore", "run", name, "--limit", "2", "--timeout", "5", "--", "echo", "ran"])
        #expect(after.status == 0 && after.out == "ran\n", "\(after)")
        #expect(after.elapsed < .seconds(4), "waited for the leases (1 s), not the timeout: \(after)")
    }

    @Test func waitersThatArriveWellApartRunInArrivalOrder() throws {
        let name = uniqueKey()
        let log = NSTemporaryDirectory() + "pottery-semaphore-order-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let held = try #require(try cli(["semaphore", "acquire", name, "--limit", "1"]).json?.objectValue?["token"]?.stringValue)
        var waiters: [RunningCLI] = []
        for index in 0..<3 {
            waiters.append(try CLI.start(["semaphore", "run", name, "--limit", "1", "--", "sh", "-c", "echo \(index) >> \(log)"]))
            let clock = ContinuousClock()
            let start = clock.now
            while clock.now - start < .seconds(5),
                  try cli(["semaphore", "status", name]).json?.objectValue?["waiters"]?.intValue ?? 0 < index + 1 {
                usleep(20_000)
            }
        }
        #expect(try cli(["semaphore", "release", name, "--token", held]).status == 0)
        for waiter in waiters { #expect(waiter.finish().status == 0) }
        let order = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n")
        #expect(order == ["0", "1", "2"])
    }

    @Test func aLostPermitStopsTheCommandAndExitsFive() async throws {
        let name = uniqueKey()
        let running = try CLI.start(["semaphore", "run", name, "--limit", "2", "--auto-release", "0.6", "--",
                                     "sh", "-c", "echo ready $$; sleep 30"])
        let group = try #require(commandGroup(running))
        defer { kill(-group, SIGKILL) }
        let result = try await offThePool {
            try RedisServer.shared.connection().send(RedisCommand("DEL", key: RedisSemaphore.redisKey(name)))
            return running.finish(within: .seconds(10))
        }
        #expect(result.status == 5, "\(result)")
        #expect(result.err.contains("lost"), "\(result)")
        #expect(waitUntilGone(group))
    }

    @Test func theCommandSeesKeyAndTokenItsStatusPassesAndAFullSemaphoreIs75() throws {
        let name = uniqueKey()
        let result = try CLI.run(["semaphore", "run", name, "--limit", "1", "--", "sh", "-c",
                                  #"printf '%s\n' "$POTTERY_SEMAPHORE_KEY" "$POTTERY_SEMAPHORE_TOKEN"; exit 9"#],
                                 environment: ["POTTERY_SEMAPHORE_TOKEN": "stale"])
        #expect(result.status == 9, "\(result)")
        let lines = result.out.split(separator: "\n").map(String.init)
        #expect(lines.first == name)
        #expect(lines.count == 2 && isLowercaseUUID4(lines[1]), "\(lines)")
        #expect(try cli(["semaphore", "acquire", name, "--limit", "1"]).status == 0)
        let full = try cli(["semaphore", "run", name, "--limit", "1", "--no-wait", "--", "echo", "ran"])
        #expect(full.status == 75 && full.stdout.isEmpty, "\(full)")
        let chosen = try cli(["semaphore", "run", name, "--limit", "1", "--timeout", "0.2", "--conflict-exit-code", "9", "--", "echo", "ran"])
        #expect(chosen.status == 9 && chosen.stdout.isEmpty, "\(chosen)")
    }
}

/// A thread-safe log of integers.
final class OrderLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Int] = []
    func append(_ value: Int) { lock.lock(); items.append(value); lock.unlock() }
    var values: [Int] { lock.lock(); defer { lock.unlock() }; return items }
}

import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// The main job, end to end: PotteryKit threads, `pottery-cli lock run`
/// processes and Python pottery `Redlock` processes take one lock on 5 real
/// masters, each doing a non-atomic read-modify-write of a counter file in
/// its critical section and checking that nobody else is inside (`mkdir` of
/// a marker directory fails when it exists).
@Suite(.serialized) struct MutualExclusionTests {
    static let sectionsPerWorker = 4
    static let workersPerKind = 3  // 3 Swift threads + 3 CLI loops + 3 Python processes = 9 clients

    /// A scratch directory with the counter, the marker and the logs.
    final class Arena: @unchecked Sendable {
        let path: String
        init() throws {
            path = NSTemporaryDirectory() + "pottery-mutex-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try "0".write(toFile: path + "/count", atomically: true, encoding: .utf8)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }

        /// The critical section in shell: detect overlap, read, pause, write, log.
        var shellSection: String {
            "mkdir \(path)/inside 2>/dev/null || echo overlap >> \(path)/overlaps; "
                + "n=$(cat \(path)/count); sleep 0.01; echo $((n+1)) > \(path)/count; "
                + "echo x >> \(path)/done; [ -z \"$POTTERY_FENCING_TOKEN\" ] || echo $POTTERY_FENCING_TOKEN >> \(path)/fences; "
                + "rmdir \(path)/inside"
        }

        /// The same in Swift.
        func swiftSection(fence: Int? = nil) {
            if mkdir(path + "/inside", 0o755) != 0 { append("overlaps", "overlap\n") }
            let n = Int((try? String(contentsOfFile: path + "/count", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? -1000
            usleep(10_000)
            try? "\(n + 1)\n".write(toFile: path + "/count", atomically: false, encoding: .utf8)
            append("done", "x\n")
            if let fence { append("fences", "\(fence)\n") }
            rmdir(path + "/inside")
        }

        private func append(_ file: String, _ text: String) {
            let fd = open(path + "/" + file, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            _ = text.withCString { write(fd, $0, strlen($0)) }
            close(fd)
        }

        var count: Int {
            Int((try? String(contentsOfFile: path + "/count", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? -1
        }
        /// The fencing tokens in the order of the critical sections.
        var fences: [Int] {
            ((try? String(contentsOfFile: path + "/fences", encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Int($0) }
        }
        func lines(_ file: String) -> Int {
            ((try? String(contentsOfFile: path + "/" + file, encoding: .utf8)) ?? "").split(separator: "\n").count
        }
    }

    /// Starts every worker; returns once all have ended. `midRun` runs after the first sections are done.
    func race(masters: RedisMasters, key: String, arena: Arena, midRun: () -> Void = {}) throws -> [String] {
        let urls = masters.urls
        let sections = Self.sectionsPerWorker
        var processes: [Process] = []
        let list = urls.map { "Redis.from_url('\($0)', socket_timeout=1)" }.joined(separator: ", ")
        let python = """
        import os, logging
        logging.disable(logging.CRITICAL)
        from redis import Redis
        from pottery import Redlock
        from pottery.exceptions import ReleaseUnlockedLock
        masters = {\(list)}
        for _ in range(\(sections)):
            try:
                with Redlock(key='\(key)', masters=masters, raise_on_redis_errors=True, auto_release_time=5):
                    os.system('''\(arena.shellSection)''')
            except ReleaseUnlockedLock:
                pass  # the lease sat on masters that were killed: the section itself ran
        """
        for _ in 0..<Self.workersPerKind {
            let cli = Process()
            cli.executableURL = URL(fileURLWithPath: "/bin/sh")
            cli.arguments = ["-c", "for i in $(seq \(sections)); do \"$POTTERY\" lock run \(key) --fencing --auto-release 5 -- sh -c '\(arena.shellSection)' || exit $?; done"]
            cli.environment = ["POTTERY": CLI.binary, "POTTERY_MASTERS": urls.joined(separator: ","), "PATH": "/usr/bin:/bin"]
            processes.append(cli)
            let py = Process()
            py.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            py.arguments = ["python3", "-c", python]
            py.standardError = FileHandle.nullDevice
            processes.append(py)
        }
        for process in processes { try process.run() }
        let failures = SwiftFailures()
        let group = DispatchGroup()
        for _ in 0..<Self.workersPerKind {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                let lock = Redlock(key: key, masters: masters.connections(ioTimeout: .seconds(1)),
                                   autoReleaseTime: .seconds(5), fencing: true)
                for _ in 0..<sections {
                    do {
                        try lock.withLock { lease in arena.swiftSection(fence: lease.fencingToken) }
                    } catch let error as PotteryError where error.code == .releaseUnlockedLock {
                        continue  // the lease sat on masters that were killed: the section itself ran
                    } catch {
                        failures.add("\(error)")
                        return
                    }
                }
            }
        }
        let started = ContinuousClock.now
        while arena.lines("done") < 4 && ContinuousClock.now - started < .seconds(30) { usleep(20_000) }
        midRun()
        group.wait()
        for process in processes { process.waitUntilExit() }
        return failures.list + processes.compactMap { $0.terminationStatus == 0 ? nil : "status \($0.terminationStatus)" }
    }

    @Test func nineClientsOfThreeKindsNeverOverlapAndLoseNoUpdate() throws {
        let masters = try RedisMasters(5)
        let arena = try Arena()
        let failures = try race(masters: masters, key: "mutex-\(UUID().uuidString.prefix(6))", arena: arena)
        #expect(failures.isEmpty, "\(failures)")
        #expect(arena.lines("overlaps") == 0, "two clients were inside at once")
        #expect(arena.count == 3 * Self.workersPerKind * Self.sectionsPerWorker)
        #expect(arena.lines("done") == arena.count)
        // Swift and CLI grants drew fencing tokens (Python's do not): strictly increasing in grant order.
        let fences = arena.fences
        #expect(fences.count == 2 * Self.workersPerKind * Self.sectionsPerWorker)
        #expect(zip(fences, fences.dropFirst()).allSatisfy { $0 < $1 }, "fencing tokens out of order: \(fences)")
    }

    @Test func twoOfFiveMastersKilledMidRunAndProgressContinues() throws {
        let masters = try RedisMasters(5)
        let arena = try Arena()
        let failures = try race(masters: masters, key: "mutex-2down", arena: arena) {
            masters.servers[0].kill()
            masters.servers[3].kill()
        }
        #expect(failures.isEmpty, "\(failures)")
        #expect(arena.lines("overlaps") == 0)
        #expect(arena.count == 3 * Self.workersPerKind * Self.sectionsPerWorker)
    }

    @Test func threeOfFiveMastersKilledFailFastWithoutOverlap() throws {
        let masters = try RedisMasters(5)
        let arena = try Arena()
        let started = ContinuousClock.now
        let failures = try race(masters: masters, key: "mutex-3down", arena: arena) {
            for index in [0, 2, 4] { masters.servers[index].kill() }
        }
        #expect(ContinuousClock.now - started < .seconds(30), "clients kept spinning without a quorum")
        #expect(!failures.isEmpty, "every client finished although no quorum was left")
        // Swift: QuorumIsImpossible, or ReleaseUnlockedLock for a lease whose masters died under it;
        // the CLI: exit 3; Python: an uncaught QuorumIsImpossible (exit 1).
        #expect(failures.allSatisfy {
            $0.contains("QuorumIsImpossible") || $0.contains("ReleaseUnlockedLock") || $0 == "status 3" || $0 == "status 1"
        }, "\(failures)")
        #expect(arena.lines("overlaps") == 0)
        #expect(arena.lines("done") == arena.count, "an update was lost")
    }
}

/// Errors from the Swift worker threads.
final class SwiftFailures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ item: String) { lock.lock(); items.append(item); lock.unlock() }
    var list: [String] { lock.lock(); defer { lock.unlock() }; return items }
}

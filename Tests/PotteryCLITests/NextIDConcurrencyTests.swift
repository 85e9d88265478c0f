import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// NextID across kinds of clients: PotteryKit threads, `pottery-cli nextid`
/// loops and Python pottery processes draw from one sequence on 5 masters
/// while masters are killed and restarted (with their data: AOF, fsync always,
/// the deployment NextID needs). No ID is handed out twice; no client's IDs
/// go backwards.
@Suite(.serialized) struct NextIDConcurrencyTests {
    @Test func threeKindsOfClientsNeverShareAnIDWhileMastersRestart() throws {
        let masters = try RedisMasters(5, config: ["appendonly yes", "appendfsync always"])
        let key = "ids-\(UUID().uuidString.prefix(6))"
        let directory = NSTemporaryDirectory() + "pottery-nextid-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let list = masters.urls.map { "Redis.from_url('\($0)', socket_timeout=1)" }.joined(separator: ", ")
        var processes: [Process] = []
        for worker in 0..<2 {
            let cli = Process()
            cli.executableURL = URL(fileURLWithPath: "/bin/sh")
            cli.arguments = ["-c", "for i in $(seq 40); do \"$POTTERY\" nextid \(key) >> \(directory)/cli\(worker); done"]
            cli.environment = ["POTTERY": CLI.binary, "POTTERY_MASTERS": masters.urls.joined(separator: " "), "PATH": "/usr/bin:/bin"]
            let python = Process()
            python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            python.arguments = ["python3", "-c", """
            import logging
            logging.disable(logging.CRITICAL)
            from redis import Redis
            from pottery import NextID
            from pottery.exceptions import PotteryError, PrimitiveError
            ids = NextID(key='\(key)', masters={\(list)})
            with open('\(directory)/python\(worker)', 'w') as out:
                for _ in range(60):
                    try:
                        out.write(f'{next(ids)}\\n'); out.flush()
                    except Exception:
                        pass
            """]
            processes += [cli, python]
        }
        for process in processes { try process.run() }
        let drawn = Drawn()
        let group = DispatchGroup()
        for _ in 0..<2 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                let ids = NextID(key: key, masters: masters.connections(ioTimeout: .seconds(1)))
                var mine: [Int] = []
                for _ in 0..<150 {
                    if let id = try? ids.next() { mine.append(id) }
                    usleep(500)
                }
                drawn.add(mine)
            }
        }
        usleep(150_000)
        try masters.restart(0)
        usleep(150_000)
        try masters.restart(3)
        group.wait()
        for process in processes { process.waitUntilExit() }

        var clients = drawn.lists
        for name in ["cli0", "cli1", "python0", "python1"] {
            let text = (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? ""
            clients.append(text.split(separator: "\n").compactMap { Int($0) })
        }
        for (index, ids) in clients.enumerated() {
            #expect(!ids.isEmpty, "client \(index) drew nothing")
            #expect(zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 }, "client \(index)'s IDs went backwards")
        }
        let all = clients.flatMap { $0 }
        #expect(Set(all).count == all.count, "an ID was handed out twice")
        #expect(all.count > 350, "too many draws failed: \(all.count) of 500")
    }
}

/// The IDs each Swift thread drew.
final class Drawn: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [[Int]] = []
    func add(_ ids: [Int]) { lock.lock(); items.append(ids); lock.unlock() }
    var lists: [[Int]] { lock.lock(); defer { lock.unlock() }; return items }
}

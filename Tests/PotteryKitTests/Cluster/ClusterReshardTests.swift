import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// `redis-cli --cluster reshard` moving slots (and their keys) between masters
/// while threads read and write through one client: every call succeeds and
/// no write is lost. Part of ``ClusterTopologyTests`` (serialized, its own cluster).
extension ClusterTopologyTests {
    @Test func concurrentReadsAndWritesAllSucceedDuringAReshard() throws {
        let connection = cluster.connection()
        let prefix = ClusterCheck.prefix("reshard")
        let keyCount = 200
        // Keys in many slots, so some of them are moved.
        for index in 0..<keyCount {
            try RedisCounter<String>(connection, key: RedisKey("\(prefix)\(index)")).update(["n"])
        }
        let masters = try cluster.masters()
        let (from, to) = (masters[0], masters[1])
        let stop = ReshardFlag()
        let failures = ReshardFailures()
        let counts = (0..<4).map { _ in ReshardCounted() }
        let threads = (0..<4).map { worker in
            Thread {
                var index = worker
                while !stop.isSet {
                    let counter = RedisCounter<String>(connection, key: RedisKey("\(prefix)\(index % keyCount)"))
                    do {
                        try counter.update(["n"])
                        counts[worker].add(index % keyCount)
                        _ = try counter.count(of: "n")
                    } catch {
                        failures.add("\(error)")
                    }
                    index += 4
                }
                counts[worker].done.set()
            }
        }
        for thread in threads { thread.start() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-cli")
        process.arguments = ["--cluster", "reshard", "127.0.0.1:\(from.port)", "--cluster-from", try cluster.id(of: from),
                             "--cluster-to", try cluster.id(of: to), "--cluster-slots", "600", "--cluster-yes",
                             "--cluster-pipeline", "5"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        stop.set()
        for count in counts { count.done.wait() }
        try cluster.waitUntilHealthy()
        #expect(failures.all.isEmpty, "\(failures.all.prefix(5))")
        // No write lost: each key holds 1 + the updates made to it.
        var expected = [Int](repeating: 1, count: keyCount)
        for count in counts { for (key, n) in count.all { expected[key] += n } }
        #expect(counts.map { $0.all.values.reduce(0, +) }.reduce(0, +) > 0)
        for index in 0..<keyCount {
            #expect(try RedisCounter<String>(connection, key: RedisKey("\(prefix)\(index)")).count(of: "n") == expected[index])
        }
    }
}

/// A flag threads can set and wait for.
final class ReshardFlag: @unchecked Sendable {
    private let condition = NSCondition()
    private var value = false
    var isSet: Bool { condition.lock(); defer { condition.unlock() }; return value }
    func set() { condition.lock(); value = true; condition.broadcast(); condition.unlock() }
    func wait() { condition.lock(); while !value { condition.wait() }; condition.unlock() }
}

/// Errors collected from threads.
final class ReshardFailures: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [String] = []
    var all: [String] { lock.withLock { errors } }
    func add(_ error: String) { lock.withLock { errors.append(error) } }
}

/// Updates one thread made, by key.
final class ReshardCounted: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [Int: Int] = [:]
    let done = ReshardFlag()
    var all: [Int: Int] { lock.withLock { counts } }
    func add(_ key: Int) { lock.withLock { counts[key, default: 0] += 1 } }
}

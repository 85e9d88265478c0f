import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// A server that refuses writes: out of memory under `noeviction`, or a
/// read-only replica. Every write verb exits 3 with the server's reason, and
/// nothing is left half-written.
@Suite struct ServerRefusalTests {
    /// One write verb per structure, each on a key planted with data first.
    private static let writes: [(plant: [String], write: [String])] = [
        (["dict", "update", "D", "a", "1"], ["dict", "update", "D", "b", "2", "c", "3"]),
        (["set", "add", "S", "a"], ["set", "add", "S", "b", "c"]),
        (["list", "extend", "L", "a"], ["list", "extend", "L", "b", "c"]),
        (["deque", "extend", "Q", "a"], ["deque", "extendleft", "Q", "b", "c"]),
        (["counter", "update", "C", "a"], ["counter", "update", "C", "a", "b"]),
        (["queue", "put", "U", "a"], ["queue", "put", "U", "b", "c"]),
        (["bloom", "add", "B", "a", "--num-elements", "100", "--false-positives", "0.01"],
         ["bloom", "add", "B", "b", "c", "--num-elements", "100", "--false-positives", "0.01"]),
        (["hll", "add", "H", "a"], ["hll", "add", "H", "b", "c"]),
        (["lock", "acquire", "K", "--auto-release", "600"], ["lock", "acquire", "K2", "--no-wait"]),
        (["nextid", "N"], ["nextid", "N"]),
    ]

    /// Every key of the server's database 0 with its `DUMP`, sorted.
    private static func snapshot(_ connection: RedisConnection) throws -> [String] {
        var all = RedisCommand("KEYS")
        all.append("*")
        var result: [String] = []
        for key in try connection.send(all).array ?? [] {
            let name = RedisKey(bytes: key.bytes ?? [])
            let dump = try connection.send(RedisCommand("DUMP", key: name)).bytes ?? []
            result.append("\(name) \(dump)")
        }
        return result.sorted()
    }

    /// Runs every planting verb against `url`, each on keys with `prefix`.
    private static func plant(_ prefix: String, url: String) throws -> [[String]] {
        var writes: [[String]] = []
        for (plant, write) in Self.writes {
            let planted = try CLI.run(plant.map { $0.count <= 2 && $0.first!.isUppercase ? prefix + $0 : $0 }, url: url)
            #expect(planted.status == 0, "\(plant): \(planted)")
            writes.append(write.map { $0.count <= 2 && $0.first!.isUppercase ? prefix + $0 : $0 })
        }
        return writes
    }

    private static func command(_ words: String...) -> RedisCommand {
        var command = RedisCommand(words[0])
        for word in words.dropFirst() { command.append(word) }
        return command
    }

    @Test func outOfMemoryUnderNoevictionRefusesEveryWriteWithExitThreeAndChangesNothing() throws {
        let server = try RedisServer(config: ["maxmemory-policy noeviction"])
        let raw = server.connection()
        let writes = try Self.plant("oom:", url: server.url)
        let before = try Self.snapshot(raw)
        try raw.send(Self.command("CONFIG", "SET", "maxmemory", "1"))

        for write in writes {
            let refused = try CLI.run(write, url: server.url)
            #expect(refused.status == 3, "\(write): \(refused)")
            #expect(refused.error?.message.contains("OOM") == true, "\(write): \(refused)")
        }
        try raw.send(Self.command("CONFIG", "SET", "maxmemory", "0"))
        #expect(try Self.snapshot(raw) == before)

        // The same verbs work once memory is there again.
        for write in writes {
            let accepted = try CLI.run(write, url: server.url)
            #expect(accepted.status == 0, "\(write): \(accepted)")
        }
    }

    @Test func outOfMemoryIsAResponseErrorInTheLibrary() throws {
        let server = try RedisServer(config: ["maxmemory-policy noeviction"])
        let connection = server.connection()
        let dict = RedisDict<String, Int>(connection, key: "oom-library")
        try dict.update(["a": 1])
        try connection.send(Self.command("CONFIG", "SET", "maxmemory", "1"))
        let error = #expect(throws: PotteryError.self) { try dict.update(["b": 2]) }
        #expect(error?.code == .responseError)
        #expect(error?.code.category == .server)
        #expect(error?.message.contains("OOM") == true, "\(String(describing: error))")
        try connection.send(Self.command("CONFIG", "SET", "maxmemory", "0"))
        #expect(try dict.count() == 1)
    }

    @Test func aReadOnlyReplicaRefusesWritesWithREADONLYAndExitThreeAndStillServesReads() throws {
        let primary = try RedisServer()
        let replica = try RedisServer(config: ["replicaof 127.0.0.1 \(primary.port)"])
        let writes = try Self.plant("ro:", url: primary.url)
        let raw = replica.connection()
        // Replicated once the replica holds the planted keys.
        let primaryKeys = try Self.snapshot(primary.connection()).count
        let end = ContinuousClock.now + .seconds(60)
        while try Self.snapshot(raw).count < primaryKeys && ContinuousClock.now < end { usleep(20_000) }
        let before = try Self.snapshot(raw)
        #expect(before.count == primaryKeys)

        for write in writes {
            let refused = try CLI.run(write, url: replica.url)
            #expect(refused.status == 3, "\(write): \(refused)")
            #expect(refused.error?.message.contains("READONLY") == true, "\(write): \(refused)")
        }
        let read = try CLI.run(["dict", "get", "ro:D", "a"], url: replica.url)
        #expect(read.status == 0 && read.out == "1\n", "\(read)")
        #expect(try Self.snapshot(raw) == before)

        let error = #expect(throws: PotteryError.self) {
            try RedisDict<String, Int>(raw, key: "ro:D").update(["z": 1])
        }
        #expect(error?.code == .responseError)
        #expect(error?.message.contains("READONLY") == true, "\(String(describing: error))")
    }
}

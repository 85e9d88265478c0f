import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// `cache run | len | clear` with real processes: a command runs once per
/// entry, across processes and concurrently; what is stored and what is not.
@Suite struct CacheRunTests {
    let redis = RedisServer.shared.connection()

    /// A file that counts how often a command ran.
    final class RunCounter: @unchecked Sendable {
        let path = NSTemporaryDirectory() + "pottery-cache-runs-\(UUID().uuidString.prefix(8))"
        deinit { try? FileManager.default.removeItem(atPath: path) }
        var count: Int { ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").count }
        /// A shell command that records a run, prints `output` and stdin, exits with `status`.
        func command(_ output: String, status: Int = 0, pause: Double = 0) -> [String] {
            ["sh", "-c", "echo run >> \(path); sleep \(pause); printf '%s\\n' '\(output)'; cat; exit \(status)"]
        }
    }

    func run(_ key: String, _ command: [String], options: [String] = [], stdin: String = "",
             environment: [String: String] = [:]) throws -> CLIResult {
        try CLI.run(["cache", "run", key] + options + ["--"] + command, stdin: Array(stdin.utf8), environment: environment)
    }

    @Test func aSecondRunPrintsTheStoredOutputAndStatusWithoutRunning() throws {
        let key = uniqueKey()
        let runs = RunCounter()
        let first = try run(key, runs.command("report", status: 3), stdin: "input\n")
        #expect(first.status == 3 && first.out == "report\ninput\n", "\(first)")
        let second = try run(key, runs.command("report", status: 3), stdin: "input\n")
        #expect(second.status == 3 && second.out == "report\ninput\n", "\(second)")
        #expect(runs.count == 1)
        #expect(try CLI.run(["cache", "len", key]).out == "1\n")
        // Another stdin, other arguments: other entries.
        #expect(try run(key, runs.command("report", status: 3), stdin: "other\n").out == "report\nother\n")
        #expect(try run(key, runs.command("report 2")).out == "report 2\n")
        #expect(runs.count == 3)
        // The entry is readable: the field names the arguments and the stdin digest.
        let fields = try RawRedis.rawHashFields(RedisKey(key))
        #expect(fields.contains { $0.hasPrefix(#"{"argv": ["sh", "-c", "echo run >> "#) && $0.contains(#""stdin_sha1": ""#) })
        #expect(try CLI.run(["cache", "clear", key]).status == 0)
        #expect(try CLI.run(["cache", "len", key]).out == "0\n")
        _ = try run(key, runs.command("report", status: 3), stdin: "input\n")
        #expect(runs.count == 4)
    }

    @Test func namedEnvironmentVariablesArePartOfTheEntry() throws {
        let key = uniqueKey()
        let runs = RunCounter()
        let command = ["sh", "-c", "echo run >> \(runs.path); echo $REGION"]
        #expect(try run(key, command, options: ["--env", "REGION"], environment: ["REGION": "eu"]).out == "eu\n")
        #expect(try run(key, command, options: ["--env", "REGION"], environment: ["REGION": "us"]).out == "us\n")
        #expect(try run(key, command, options: ["--env", "REGION"], environment: ["REGION": "eu"]).out == "eu\n")
        #expect(runs.count == 2)
        for bad in ["", "A=B", "A,,B"] {
            #expect(try run(key, command, options: ["--env", bad]).status == 2, "--env \(bad)")
        }
    }

    @Test func concurrentRunsOfOneCommandRunItOnce() async throws {
        let key = uniqueKey()
        let runs = RunCounter()
        let command = runs.command("slow", pause: 0.5)
        let results = try await withThrowingTaskGroup(of: CLIResult.self) { group in
            for _ in 0..<3 { group.addTask { try await offThePool { try run(key, command) } } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0.status == 0 && $0.out == "slow\n" }, "\(results)")
        #expect(runs.count == 1)
        // A waiter that gives up is 75 and does not run the command.
        // The first run holds on until the impatient one has been refused (a gate file), however slow the machine.
        let gate = runs.path + ".gate"
        defer { try? FileManager.default.removeItem(atPath: gate) }
        let other = ["sh", "-c", "echo run >> \(runs.path); while [ ! -e \(gate) ]; do sleep 0.02; done; echo 'slow too'"]
        let running = try CLI.start(["cache", "run", key, "--"] + other)
        running.closeInput()  // cache run reads stdin to its end: it is part of the entry's key
        let clock = ContinuousClock()
        let start = clock.now
        while runs.count < 2 && clock.now - start < .seconds(10) { try await Task.sleep(for: .milliseconds(20)) }
        let impatient = try run(key, other, options: ["--no-wait"])
        #expect(impatient.status == 75 && impatient.stdout.isEmpty, "\(impatient)")
        _ = FileManager.default.createFile(atPath: gate, contents: Data())
        #expect(running.finish().status == 0)
        #expect(runs.count == 2)
    }

    @Test func outputThatIsNotUTF8RoundTrips() throws {
        let key = uniqueKey()
        let command = ["printf", #"\377\376\000ok"#]
        let first = try run(key, command)
        #expect(first.stdout == [0xFF, 0xFE, 0, 0x6F, 0x6B], "\(first)")
        #expect(try run(key, command).stdout == first.stdout)
        #expect(try RawRedis.rawHashValues(RedisKey(key)).first?.contains("stdout_base64") == true)
    }

    @Test func killedOrUnrunnableCommandsStoreNothing() throws {
        let key = uniqueKey()
        let runs = RunCounter()
        let killed = ["sh", "-c", "echo run >> \(runs.path); kill -KILL $$"]
        #expect(try run(key, killed).status == 137)
        #expect(try run(key, killed).status == 137)
        #expect(runs.count == 2)
        let missing = try run(key, ["pottery-no-such-command-\(UUID().uuidString.prefix(6))"])
        #expect(missing.status == 127, "\(missing)")
        #expect(try CLI.run(["cache", "len", key]).out == "0\n")
    }

    @Test func ttlSetsTheWholeCachesExpiry() throws {
        let key = uniqueKey()
        _ = try run(key, ["echo", "a"], options: ["--ttl", "30"])
        let ttl = try redis.send(RedisCommand("PTTL", key: RedisKey(key))).integer ?? 0
        #expect(ttl > 29_000 && ttl <= 30_000)
        let forever = uniqueKey()
        _ = try run(forever, ["echo", "a"], options: ["--ttl", "0"])
        #expect(try redis.send(RedisCommand("PTTL", key: RedisKey(forever))) == .integer(-1))
        // --ttl 0 on a cache that expires makes it keep for ever, on a hit as on a store.
        #expect(try run(key, ["echo", "a"], options: ["--ttl", "0"]).out == "a\n")
        #expect(try redis.send(RedisCommand("PTTL", key: RedisKey(key))) == .integer(-1))
        _ = try run(key, ["echo", "a"])
        #expect((try redis.send(RedisCommand("PTTL", key: RedisKey(key))).integer ?? 0) > 59_000)
        _ = try run(key, ["echo", "b"], options: ["--ttl", "0"])
        #expect(try redis.send(RedisCommand("PTTL", key: RedisKey(key))) == .integer(-1))
        for bad in ["-1", "x", "nan"] {
            #expect(try run(key, ["echo", "a"], options: ["--ttl", bad]).status == 2, "--ttl \(bad)")
        }
    }

    @Test func aKeyOfAnotherTypeOrAnEntryOfAnotherShapeIsExitFour() throws {
        let key = uniqueKey()
        var push = RedisCommand("LPUSH", key: RedisKey(key))
        push.append("x")
        try redis.send(push)
        let runs = RunCounter()
        let wrong = try run(key, runs.command("never"))
        #expect(wrong.status == 4 && wrong.error?.type == "WrongTypeError", "\(wrong)")
        #expect(runs.count == 0)
        #expect(try CLI.run(["cache", "clear", key]).status == 4)
        #expect(try redis.send(RedisCommand("LLEN", key: RedisKey(key))) == .integer(1))

        // An entry that is not a {"status", "stdout"} object (written by hand, or by Python).
        let other = uniqueKey()
        let cache = RedisCache(redis, key: RedisKey(other))
        let field: JSONValue = .object(["argv": .array([.string("echo"), .string("hi")]), "stdin_sha1": .string(SHA1.hexDigest([]))])
        try cache.store(.string("not a result"), forField: field)
        let shaped = try run(other, ["echo", "hi"])
        #expect(shaped.status == 4 && shaped.stdout.isEmpty, "\(shaped)")
    }
}

extension RawRedis {
    /// The fields of the hash at `key`, as text.
    static func rawHashFields(_ key: RedisKey) throws -> [String] {
        let flat = try RedisServer.shared.connection().send(RedisCommand("HKEYS", key: key)).array ?? []
        return flat.compactMap { $0.bytes.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// The values of the hash at `key`, as text.
    static func rawHashValues(_ key: RedisKey) throws -> [String] {
        let flat = try RedisServer.shared.connection().send(RedisCommand("HVALS", key: key)).array ?? []
        return flat.compactMap { $0.bytes.map { String(decoding: $0, as: UTF8.self) } }
    }
}

/// Raw Redis reads for the CLI tests.
enum RawRedis {}

import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// Consumers stopped while they wait, and consumers of every kind (PotteryKit
/// threads, pottery-cli processes, Python pottery) racing for one queue.
@Suite struct QueueConsumerTests {
    /// Waits until `count` clients are blocked (in XREAD) on `server`.
    static func waitForBlockedClients(_ count: Int, on server: RedisServer) throws -> Bool {
        let connection = server.connection()
        for _ in 0..<500 {
            let info = String(decoding: try connection.send(RedisCommand("INFO", key: "clients")).bytes ?? [], as: UTF8.self)
            if info.contains("blocked_clients:\(count)\r") { return true }
            usleep(10_000)
        }
        return false
    }

    /// Runs `sh -c script arguments...` with `REDIS_URL` = `url`; its stdout and status.
    static func shell(_ script: String, _ arguments: [String], url: String) -> (out: String, status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["REDIS_URL"] = url
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return ("", -1) }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: data, as: UTF8.self), process.terminationStatus)
    }

    @Test func aSignalWhileWaitingEndsTheGetAtOnceAndTakesNothing() throws {
        let server = try RedisServer()
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            let key = uniqueKey()
            let consumer = try CLI.start(["queue", "get", key], url: server.url)
            #expect(try Self.waitForBlockedClients(1, on: server))
            consumer.signal(signal)
            let result = consumer.finish(within: .seconds(5))
            #expect(result.status == 128 + signal && result.stdout.isEmpty, "\(signal): \(result)")
            let queue = RedisSimpleQueue<String>(server.connection(), key: RedisKey(key))
            try queue.put("still here")
            #expect(try queue.qsize() == 1)
            #expect(try Self.waitForBlockedClients(0, on: server))
        }
    }

    /// An element put just as a signal arrives is either printed (then the
    /// signal acts) or still in the queue: never lost, never both.
    @Test func anElementRacingASignalIsEitherPrintedOrStillQueued() throws {
        let server = try RedisServer()
        let producer = server.connection()
        for round in 0..<12 {
            let key = uniqueKey()
            let consumer = try CLI.start(["queue", "get", key], url: server.url)
            #expect(try Self.waitForBlockedClients(1, on: server))
            try RedisSimpleQueue<Int>(producer, key: RedisKey(key)).put(round)
            usleep(UInt32(round % 4) * 400)
            consumer.signal(round % 2 == 0 ? SIGTERM : SIGINT)
            let result = consumer.finish(within: .seconds(5))
            #expect(result.status != -1, "not ended by the signal: \(result)")
            let left = try RedisSimpleQueue<Int>(producer, key: RedisKey(key)).qsize()
            if result.stdout.isEmpty {
                #expect(left == 1, "round \(round): neither printed nor queued: \(result)")
            } else {
                #expect(result.json == .int(round) && left == 0, "round \(round): \(result), \(left) left")
            }
            #expect(try Self.waitForBlockedClients(0, on: server))
        }
    }

    /// The server holds the consumer's claim (`CLIENT PAUSE ... WRITE` delays
    /// its `XDEL`) while SIGTERM arrives: the element is printed, then the
    /// signal ends the process.
    @Test func aSignalDuringTheClaimActsOnlyOnceTheElementIsPrinted() throws {
        let server = try RedisServer()
        let key = uniqueKey()
        let consumer = try CLI.start(["queue", "get", key], url: server.url)
        #expect(try Self.waitForBlockedClients(1, on: server))
        let producer = server.connection()
        var xadd = RedisCommand("XADD", key: RedisKey(key))
        for word in ["*", "item", "{\"job\": 7}"] { xadd.append(word) }
        var pause = RedisCommand("CLIENT")
        for word in ["PAUSE", "1000", "WRITE"] { pause.append(word) }
        for reply in try producer.pipeline([xadd, pause]) { _ = try reply.get() }
        var claiming = false
        for _ in 0..<300 where !claiming {
            var list = RedisCommand("CLIENT")
            list.append("LIST")
            let text = Raw.text(try producer.send(list))
            claiming = text.split(separator: "\n").contains { $0.contains("cmd=xdel") && $0.contains("flags=b") }
            if !claiming { usleep(3_000) }
        }
        #expect(claiming, "the consumer's XDEL was not seen waiting")
        consumer.signal(SIGTERM)
        let result = consumer.finish(within: .seconds(10))
        #expect(result.status == 128 + SIGTERM && result.json == ["job": 7], "\(result)")
        #expect(try RedisSimpleQueue<JSONValue>(producer, key: RedisKey(key)).qsize() == 0)
    }

    @Test func aTimeoutOfTheShellEndsAWaitAndTakesNothing() throws {
        let key = uniqueKey()
        let timed = try CLI.run(["queue", "get", key, "--timeout", "0.2"])
        #expect(timed.status == 1 && timed.error?.type == "QueueEmptyError", "\(timed)")
        #expect(try Raw.type(key) == "none")
    }

    /// Producers (PotteryKit, pottery-cli from stdin, Python pottery) and
    /// consumers (PotteryKit threads, pottery-cli processes in shell loops,
    /// Python pottery) on one queue: every element is received exactly once.
    @Test func consumersOfEveryKindReceiveEachElementExactlyOnce() throws {
        let server = RedisServer.shared
        let key = uniqueKey()
        let perProducer = 250
        let group = DispatchGroup()
        let results = Collector()

        // Consumers first: each waits up to 10 s for its first element, then
        // stops after 2 s without one.
        for _ in 0..<2 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                let queue = RedisSimpleQueue<Int>(server.connection(), key: RedisKey(key))
                var mine: [Int] = []
                while true {
                    do throws(PotteryError) {
                        mine.append(try queue.get(timeout: .seconds(mine.isEmpty ? 10 : 2)))
                        usleep(5_000)  // some work per element, so the slower consumers get their share
                    } catch {
                        if error.code != .queueEmpty { results.fail("swift consumer: \(error)") }
                        break
                    }
                }
                results.add(mine.map(JSONValue.int), from: "swift")
            }
        }
        for index in 0..<2 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                // One process per element, until one waits in vain (exit 1).
                let loop = Self.shell("""
                    t=10
                    while :; do "$0" queue get "$1" --timeout $t; s=$?; [ $s -eq 0 ] || break; t=2; done
                    [ $s -eq 1 ]
                    """, [CLI.binary, key], url: server.url)
                if loop.status != 0 { results.fail("cli consumer \(index): status \(loop.status)") }
                let values = loop.out.split(separator: "\n").map { (try? PotteryJSON.decode(Array($0.utf8))) ?? "bad line" }
                results.add(values, from: "cli")
            }
        }
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            let python = try? Python.run("""
                import json
                from redis import Redis
                from pottery import RedisSimpleQueue, QueueEmptyError
                q = RedisSimpleQueue(redis=Redis.from_url('\(server.url)', socket_timeout=5), key='\(key)')
                got = []
                q.redis.set('\(key):python-ready', 1)
                while True:
                    try:
                        got.append(q.get(timeout=2 if got else 10))
                    except QueueEmptyError:
                        break
                print(json.dumps(got))
                """)
            guard let python, python.status == 0, let values = try? PotteryJSON.decode(python.stdout.dropLast()).arrayValue else {
                results.fail("python consumer: \(String(describing: python))")
                return
            }
            results.add(values, from: "python")
        }

        // Producers, once Python (the slowest to start) waits too.
        for _ in 0..<600 where try Raw.send("EXISTS", key + ":python-ready") != .integer(1) { usleep(50_000) }
        Thread.sleep(forTimeInterval: 0.3)
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            let queue = RedisSimpleQueue<Int>(server.connection(), key: RedisKey(key))
            for start in stride(from: 0, to: perProducer, by: 25) {
                do throws(PotteryError) {
                    try queue.put(contentsOf: Array(start..<start + 25))
                } catch {
                    results.fail("swift producer: \(error)")
                }
                usleep(20_000)
            }
        }
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            let lines = (perProducer..<2 * perProducer).map(String.init).joined(separator: "\n")
            let put = try? CLI.run(["queue", "put", key, "-"], stdin: lines)
            if put?.status != 0 { results.fail("cli producer: \(String(describing: put))") }
        }
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            let python = try? Python.run("""
                from redis import Redis
                from pottery import RedisSimpleQueue
                q = RedisSimpleQueue(redis=Redis.from_url('\(server.url)'), key='\(key)')
                for i in range(\(2 * perProducer), \(3 * perProducer)):
                    q.put(i)
                """)
            if python?.status != 0 { results.fail("python producer: \(String(describing: python))") }
        }

        #expect(group.wait(timeout: .now() + 120) == .success)
        #expect(results.failures.isEmpty, "\(results.failures)")
        let all = results.values
        #expect(all.count == 3 * perProducer, "\(all.count) received")
        #expect(Set(all) == Set((0..<3 * perProducer).map(JSONValue.int)))
        #expect(try RedisSimpleQueue<Int>(server.connection(), key: RedisKey(key)).qsize() == 0)
        // Every kind of consumer took part.
        #expect(results.kinds == ["swift", "cli", "python"], "\(results.counts)")
        try Raw.send("DEL", key, key + ":python-ready")
    }
}

/// What the consumers received, from several threads.
private final class Collector: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [JSONValue] = []
    private var byKind: [String: Int] = [:]
    private var errors: [String] = []

    func add(_ values: [JSONValue], from kind: String) {
        lock.withLock {
            received += values
            byKind[kind, default: 0] += values.count
        }
    }

    func fail(_ message: String) { lock.withLock { errors.append(message) } }

    var values: [JSONValue] { lock.withLock { received } }
    var failures: [String] { lock.withLock { errors } }
    var counts: [String: Int] { lock.withLock { byKind } }
    var kinds: Set<String> { lock.withLock { Set(byKind.filter { $0.value > 0 }.keys) } }
}

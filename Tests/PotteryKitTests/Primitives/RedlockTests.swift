import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// Redlock over 5 real masters: the algorithm, its errors, pottery's bytes.
@Suite(.serialized) struct RedlockTests {
    let masters: RedisMasters
    init() throws { masters = try RedisMasters(5) }

    func lock(_ name: String, ttl: Duration = .seconds(10), fencing: Bool = false) -> Redlock {
        Redlock(key: name, masters: masters.connections(), autoReleaseTime: ttl, fencing: fencing)
    }

    func values(_ key: RedisKey) throws -> [RedisReply] {
        try masters.servers.map { try $0.connection().send(RedisCommand("GET", key: key)) }
    }

    @Test func scriptsArePotterysByteForByteSoTheServerCacheIsShared() throws {
        let lock = self.lock("sha")
        #expect(lock.description == "<Redlock key=redlock:sha>")
        #expect(Redlock.redisKey("a:b") == RedisKey("redlock:a:b"))
        #expect(try lock.acquire())
        _ = try lock.locked()
        try lock.extend()
        try lock.release()
        // pottery 3.0.1's SHA1s (pottery-format.md §1.11): loaded by our EVAL fallback.
        var exists = RedisCommand("SCRIPT")
        exists.append("EXISTS")
        for sha in ["f5f7bd3a3aa4a63c507c1155c5ea1219b350d992", "ba015a80261b616e7a62d35df0b8e3edbe6c9414",
                    "a4aada0b36710970eedaaaeec4a6b7d8c78c4f80"] { exists.append(sha) }
        for server in masters.servers {
            #expect(try server.connection().send(exists) == .array([.integer(1), .integer(1), .integer(1)]))
        }
    }

    @Test func acquireStoresAUUIDWithPXOnEveryMasterAndReleaseDeletesIt() throws {
        let lock = self.lock("printer", ttl: .milliseconds(2500))
        #expect(try lock.acquire(blocking: false))
        let token = try #require(lock.token)
        #expect(token.range(of: "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
                            options: .regularExpression) != nil)
        for server in masters.servers {
            let connection = server.connection()
            #expect(try connection.send(RedisCommand("GET", key: lock.key)) == .bulk(Array(token.utf8)))
            let ttl = try #require(connection.send(RedisCommand("PTTL", key: lock.key)).integer)
            #expect(ttl > 2000 && ttl <= 2500)
        }
        let left = try lock.locked()
        #expect(left > .milliseconds(2000) && left <= .milliseconds(2500))
        try lock.release()
        #expect(try values(lock.key).allSatisfy { $0 == .null })
        #expect(try lock.locked() == .zero)
    }

    @Test func releaseAndExtendRunTheirScriptsBySHA() throws {
        // EVAL makes Redis hash the script's text on every call: a connection sends a script's first
        // call as EVAL (which caches it), every later release and extension as EVALSHA.
        let lock = self.lock("by-sha")
        for _ in 0..<5 {
            #expect(try lock.acquire(blocking: false))
            try lock.extend()
            try lock.release()
        }
        for server in masters.servers {
            // A round returns once a majority answered: the others' calls may still be on their way.
            var counts = (evalsha: 0, eval: 0)
            let giveUp = ContinuousClock.now + .seconds(10)
            repeat {
                let stats = try #require(server.connection().send(command("INFO", "commandstats")).bytes)
                let text = String(decoding: stats, as: UTF8.self)
                func calls(_ name: String) -> Int {
                    guard let line = text.split(separator: "\r\n").first(where: { $0.hasPrefix("cmdstat_\(name):calls=") }) else { return 0 }
                    return Int(line.dropFirst("cmdstat_\(name):calls=".count).prefix { $0.isNumber }) ?? 0
                }
                counts = (calls("evalsha"), calls("eval"))
            } while counts.evalsha + counts.eval < 10 && ContinuousClock.now < giveUp
            #expect(counts.evalsha == 8, "\(counts)")
            #expect(counts.eval == 2, "\(counts)")  // the first extension's and release's
        }
    }

    @Test func everyAcquisitionDrawsAFreshRandomUUID4Token() throws {
        let lock = self.lock("tokens")
        var tokens: Set<String> = []
        for _ in 0..<200 {
            #expect(try lock.acquire(blocking: false))
            let token = try #require(lock.token)
            #expect(token.range(of: "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
                                options: .regularExpression) != nil, "\(token)")
            tokens.insert(token)
            try lock.release()
        }
        #expect(tokens.count == 200)
        // Every hex digit position other than the fixed version nibble varies (random bytes, not a counter).
        let samples = tokens.map { Array($0.utf8) }
        for position in 0..<36 where ![8, 13, 14, 18, 23].contains(position) {
            #expect(Set(samples.map { $0[position] }).count > 1, "position \(position) never changes")
        }
    }

    @Test func aHeldLockExcludesOthersUntilReleased() throws {
        let first = lock("exclusive")
        let second = lock("exclusive")
        #expect(try first.acquire())
        #expect(try second.acquire(blocking: false) == false)
        let clock = ContinuousClock()
        let start = clock.now
        #expect(try second.acquire(timeout: .milliseconds(300)) == false)
        #expect(clock.now - start >= .milliseconds(300))
        #expect(clock.now - start < .seconds(2))
        try first.release()
        #expect(try second.acquire(blocking: false))
        try second.release()
    }

    @Test func timeoutWithoutBlockingIsAValueError() throws {
        let error = try #require(throws: PotteryError.self) { try lock("v").acquire(blocking: false, timeout: .seconds(1)) }
        #expect(error.code == .valueError)
    }

    @Test func releaseAndExtendErrorsAreNamedAsPotterysAndCarryThePrefixedKey() throws {
        let lock = self.lock("errors", ttl: .milliseconds(400))
        let notHeld = try #require(throws: PotteryError.self) { try lock.release() }
        #expect(notHeld.code == .releaseUnlockedLock)
        #expect(notHeld.key == "redlock:errors")
        #expect(try lock.acquire())
        for _ in 0..<3 { try lock.extend() }
        let tooMany = try #require(throws: PotteryError.self) { try lock.extend() }
        #expect(tooMany.code == .tooManyExtensions)
        Thread.sleep(forTimeInterval: 0.5)  // the lease expires
        let expired = try #require(throws: PotteryError.self) { try lock.release() }
        #expect(expired.code == .releaseUnlockedLock)
        #expect(try lock.acquire())
        for server in masters.servers { try server.connection().send(RedisCommand("DEL", key: lock.key)) }
        let gone = try #require(throws: PotteryError.self) { try lock.extend() }
        #expect(gone.code == .extendUnlockedLock)
    }

    @Test func extendResetsTheTTLToTheFullAutoReleaseTime() throws {
        let lock = self.lock("extend", ttl: .milliseconds(1000))
        #expect(try lock.acquire())
        Thread.sleep(forTimeInterval: 0.4)
        try lock.extend()
        let ttl = try #require(masters.servers[0].connection().send(RedisCommand("PTTL", key: lock.key)).integer)
        #expect(ttl > 800)
        try lock.release()
    }

    @Test func twoMastersDownStillGrantsThreeDownIsQuorumIsImpossibleAtOnce() throws {
        let lock = self.lock("degraded")
        masters.servers[0].kill()
        masters.servers[1].kill()
        #expect(try lock.acquire(blocking: false))
        try lock.release()
        masters.servers[2].kill()
        let clock = ContinuousClock()
        let start = clock.now
        let error = try #require(throws: PotteryError.self) { try lock.acquire() }  // blocking, no timeout: must not spin
        #expect(error.code == .quorumIsImpossible)
        #expect(error.causes.count == 3)
        #expect(error.causes.allSatisfy { $0.server != nil && $0.code == .connectionError })
        #expect(clock.now - start < .seconds(2))
        // What the surviving masters granted was taken back.
        #expect(try masters.servers[3].connection().send(RedisCommand("EXISTS", key: lock.key)) == .integer(0))
    }

    @Test func aFrozenMasterCostsAlmostNothingOnceAQuorumAnswered() throws {
        let lock = self.lock("frozen")
        masters.freeze(0)
        defer { masters.thaw(0) }
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<5 {
            #expect(try lock.acquire(blocking: false))
            try lock.release()
        }
        #expect(clock.now - start < .seconds(1), "each call would wait for the frozen master's deadline")
    }

    @Test func pythonAndSwiftExcludeEachOther() throws {
        let masterList = masters.urls.map { "Redis.from_url('\($0)')" }.joined(separator: ", ")
        let script = """
        import sys, logging
        logging.disable(logging.CRITICAL)
        from redis import Redis
        from pottery import Redlock
        lock = Redlock(key='shared', masters={\(masterList)})
        if sys.argv[-1] == 'hold':
            print(lock.acquire(blocking=False)); print(lock.key)
        else:
            print(lock.acquire(blocking=False))
        """
        let swiftLock = lock("shared")
        #expect(try swiftLock.acquire())
        let refused = try Python.run(script.replacingOccurrences(of: "sys.argv[-1] == 'hold'", with: "False"))
        #expect(String(decoding: refused.stdout, as: UTF8.self).hasPrefix("False"), "\(refused.stderr)")
        try swiftLock.release()
        let granted = try Python.run(script.replacingOccurrences(of: "sys.argv[-1] == 'hold'", with: "True"))
        #expect(String(decoding: granted.stdout, as: UTF8.self) == "True\nredlock:shared\n", "\(granted.stderr)")
        #expect(try swiftLock.acquire(blocking: false) == false)
        let status = try Redlock.status(key: "shared", masters: masters.connections())
        #expect(status.isHeld)
        #expect(status.masters.allSatisfy { $0.held && $0.holdsMajorityLease })
        // pottery's 10 s lease, less however long a loaded machine took since Python acquired it.
        #expect(status.remaining > .seconds(5) && status.remaining <= .seconds(10), "\(status.remaining)")
    }

    @Test func fencingTokensStrictlyIncreaseAcrossHolders() throws {
        var last = 0
        for round in 0..<6 {
            let lock = self.lock("fenced", fencing: true)
            #expect(try lock.acquire())
            let token = try #require(lock.fencingToken)
            #expect(token > last, "round \(round)")
            last = token
            try lock.release()
        }
        // The counter is a NextID Python can read.
        #expect(try NextID(key: "redlock:fenced", masters: masters.connections()).current() == last)
    }

    @Test func watchdogKeepsALeaseAliveAndReportsItsLoss() throws {
        // A 1 s lease extended every ~330 ms: a loaded machine (or ThreadSanitizer) can be
        // late by a few hundred milliseconds without the lease lapsing.
        let lock = self.lock("watched", ttl: .seconds(1))
        let stillHeld = try lock.withLock(watchdog: true) { lease -> Bool in
            Thread.sleep(forTimeInterval: 2.5)  // more than two TTLs
            return !lease.isLost
        }
        #expect(stillHeld)
        let lost = AtomicCounter()
        let lossSeen = try? lock.withLock(watchdog: true, onLost: { _ in lost.increment() }) { lease -> Bool in
            for server in masters.servers { try server.connection().send(RedisCommand("DEL", key: lock.key)) }
            let clock = ContinuousClock()
            let start = clock.now
            while !lease.isLost && clock.now - start < .seconds(2) { Thread.sleep(forTimeInterval: 0.01) }
            return lease.isLost
        }
        #expect(lossSeen == nil)  // the release at the end fails: ReleaseUnlockedLock
        #expect(lost.value == 1)
    }

    @Test func asyncAcquireCancelledReleasesWhatItTook() async throws {
        let holder = lock("async")
        #expect(try await holder.acquire())
        let waiter = lock("async")
        let task = Task { try await waiter.acquire() }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        let result = await task.result
        #expect((try? result.get()) != true)
        try await holder.release()
        let value = try await lock("async").withLock { lease in lease.token.count }
        #expect(value == 36)
    }
}

/// A thread-safe counter for callbacks.
final class AtomicCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

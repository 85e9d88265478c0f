import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// RedisSemaphore on a real server: the limit, leases, arrival order, errors, keys.
@Suite struct RedisSemaphoreTests {
    let connection = RedisServer.shared.connection()

    func semaphore(_ name: String, limit: Int, lease: Duration = .seconds(10)) -> RedisSemaphore {
        RedisSemaphore(key: name + "-" + UUID().uuidString.prefix(8), limit: limit, connection: connection,
                       autoReleaseTime: lease)
    }

    func score(_ key: RedisKey, _ member: String) throws -> RedisReply {
        var command = RedisCommand("ZSCORE", key: key)
        command.append(member)
        return try connection.send(command)
    }

    @Test func admitsUpToTheLimitThenRefusesUntilOneIsReleased() throws {
        let backups = semaphore("backups", limit: 3)
        let permits = try (0..<3).map { _ in try #require(try backups.acquire(blocking: false)) }
        #expect(Set(permits.map(\.token)).count == 3)
        #expect(try backups.acquire(blocking: false) == nil)
        #expect(try backups.holders() == 3)
        try backups.release(permits[1])
        #expect(try backups.holders() == 2)
        do { try backups.release(permits[1]); Issue.record("released twice") } catch { #expect(error.code == .releaseUnlockedLock) }
        let again = try #require(try backups.acquire(blocking: false))
        #expect(try backups.acquire(blocking: false) == nil)
        for permit in [permits[0], permits[2], again] { try backups.release(permit) }
        #expect(try backups.holders() == 0)
        // Once the last permit is back only the limit (member "", scored minus the limit)
        // is left, and it expires with the last lease.
        var range = RedisCommand("ZRANGE", key: backups.key)
        range.append(0)
        range.append(-1)
        range.append("WITHSCORES")
        #expect(try connection.send(range) == .array([.bulk([]), .bulk(Array("-3".utf8))]))
        let ttl = try #require(try connection.send(RedisCommand("PTTL", key: backups.key)).integer)
        #expect(ttl > 0 && ttl <= 10_000)
        #expect(try backups.status().limit == nil)
        // The empty token is never a permit: releasing it changes nothing.
        do { try backups.release(token: ""); Issue.record("released the limit") } catch { #expect(error.code == .releaseUnlockedLock) }
        #expect(try connection.send(range).array?.count == 2)
    }

    @Test func permitsAreTokensInASortedSetScoredByTheirLeaseEndAndTheKeysExpireWithTheLastLease() throws {
        let jobs = semaphore("jobs", limit: 2, lease: .milliseconds(1500))
        #expect(jobs.key.description.hasPrefix("semaphore:{jobs-") && jobs.key.description.hasSuffix("}"))
        let permit = try #require(try jobs.acquire())
        #expect(permit.token.count == 36)
        let now = try connection.send(RedisCommand("TIME")).array ?? []
        let serverMillis = (now[0].integer ?? 0) * 1000 + (now[1].integer ?? 0) / 1000
        let leaseEnd = try #require(try score(jobs.key, permit.token).integer)
        #expect(leaseEnd > serverMillis + 1000 && leaseEnd <= serverMillis + 1500)
        let ttl = try #require(try connection.send(RedisCommand("PTTL", key: jobs.key)).integer)
        #expect(ttl > 1000 && ttl <= 1500)
        #expect(permit.remainingValidity > .milliseconds(1000) && permit.remainingValidity < .milliseconds(1500))
        let status = try jobs.status()
        #expect(status.limit == 2 && status.holders == 1 && status.waiters == 0)
        #expect(status.leases[0] > .milliseconds(1000) && status.leases[0] <= .milliseconds(1500))
        try jobs.release(permit)
    }

    func pttl(_ key: RedisKey) throws -> Int64 {
        try #require(try connection.send(RedisCommand("PTTL", key: key)).integer)
    }

    func serverMicroseconds() throws -> Int64 {
        let now = try connection.send(RedisCommand("TIME")).array ?? []
        return (now[0].integer ?? 0) * 1_000_000 + (now[1].integer ?? 0)
    }

    /// The acquire sets the key's expiry with `PEXPIREAT ... GT` once it exists:
    /// a shorter lease never brings the expiry closer, a longer one pushes it out.
    @Test func aShorterLeaseNeverShortensTheKeysExpiryAndALongerOneExtendsIt() throws {
        let name = "expiry-" + UUID().uuidString.prefix(8)
        let long = RedisSemaphore(key: name, limit: 3, connection: connection, autoReleaseTime: .seconds(60))
        let short = RedisSemaphore(key: name, limit: 3, connection: connection, autoReleaseTime: .seconds(5))
        let first = try #require(try short.acquire(blocking: false))
        let newKeyTTL = try pttl(short.key)
        #expect(newKeyTTL > 0 && newKeyTTL <= 5_000)  // a new key gets an expiry
        let second = try #require(try long.acquire(blocking: false))
        #expect(try pttl(long.key) > 5_000)  // pushed out to the longer lease
        let third = try #require(try short.acquire(blocking: false))
        #expect(try pttl(short.key) > 5_000)  // not brought back to the shorter one
        try short.extend(third)
        #expect(try pttl(short.key) > 5_000)
        for permit in [first, second, third] { try permit.semaphore.release(permit) }
    }

    /// A holders' set these scripts did not write (no limit member `""`) is
    /// counted whole: the script sees the missing member and takes its permit back.
    @Test func aHoldersSetWithoutTheLimitMemberIsCountedWhole() throws {
        let gate = semaphore("foreign", limit: 1)
        let now = try serverMicroseconds() / 1000
        var add = RedisCommand("ZADD", key: gate.key)
        add.append(String(now + 60_000))
        add.append("someone-else")
        try connection.send(add)
        #expect(try gate.acquire(blocking: false) == nil)
        var range = RedisCommand("ZRANGE", key: gate.key)
        range.append(0)
        range.append(-1)
        #expect(try connection.send(range) == .array([.bulk([]), .bulk(Array("someone-else".utf8))]))  // the limit stored, no token left
        let wider = RedisSemaphore(key: gate.name, limit: 2, connection: connection)
        let permit = try #require(try wider.acquire(blocking: false))
        #expect(try wider.holders() == 2)
        try wider.release(permit)
        try connection.send(RedisCommand("DEL", key: gate.key))
    }

    /// A queued waiter has its own lease (its poll renews it) and its arrival
    /// in µs, both from the server's clock, and its keys expire with that lease;
    /// queueing never shortens the holders' key's expiry.
    @Test func aWaitersPlaceHasItsOwnLeaseAndArrivalFromTheServersClock() throws {
        let name = "waiter-" + UUID().uuidString.prefix(8)
        let gate = RedisSemaphore(key: name, limit: 1, connection: connection, autoReleaseTime: .seconds(60))
        let holder = try #require(try gate.acquire(blocking: false))
        let before = try serverMicroseconds()
        let waiter = RedisSemaphore(key: name, limit: 1, connection: RedisServer.shared.connection())
        let served = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            if let permit = try? waiter.acquire(timeout: .seconds(60)) {
                try? waiter.release(permit)
                served.signal()
            }
        }
        let waiters = RedisKey(gate.key.description + ":waiters")
        let waiting = RedisKey(gate.key.description + ":waiting")
        let clock = ContinuousClock()
        let start = clock.now
        while try gate.status().waiters == 0 && clock.now - start < .seconds(20) { Thread.sleep(forTimeInterval: 0.005) }
        var range = RedisCommand("ZRANGE", key: waiters)
        range.append(0)
        range.append(-1)
        range.append("WITHSCORES")
        let queued = try connection.send(range).array ?? []
        #expect(queued.count == 2)
        let token = String(decoding: queued.first?.bytes ?? [], as: UTF8.self)
        let arrival = queued.last?.integer ?? 0
        let after = try serverMicroseconds()
        #expect(arrival >= before && arrival <= after)
        let leaseEnd = try #require(try score(waiting, token).integer)  // renewed by each poll
        let lease = RedisSemaphore.waiterLease.components.seconds * 1000
        let nowMillis = try serverMicroseconds() / 1000
        #expect(leaseEnd > arrival / 1000 && leaseEnd <= nowMillis + lease)
        let waitersTTL = try pttl(waiters), waitingTTL = try pttl(waiting)
        #expect(waitersTTL > 0 && waitersTTL <= lease && waitingTTL > 0 && waitingTTL <= lease)
        #expect(try pttl(gate.key) > lease)  // the holder's 60 s lease still rules
        try gate.release(holder)
        #expect(served.wait(timeout: .now() + 30) == .success)
        #expect(try gate.status().waiters == 0)
    }

    @Test func aCrashedHoldersPermitComesBackWhenItsLeaseEnds() throws {
        let api = semaphore("api", limit: 1, lease: .milliseconds(200))
        _ = try #require(try api.acquire(blocking: false))  // never released: the holder "crashed"
        #expect(try api.acquire(blocking: false) == nil)
        let clock = ContinuousClock()
        let start = clock.now
        let next = try #require(try api.acquire(timeout: .seconds(3)))
        #expect(clock.now - start >= .milliseconds(150))
        try api.release(next)
    }

    @Test func extendResetsTheLeaseAndFailsForAPermitThatEnded() throws {
        let short = semaphore("short", limit: 1, lease: .milliseconds(300))
        let permit = try #require(try short.acquire())
        Thread.sleep(forTimeInterval: 0.2)
        try short.extend(permit)
        Thread.sleep(forTimeInterval: 0.2)  // 400 ms after the acquire: alive only thanks to the extension
        #expect(try short.holders() == 1)
        Thread.sleep(forTimeInterval: 0.4)
        #expect(try short.holders() == 0)
        #expect(throws: PotteryError.self) { try short.extend(permit) }
        do { try short.extend(permit) } catch { #expect(error.code == .extendUnlockedLock) }
        do { try short.release(permit) } catch { #expect(error.code == .releaseUnlockedLock) }
        do { try short.release(token: "not-a-token") } catch { #expect(error.code == .releaseUnlockedLock) }
    }

    /// A permit still valid by our clock is released with a plain ZREM; one
    /// the server no longer holds (its key deleted) is not held, whichever way.
    @Test func releasingAPermitTheServerDroppedIsNotHeld() throws {
        let gate = semaphore("dropped", limit: 2)
        let permit = try #require(try gate.acquire())
        #expect(permit.remainingValidity > .zero)
        try connection.send(RedisCommand("DEL", key: gate.key))
        do { try gate.release(permit); Issue.record("released a dropped permit") } catch {
            #expect(error.code == .releaseUnlockedLock && error.message.contains("not held"), "\(error)")
        }
        #expect(permit.remainingValidity == .zero)
    }

    @Test func tokensWorkAcrossHandlesAsTheCLIUsesThem() throws {
        let name = "handles-" + UUID().uuidString.prefix(8)
        let first = RedisSemaphore(key: name, limit: 1, connection: connection)
        let permit = try #require(try first.acquire())
        let other = RedisSemaphore(key: name, limit: 1, connection: RedisServer.shared.connection())
        try other.extend(token: permit.token)
        try other.release(token: permit.token)
        #expect(try first.holders() == 0)
    }

    @Test func badLimitsAndOptionsAreValueErrorsAndWrongTypesChangeNothing() throws {
        let zero = semaphore("zero", limit: 0)
        do { _ = try zero.acquire(); Issue.record("a limit of 0 was accepted") } catch { #expect(error.code == .valueError) }
        let one = semaphore("one", limit: 1)
        do { _ = try one.acquire(blocking: false, timeout: .seconds(1)); Issue.record("accepted") } catch {
            #expect(error.code == .valueError)
        }
        var hset = RedisCommand("HSET", key: one.key)
        hset.append("field")
        hset.append("value")
        try connection.send(hset)
        do { _ = try one.acquire(); Issue.record("acquired on a hash") } catch { #expect(error.code == .wrongType) }
        do { _ = try one.status(); Issue.record("status of a hash") } catch { #expect(error.code == .wrongType) }
        #expect(try connection.send(RedisCommand("HGETALL", key: one.key)) == .array([.bulk(Array("field".utf8)), .bulk(Array("value".utf8))]))
        // The waiters' key of another type is refused too, before anything is written.
        let other = semaphore("waiters-key", limit: 1)
        var push = RedisCommand("LPUSH", key: RedisKey(other.key.description + ":waiters"))
        push.append("x")
        try connection.send(push)
        do { _ = try other.acquire(); Issue.record("acquired") } catch { #expect(error.code == .wrongType) }
        #expect(try connection.send(RedisCommand("EXISTS", key: other.key)) == .integer(0))
        // So is the waiting leases' key, when a waiter would queue: before its place is taken.
        let queue = semaphore("waiting-key", limit: 1)
        let holder = try #require(try queue.acquire(blocking: false))
        let waiting = RedisKey(queue.key.description + ":waiting")
        var list = RedisCommand("LPUSH", key: waiting)
        list.append("x")
        try connection.send(list)
        do { _ = try queue.acquire(timeout: .seconds(5)); Issue.record("queued") } catch { #expect(error.code == .wrongType) }
        #expect(try connection.send(RedisCommand("EXISTS", key: RedisKey(queue.key.description + ":waiters"))) == .integer(0))
        try queue.release(holder)
        try connection.send(RedisCommand("DEL", key: waiting))
        try connection.send(RedisCommand("DEL", key: one.key))
        try connection.send(RedisCommand("DEL", key: RedisKey(other.key.description + ":waiters")))
    }

    @Test func waitersAreServedInArrivalOrder() throws {
        let name = "fifo-" + UUID().uuidString.prefix(8)
        let gate = RedisSemaphore(key: name, limit: 1, connection: connection)
        let holder = try #require(try gate.acquire())
        let order = OrderLog()
        let done = DispatchGroup()
        for index in 0..<4 {
            done.enter()
            Thread.detachNewThread {
                defer { done.leave() }
                let mine = RedisSemaphore(key: name, limit: 1, connection: RedisServer.shared.connection())
                guard let permit = try? mine.acquire(timeout: .seconds(20)) else { return order.append(-1) }
                order.append(index)
                Thread.sleep(forTimeInterval: 0.05)
                try? mine.release(permit)
            }
            // Arrivals well apart: each waiter is queued before the next starts.
            let clock = ContinuousClock()
            let start = clock.now
            while try gate.status().waiters < index + 1 && clock.now - start < .seconds(5) {
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        // A newcomer that does not wait never overtakes the queue.
        #expect(try gate.acquire(blocking: false) == nil)
        try gate.release(holder)
        #expect(done.wait(timeout: .now() + 30) == .success)
        #expect(order.values == [0, 1, 2, 3])
    }

    @Test func aWaiterThatGivesUpLeavesTheQueue() throws {
        let gate = semaphore("give-up", limit: 1)
        let holder = try #require(try gate.acquire())
        let clock = ContinuousClock()
        let start = clock.now
        #expect(try gate.acquire(timeout: .milliseconds(150)) == nil)
        #expect(clock.now - start >= .milliseconds(150))
        #expect(try gate.status().waiters == 0)
        try gate.release(holder)
        #expect(try gate.acquire(blocking: false) != nil)
    }

    @Test func aSmallerLimitAdmitsNobodyNewUntilTheHoldersDropBelowIt() throws {
        let name = "shrink-" + UUID().uuidString.prefix(8)
        let wide = RedisSemaphore(key: name, limit: 3, connection: connection)
        let permits = try (0..<3).map { _ in try #require(try wide.acquire(blocking: false)) }
        let narrow = RedisSemaphore(key: name, limit: 2, connection: connection)
        #expect(try narrow.acquire(blocking: false) == nil)
        try wide.release(permits[0])
        #expect(try narrow.acquire(blocking: false) == nil)  // 2 holders: not below 2
        try wide.release(permits[1])
        let admitted = try #require(try narrow.acquire(blocking: false))
        #expect(try narrow.holders() == 2)
        try narrow.release(admitted)
        try wide.release(permits[2])
    }

    @Test func watchdogKeepsAPermitAliveAndReportsItsLoss() throws {
        let watched = semaphore("watched", limit: 1, lease: .milliseconds(300))
        let stillHeld = try watched.withPermit(watchdog: true) { permit -> Bool in
            Thread.sleep(forTimeInterval: 1.0)  // three leases
            return !permit.isLost
        }
        #expect(stillHeld)
        let lost = AtomicCounter()
        let seen = try? watched.withPermit(watchdog: true, onLost: { _ in lost.increment() }) { permit -> Bool in
            try connection.send(RedisCommand("DEL", key: watched.key))
            let clock = ContinuousClock()
            let start = clock.now
            while !permit.isLost && clock.now - start < .seconds(2) { Thread.sleep(forTimeInterval: 0.01) }
            return permit.isLost
        }
        #expect(seen == nil)  // the release at the end fails: ReleaseUnlockedLock
        #expect(lost.value == 1)
    }

    @Test func asyncWithPermitAndCancelledWaitLeavesNothingBehind() async throws {
        // A long lease: under a full parallel run, synchronous tests can keep this task waiting for seconds.
        let gate = semaphore("async", limit: 1, lease: .seconds(300))
        let holder = try #require(try await gate.acquire())
        let task = Task { try await gate.acquire() }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        #expect((try? await task.value) == nil)
        #expect(try gate.status().waiters == 0)
        try await gate.release(holder)
        let length = try await gate.withPermit { permit in permit.token.count }
        #expect(length == 36)
        #expect(try gate.holders() == 0)
    }
}

/// A thread-safe log of integers.
final class OrderLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Int] = []
    func append(_ value: Int) { lock.lock(); items.append(value); lock.unlock() }
    var values: [Int] { lock.lock(); defer { lock.unlock() }; return items }
}

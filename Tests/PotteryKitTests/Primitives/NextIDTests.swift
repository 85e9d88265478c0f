import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// NextID over real masters: pottery's bytes, diverged masters, contention.
@Suite(.serialized) struct NextIDTests {
    let masters: RedisMasters
    init() throws { masters = try RedisMasters(5) }

    func ids(_ name: String = "current") -> NextID { NextID(key: name, masters: masters.connections()) }

    /// A handle whose masters are never slow enough to time out on a loaded machine: for the tests
    /// that expect no hole (a round that times out may leave one, which NextID allows).
    func patientIDs(_ name: String) -> NextID {
        NextID(key: name, masters: masters.connections(ioTimeout: .seconds(30), connectTimeout: .seconds(10)))
    }

    /// Waits (up to 30 s) until every master holds `value`: a draw returns once a majority
    /// answered, and the others apply it a moment later.
    func eventuallyStoredEverywhere(_ name: String, _ value: String) throws -> Bool {
        let giveUp = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < giveUp {
            if try stored(name).allSatisfy({ $0 == .bulk(Array(value.utf8)) }) { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return false
    }

    func stored(_ name: String) throws -> [RedisReply] {
        try masters.servers.map { try $0.connection().send(RedisCommand("GET", key: NextID.redisKey(name))) }
    }

    func python(_ body: String) throws -> String {
        let list = masters.urls.map { "Redis.from_url('\($0)')" }.joined(separator: ", ")
        let result = try Python.run("""
        import logging
        logging.disable(logging.CRITICAL)
        from redis import Redis
        from pottery import NextID
        masters = {\(list)}
        \(body)
        """)
        #expect(result.status == 0, "\(result.stderr)")
        return String(decoding: result.stdout, as: UTF8.self)
    }

    @Test func drawsOneTwoThreeStoredAsPlainDecimalOnEveryMaster() throws {
        let ids = self.patientIDs("tweets")
        #expect(ids.description == "<NextID key=nextid:tweets>")
        #expect(try ids.next() == 1)
        #expect(try ids.next() == 2)
        #expect(try self.patientIDs("tweets").next() == 3)  // a new object learns from refusals
        #expect(try eventuallyStoredEverywhere("tweets", "3"), "\((try? stored("tweets")) ?? [])")
        #expect(try ids.current() == 3)
        #expect(NextID(masters: []).key == RedisKey("nextid:current"))
    }

    @Test func aNewObjectEachDrawLeavesNoHoles() throws {
        // The CLI's case: every call is a fresh object that first learns the current value.
        for expected in 1...5 { #expect(try patientIDs("fresh").next() == expected) }
        #expect(try patientIDs("fresh").next(count: 3) == 6...8)
        #expect(try patientIDs("fresh").next() == 9)
    }

    @Test func asyncDrawsShareTheSequenceWithSyncOnes() async throws {
        let ids = self.ids("async")
        #expect(try await ids.next() == 1)
        #expect(try await ids.next() == 2)
        #expect(try await ids.next(count: 2) == 3...4)
        #expect(try await ids.current() == 4)
        let drawn = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 { group.addTask { try await self.ids("async").next() } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(Set(drawn).count == 20 && drawn.allSatisfy { $0 > 4 })
        try await ids.reset()
        #expect(try await ids.next() == 1)
    }

    @Test func pythonAndSwiftShareOneSequence() throws {
        #expect(try ids("shared").next() == 1)
        #expect(try python("ids = NextID(key='shared', masters=masters)\nprint(next(ids), next(ids))") == "2 3\n")
        #expect(try ids("shared").next() == 4)
        #expect(try python("print(next(NextID(key='shared', masters=masters)))") == "5\n")
    }

    @Test func divergedMastersGiveMaxPlusOneAndConverge() throws {
        let key = NextID.redisKey("diverged")
        for (index, value) in ["5", "3", nil, "4", nil].enumerated() {
            if let value {
                var set = RedisCommand("SET", key: key)
                set.append(value)
                try masters.servers[index].connection().send(set)
            }
        }
        let ids = self.ids("diverged")
        #expect(try ids.next() == 6)
        #expect(try ids.next() == 7)
        // At least a majority holds 7; none holds more.
        let values = try stored("diverged").compactMap { $0.bytes.flatMap { Int(String(decoding: $0, as: UTF8.self)) } }
        #expect(values.filter { $0 == 7 }.count >= 3)
        #expect(values.allSatisfy { $0 <= 7 })
    }

    @Test func aBlockOfIDsIsConsecutiveAndNeverHandedOutAgain() throws {
        let ids = self.ids("block")
        #expect(try ids.next() == 1)
        #expect(try ids.next(count: 1000) == 2...1001)
        #expect(try self.ids("block").next() == 1002)
        #expect(throws: PotteryError.self) { try ids.next(count: 0) }
    }

    @Test func aValueThatIsNotAnIntegerIsADataErrorAndIsLeftAlone() throws {
        var set = RedisCommand("SET", key: NextID.redisKey("garbage"))
        set.append("garbage")
        for server in masters.servers { try server.connection().send(set) }
        let error = try #require(throws: PotteryError.self) { try ids("garbage").next() }
        #expect(error.code == .typeError)
        #expect(error.key == "nextid:garbage")
        #expect(try stored("garbage").allSatisfy { $0 == .bulk(Array("garbage".utf8)) })
        let read = try #require(throws: PotteryError.self) { try ids("garbage").current() }
        #expect(read.code == .typeError)
    }

    @Test func idsAboveTwoToTheFiftyThreeStayExact() throws {
        var set = RedisCommand("SET", key: NextID.redisKey("big"))
        set.append("9007199254740993")
        for server in masters.servers { try server.connection().send(set) }
        #expect(try ids("big").next() == 9_007_199_254_740_994)
    }

    @Test(arguments: [("999999999999999", 1_000_000_000_000_000), ("9999999999999999", 10_000_000_000_000_000),
                      ("-5", 1), ("0000000000000000042", 43), ("-0000000000000000042", 1), ("41", 42)])
    func theScriptComparesExactlyAtEveryLength(stored: String, next: Int) throws {
        // Up to 15 characters the script compares Lua numbers (exact); beyond, digit by digit.
        let name = "length-\(stored.count)-\(stored.first == "-" ? "negative" : "positive")"
        var set = RedisCommand("SET", key: NextID.redisKey(name))
        set.append(stored)
        for server in masters.servers { try server.connection().send(set) }
        #expect(try ids(name).next() == next)
    }

    @Test func resetNeedsEveryMasterAndCurrentNeedsAMajority() throws {
        let ids = self.ids("reset")
        _ = try ids.next()
        try ids.reset()
        #expect(try ids.next() == 1)
        masters.servers[4].kill()
        let error = try #require(throws: PotteryError.self) { try ids.reset() }
        #expect(error.code == .quorumNotAchieved)
        #expect(error.causes.count == 1)
        #expect(try ids.next() == 2)  // 4 of 5 still draw
        masters.servers[3].kill()
        masters.servers[2].kill()
        let impossible = try #require(throws: PotteryError.self) { try ids.next() }
        #expect(impossible.code == .quorumIsImpossible)
    }

    @Test func concurrentDrawersNeverShareAnID() throws {
        let group = DispatchGroup()
        let results = Collected()
        // Four drawers at once on Dispatch's threads (not Foundation `Thread`s: a process whose Foundation
        // threads drew IDs crashed inside ThreadSanitizer's runtime at exit; see the README's Reliability).
        for _ in 0..<4 {
            DispatchQueue.global().async(group: group) {
                let ids = self.ids("contended")
                var mine: [Int] = []
                var failed = 0
                for _ in 0..<150 {
                    do { mine.append(try ids.next()) } catch { failed += 1 }
                }
                #expect(mine == mine.sorted() && Set(mine).count == mine.count, "one drawer's IDs went backwards")
                results.add(mine, failed: failed)
            }
        }
        group.wait()
        let (all, failures) = results.value
        #expect(Set(all).count == all.count, "an ID was handed out twice")
        #expect(failures * 100 < 600, "more than 1% of draws failed: \(failures)")
    }
}

/// IDs gathered from several threads.
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: [Int] = []
    private var failures = 0
    func add(_ more: [Int], failed: Int) { lock.lock(); ids += more; failures += failed; lock.unlock() }
    var value: ([Int], Int) { lock.lock(); defer { lock.unlock() }; return (ids, failures) }
}

import PotteryKit
import PotteryTestSupport
import Testing

/// Multi-key work on a cluster: keys sharing a `{hash tag}` work server-side;
/// keys in different slots either fall back to client-side work (set algebra)
/// or fail before anything is sent, with an error that suggests a hash tag.
@Suite struct ClusterMultiKeyTests {
    let cluster = RedisCluster.shared

    func exists(_ connection: RedisConnection, _ key: RedisKey) throws -> Bool {
        try connection.send(RedisCommand("EXISTS", key: key)) == .integer(1)
    }

    @Test func setAlgebraWithHashTagsAndAcrossSlots() throws {
        let connection = cluster.connection()
        let tag = RandomTag.next()
        let a = try RedisSet<Int>(connection, key: RedisKey("{\(tag)}a"), contents: [1, 2, 3])
        let b = try RedisSet<Int>(connection, key: RedisKey("{\(tag)}b"), contents: [2, 3, 4])
        #expect(Set(try a.union([b])) == [1, 2, 3, 4])
        #expect(Set(try a.intersection([b])) == [2, 3])
        #expect(Set(try a.symmetricDifference(b)) == [1, 4])
        // Different slots: the same answers, computed here.
        let c = try RedisSet<Int>(connection, key: RedisKey("cl-\(tag)-c"), contents: [3, 5])
        #expect(Set(try a.union([c])) == [1, 2, 3, 5])
        #expect(try !a.isDisjoint(with: c))
        try a.formUnion([b, c])
        #expect(Set(try a.members()) == [1, 2, 3, 4, 5])
        try a.formIntersection([c])
        #expect(Set(try a.members()) == [3, 5])
    }

    @Test func hashTaggedTransactionCommitsAndCrossSlotOneWritesNothing() throws {
        let connection = cluster.connection()
        let tag = RandomTag.next()
        let x = RedisKey("{\(tag)}x")
        let y = RedisKey("{\(tag)}y")
        try connection.send(RedisCommand("SET", key: x).adding("1"))
        let (value, replies) = try connection.transaction(watching: [x]) { transaction throws(PotteryError) -> Int in
            let before = try transaction.send(RedisCommand("GET", key: x)).integer ?? 0
            var set = RedisCommand("SET", key: y)
            set.append("\(before)")
            transaction.enqueue(set)
            transaction.enqueue(RedisCommand("INCR", key: x))
            return Int(before)
        }
        #expect(value == 1)
        #expect(replies == [.status("OK"), .integer(2)])
        #expect(try connection.send(RedisCommand("GET", key: y)) == .bulk(Array("1".utf8)))

        let other = RedisKey("cl-\(tag)-other")
        let error = #expect(throws: PotteryError.self) {
            try connection.transaction(watching: [x]) { transaction throws(PotteryError) in
                transaction.enqueue(RedisCommand("DEL", key: x))
                transaction.enqueue(RedisCommand("INCR", key: other))
            }
        }
        #expect(error?.code == .valueError)
        #expect(error?.redisCode == "CROSSSLOT")
        #expect(error?.message.contains("{hash tag}") == true)
        #expect(try exists(connection, x))
        #expect(try !exists(connection, other))

        // A read of another slot inside the body fails too, and nothing is committed.
        let readError = #expect(throws: PotteryError.self) {
            try connection.transaction(watching: []) { transaction throws(PotteryError) in
                transaction.enqueue(RedisCommand("DEL", key: x))
                try transaction.send(RedisCommand("GET", key: x))
                try transaction.send(RedisCommand("GET", key: other))
            }
        }
        #expect(readError?.redisCode == "CROSSSLOT")
        #expect(try exists(connection, x))
        // Watching keys of two slots fails before the WATCH.
        #expect(throws: PotteryError.self) {
            try connection.transaction(watching: [x, other]) { _ throws(PotteryError) in }
        }
    }

    @Test func crossSlotCommandsAndPipelinesSendNothing() throws {
        let connection = cluster.connection()
        let tag = RandomTag.next()
        let a = RedisKey("cl-\(tag)-a")
        let b = RedisKey("cl-\(tag)-b")
        let destination = RedisKey("cl-\(tag)-dest")
        _ = try connection.send(RedisCommand("SADD", key: a).adding("1"))
        var store = RedisCommand("SUNIONSTORE", key: destination)
        store.append(keys: [a, b])
        let error = #expect(throws: PotteryError.self) { try connection.send(store) }
        #expect(error?.code == .valueError)
        #expect(error?.message.contains("{hash tag}") == true)
        #expect(try !exists(connection, destination))
        // One bad command in a pipeline: none of it is sent.
        let pipelineError = #expect(throws: PotteryError.self) {
            try connection.pipeline([RedisCommand("SET", key: destination).adding("1"), store])
        }
        #expect(pipelineError?.redisCode == "CROSSSLOT")
        #expect(try !exists(connection, destination))
        // HLL merge across slots fails cleanly; with a hash tag it works.
        let h1 = HyperLogLog<Int>(connection, key: RedisKey("cl-\(tag)-h1"))
        let h2 = HyperLogLog<Int>(connection, key: RedisKey("cl-\(tag)-h2"))
        try h2.update([1, 2])
        #expect(throws: PotteryError.self) { try h1.merge([h2]) }
        #expect(try !exists(connection, h1.key))
        let t1 = HyperLogLog<Int>(connection, key: RedisKey("{\(tag)}h1"))
        let t2 = HyperLogLog<Int>(connection, key: RedisKey("{\(tag)}h2"))
        try t2.update([1, 2])
        try t1.merge([t2])
        #expect(try t1.count() == 2)
    }

    @Test func scanKeysVisitsEveryMaster() throws {
        let connection = cluster.connection()
        let prefix = ClusterCheck.prefix("scan")
        var written: Set<String> = []
        for index in 0..<40 {
            written.insert("\(prefix)\(index)")
            try connection.send(RedisCommand("SET", key: RedisKey("\(prefix)\(index)")).adding("x"))
        }
        var seen: Set<String> = []
        try connection.scanKeys(matching: prefix + "*", count: 7) { keys in
            for key in keys { seen.insert(key.description) }
            return true
        }
        #expect(seen == written)
        // Stopping early stops.
        var batches = 0
        try connection.scanKeys(matching: prefix + "*", count: 1) { _ in
            batches += 1
            return false
        }
        #expect(batches == 1)
    }

    @Test func aDeadFirstSeedDoesNotMatterButNoLiveSeedFailsClearly() throws {
        let seeds = cluster.nodes.map { "127.0.0.1:\($0.port)" }
        let connection = try RedisConnection(url: "redis+cluster://127.0.0.1:1," + seeds.joined(separator: ","))
        let key = RedisKey(ClusterCheck.prefix("seed") + "k")
        try connection.send(RedisCommand("SET", key: key).adding("v"))
        #expect(try connection.send(RedisCommand("GET", key: key)) == .bulk(Array("v".utf8)))

        let dead = try RedisConnection(url: "redis+cluster://127.0.0.1:1,127.0.0.1:2")
        let error = #expect(throws: PotteryError.self) { try dead.send(RedisCommand("GET", key: key)) }
        #expect(error?.code == .connectionError)
        #expect(error?.message.contains("any node of redis+cluster://127.0.0.1:1,127.0.0.1:2") == true)
    }

    @Test func aFanOutRoutesAClusterBatchToItsSlotsMaster() throws {
        let connection = cluster.connection()
        let single = RedisServer.shared.connection()
        let key = RedisKey(ClusterCheck.prefix("fanout") + "lock")
        let set = RedisCommand("SET", key: key).adding("token")
        let results = try RedisFanOut.pipelines([(connection, [set]), (single, [set])], deadline: .now + .seconds(20))
        #expect(try results.map { try $0.get() } == [[.status("OK")], [.status("OK")]])
        #expect(try ClusterCheck.holder(of: key, in: cluster) != nil)
    }
}

extension RedisCommand {
    /// This command with one more argument.
    func adding(_ argument: String) -> RedisCommand {
        var copy = self
        copy.append(argument)
        return copy
    }
}

import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// A cluster whose slots move under the client: a slot handed to another
/// master (`MOVED`), a slot half-migrated by hand (`ASK`), a manual failover.
/// Its own cluster, so the other suites never see these moves.
@Suite(.serialized) struct ClusterTopologyTests {
    static let cluster: RedisCluster = {
        do { return try RedisCluster(nodeTimeout: 2000) } catch { fatalError("cannot start a Redis Cluster: \(error)") }
    }()
    var cluster: RedisCluster { Self.cluster }

    func slot(of key: RedisKey) throws -> Int {
        var keyslot = RedisCommand("CLUSTER")
        keyslot.append("KEYSLOT")
        keyslot.append(bytes: key.bytes)
        let running = try #require(cluster.nodes.first { $0.isRunning })
        return Int(try cluster.direct(running).send(keyslot).integer ?? -1)
    }

    func clusterCommand(_ node: RedisServer, _ words: [String]) throws {
        var command = RedisCommand("CLUSTER")
        for word in words { command.append(word) }
        #expect(try cluster.direct(node).send(command) == .status("OK"))
    }

    func get(_ node: RedisServer, _ key: RedisKey, asking: Bool = false) throws -> RedisReply {
        let replies = try cluster.direct(node).pipeline((asking ? [RedisCommand("ASKING")] : []) + [RedisCommand("GET", key: key)])
        return replies[replies.count - 1]
    }

    @Test func aSlotHandedToAnotherMasterIsFollowedThroughMoved() throws {
        let connection = cluster.connection()
        let key = RedisKey("{moved-\(RandomTag.next())}k")
        let slot = try slot(of: key)
        #expect(try connection.send(RedisCommand("GET", key: key)) == .null)  // the client knows the map now
        let from = try cluster.master(of: slot)
        let to = try cluster.masters().first { $0.port != from.port }!
        let toID = try cluster.id(of: to)
        // The slot is empty: hand it over, target first, then every other master.
        try clusterCommand(to, ["SETSLOT", "\(slot)", "NODE", toID])
        for master in try cluster.masters() where master.port != to.port {
            try clusterCommand(master, ["SETSLOT", "\(slot)", "NODE", toID])
        }
        try cluster.waitUntilHealthy()
        #expect(try connection.send(RedisCommand("SET", key: key).adding("moved")) == .status("OK"))
        #expect(try get(to, key) == .bulk(Array("moved".utf8)))
        #expect(try connection.send(RedisCommand("GET", key: key)) == .bulk(Array("moved".utf8)))
    }

    @Test func aHalfMigratedSlotIsFollowedThroughAsk() throws {
        let connection = cluster.connection()
        let tag = "ask-\(RandomTag.next())"
        let (moved, stays, created) = (RedisKey("{\(tag)}moved"), RedisKey("{\(tag)}stays"), RedisKey("{\(tag)}new"))
        let slot = try slot(of: moved)
        try connection.send(RedisCommand("SET", key: moved).adding("m"))
        let dict = RedisDict<String, Int>(connection, key: stays)
        try dict.set(1, for: "one")
        let from = try cluster.master(of: slot)
        let to = try cluster.masters().first { $0.port != from.port }!
        try clusterCommand(to, ["SETSLOT", "\(slot)", "IMPORTING", try cluster.id(of: from)])
        try clusterCommand(from, ["SETSLOT", "\(slot)", "MIGRATING", try cluster.id(of: to)])
        var migrate = RedisCommand("MIGRATE")
        for word in ["127.0.0.1", "\(to.port)", "", "0", "5000", "KEYS"] { migrate.append(word) }
        migrate.append(key: moved)
        #expect(try cluster.direct(from).send(migrate) == .status("OK"))
        #expect(try get(to, moved, asking: true) == .bulk(Array("m".utf8)))

        // Reads and writes follow ASK to the importing node for keys already moved or new,
        // and stay on the migrating node for keys it still holds.
        #expect(try connection.send(RedisCommand("GET", key: moved)) == .bulk(Array("m".utf8)))
        #expect(try connection.send(RedisCommand("APPEND", key: moved).adding("2")) == .integer(2))
        #expect(try connection.send(RedisCommand("SET", key: created).adding("n")) == .status("OK"))
        #expect(try get(to, created, asking: true) == .bulk(Array("n".utf8)))
        #expect(try dict.get("one") == 1)
        try dict.set(2, for: "two")
        let replies = try connection.pipeline([RedisCommand("GET", key: moved), RedisCommand("GET", key: created),
                                               RedisCommand("HLEN", key: stays)])
        #expect(replies == [.bulk(Array("m2".utf8)), .bulk(Array("n".utf8)), .integer(2)])

        // Finish the migration: everything is on the new master and found through MOVED.
        var rest = RedisCommand("MIGRATE")
        for word in ["127.0.0.1", "\(to.port)", "", "0", "5000", "KEYS"] { rest.append(word) }
        rest.append(key: stays)
        #expect(try cluster.direct(from).send(rest) == .status("OK"))
        try clusterCommand(to, ["SETSLOT", "\(slot)", "NODE", try cluster.id(of: to)])
        for master in try cluster.masters() where master.port != to.port {
            try clusterCommand(master, ["SETSLOT", "\(slot)", "NODE", try cluster.id(of: to)])
        }
        try cluster.waitUntilHealthy()
        #expect(try dict.get("two") == 2)
        #expect(try connection.send(RedisCommand("GET", key: created)) == .bulk(Array("n".utf8)))
    }

    @Test func aManualFailoverIsFollowedWithinSeconds() throws {
        let connection = cluster.connection()
        let key = RedisKey("{failover-\(RandomTag.next())}k")
        let slot = try slot(of: key)
        let counter = RedisCounter<String>(connection, key: key)
        try counter.update(["a"])
        let master = try cluster.master(of: slot)
        let replica = try #require(try cluster.replicas(of: master).first)
        var wait = RedisCommand("WAIT")
        wait.append("1")
        wait.append("10000")
        #expect(try cluster.direct(master).send(wait) == .integer(1))
        var failover = RedisCommand("CLUSTER")
        failover.append("FAILOVER")
        #expect(try cluster.direct(replica).send(failover) == .status("OK"))
        // Generous: the roles change when the cluster has voted.
        let limit = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < limit, (try? cluster.master(of: slot).port) != replica.port { usleep(50_000) }
        #expect(try cluster.master(of: slot).port == replica.port)
        // The client, whose map still names the old master, recovers: eventually every call succeeds.
        var recovered = false
        while ContinuousClock.now < limit, !recovered {
            recovered = (try? counter.update(["a"])) != nil
            if !recovered { usleep(50_000) }
        }
        #expect(recovered)
        #expect(try counter.count(of: "a") >= 2)
        #expect(try cluster.direct(replica).send(RedisCommand("HLEN", key: key)) == .integer(1))  // on the new master
    }
}

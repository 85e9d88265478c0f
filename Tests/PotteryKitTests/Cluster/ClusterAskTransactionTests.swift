import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// Containers' multi-command writes (`WATCH`/`MULTI`/`EXEC` and scripts) on a
/// slot left half-migrated by hand, for keys already moved to the importing
/// node and keys new there: they follow `ASK` and the data lands on the
/// importing node only. Part of ``ClusterTopologyTests`` (serialized, its own cluster).
extension ClusterTopologyTests {
    /// `CLUSTER SETSLOT slot IMPORTING/MIGRATING` and `MIGRATE` of `keys`: the slot half-moved.
    func startMigration(of slot: Int, from: RedisServer, to: RedisServer, keys: [RedisKey]) throws {
        try clusterCommand(to, ["SETSLOT", "\(slot)", "IMPORTING", try cluster.id(of: from)])
        try clusterCommand(from, ["SETSLOT", "\(slot)", "MIGRATING", try cluster.id(of: to)])
        var migrate = RedisCommand("MIGRATE")
        for word in ["127.0.0.1", "\(to.port)", "", "0", "5000", "KEYS"] { migrate.append(word) }
        migrate.append(keys: keys)
        #expect(try cluster.direct(from).send(migrate) == .status("OK"))
    }

    /// Gives `slot` to `to` on every master, ending a migration.
    func finishMigration(of slot: Int, to: RedisServer) throws {
        let toID = try cluster.id(of: to)
        try clusterCommand(to, ["SETSLOT", "\(slot)", "NODE", toID])
        for master in try cluster.masters() where master.port != to.port {
            try clusterCommand(master, ["SETSLOT", "\(slot)", "NODE", toID])
        }
        try cluster.waitUntilHealthy()
    }

    /// Whether `node` holds `key` (asked with `ASKING`, which an importing node needs).
    func holds(_ node: RedisServer, _ key: RedisKey) throws -> Bool {
        let replies = try cluster.direct(node).pipeline([RedisCommand("ASKING"), RedisCommand("EXISTS", key: key)])
        return replies[1] == .integer(1)
    }

    @Test func transactionsAndScriptsOnAHalfMigratedSlotFollowAsk() throws {
        let connection = cluster.connection()
        let tag = "{askx-\(RandomTag.next())}"
        let (dictKey, listKey, counterKey) = (RedisKey(tag + "dict"), RedisKey(tag + "list"), RedisKey(tag + "counter"))
        let (newDictKey, newListKey) = (RedisKey(tag + "new-dict"), RedisKey(tag + "new-list"))
        let dict = RedisDict<String, Int>(connection, key: dictKey)
        let list = RedisList<String>(connection, key: listKey)
        let counter = RedisCounter<String>(connection, key: counterKey)
        try dict.update(["a": 1, "b": 2])
        try list.append("x")
        try list.append("z")
        try counter.update(["a"])
        let slot = try slot(of: dictKey)
        let from = try cluster.master(of: slot)
        let to = try cluster.masters().first { $0.port != from.port }!
        try startMigration(of: slot, from: from, to: to, keys: [dictKey, listKey, counterKey])
        // The importing node has never run the scripts: an ASKed EVALSHA would get NOSCRIPT.
        #expect(try cluster.direct(to).send(RedisCommand("SCRIPT", key: "FLUSH")) == .status("OK"))

        // WATCH + MULTI/EXEC, MULTI/EXEC alone, and scripts, on moved keys.
        #expect(try dict.removeValue(forKey: "a") == 1)                   // WATCH; HGET; MULTI; HDEL; EXEC
        #expect(try dict.setDefault(3, for: "c") == 3)                    // MULTI; HSETNX; HGET; EXEC
        #expect(try dict.removeValues(forKeys: ["b", "zz"]) == ["zz"])    // MULTI; HEXISTS...; HDEL; EXEC
        try list.insert("y", at: 1)                                       // script
        try counter.update(["a", "b", "b"])                               // script
        // And on keys that do not exist yet: they are made on the importing node.
        let newDict = RedisDict<String, Int>(connection, key: newDictKey)
        #expect(try newDict.setDefault(7, for: "n") == 7)
        let newList = RedisList<String>(connection, key: newListKey)
        try newList.insert("first", at: 0)

        #expect(try dict.get("c") == 3)
        #expect(try dict.count() == 1)
        #expect(try list.toArray() == ["x", "y", "z"])
        #expect(try counter.count(of: "a") == 2)
        #expect(try counter.count(of: "b") == 2)
        #expect(try newDict.get("n") == 7)
        #expect(try newList.toArray() == ["first"])
        for key in [dictKey, listKey, counterKey, newDictKey, newListKey] {
            #expect(try holds(to, key), "\(key) is on the importing node")
            #expect(try !holds(from, key), "\(key) is not left on the migrating node")
        }

        try finishMigration(of: slot, to: to)
        #expect(try dict.get("c") == 3)
        #expect(try list.toArray() == ["x", "y", "z"])
    }

    @Test func aTransactionOverKeysSplitByAMigrationFailsRetryablyAndWritesNothing() throws {
        var configuration = try RedisConfiguration(url: cluster.url)
        configuration.ioTimeout = .seconds(1)  // how long TRYAGAIN is retried
        let connection = RedisConnection(configuration)
        let tag = "{split-\(RandomTag.next())}"
        let (moved, stays) = (RedisKey(tag + "moved"), RedisKey(tag + "stays"))
        try connection.send(RedisCommand("SET", key: moved).adding("m"))
        try connection.send(RedisCommand("SET", key: stays).adding("s"))
        let slot = try slot(of: moved)
        let from = try cluster.master(of: slot)
        let to = try cluster.masters().first { $0.port != from.port }!
        try startMigration(of: slot, from: from, to: to, keys: [moved])

        let error = #expect(throws: PotteryError.self) {
            try connection.transaction(watching: [moved, stays]) { transaction throws(PotteryError) in
                transaction.enqueue(RedisCommand("SET", key: moved).adding("changed"))
                transaction.enqueue(RedisCommand("SET", key: stays).adding("changed"))
            }
        }
        #expect(error?.redisCode == "TRYAGAIN", "\(String(describing: error))")
        #expect(try cluster.direct(to).pipeline([RedisCommand("ASKING"), RedisCommand("GET", key: moved)])[1] == .bulk(Array("m".utf8)))
        #expect(try cluster.direct(from).send(RedisCommand("GET", key: stays)) == .bulk(Array("s".utf8)))

        // Once the migration is over, the same transaction runs.
        var rest = RedisCommand("MIGRATE")
        for word in ["127.0.0.1", "\(to.port)", "", "0", "5000", "KEYS"] { rest.append(word) }
        rest.append(key: stays)
        #expect(try cluster.direct(from).send(rest) == .status("OK"))
        try finishMigration(of: slot, to: to)
        try connection.transaction(watching: [moved, stays]) { transaction throws(PotteryError) in
            transaction.enqueue(RedisCommand("SET", key: moved).adding("changed"))
            transaction.enqueue(RedisCommand("SET", key: stays).adding("changed"))
        }
        #expect(try connection.send(RedisCommand("GET", key: stays)) == .bulk(Array("changed".utf8)))
    }
}

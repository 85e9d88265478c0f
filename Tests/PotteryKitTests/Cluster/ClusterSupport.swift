import PotteryKit
import PotteryTestSupport

/// Helpers shared by the cluster suites.
enum ClusterCheck {
    /// Raw bytes of `key` as a sorted list of strings, read with `command` (`HGETALL`, `SMEMBERS`, `LRANGE`):
    /// what a single server and a cluster must hold alike.
    static func raw(_ connection: RedisConnection, _ command: String, _ key: RedisKey, extra: [String] = []) throws -> [String] {
        var read = RedisCommand(command, key: key)
        for argument in extra { read.append(argument) }
        return (try connection.send(read).array ?? []).map { String(decoding: $0.bytes ?? [], as: UTF8.self) }
    }

    /// The port of the master that holds `key` now: the master of the key's slot
    /// (`CLUSTER KEYSLOT`), asked directly whether it has the key.
    static func holder(of key: RedisKey, in cluster: RedisCluster) throws -> Int? {
        var keyslot = RedisCommand("CLUSTER")
        keyslot.append("KEYSLOT")
        keyslot.append(bytes: key.bytes)
        let slot = try cluster.direct(cluster.nodes[0]).send(keyslot).integer.map(Int.init) ?? -1
        let master = try cluster.master(of: slot)
        var exists = RedisCommand("EXISTS")
        exists.append(bytes: key.bytes)
        return try cluster.direct(master).send(exists) == .integer(1) ? master.port : nil
    }

    /// A prefix unique to this test run, so suites sharing a cluster keep apart.
    static func prefix(_ name: String) -> String { "cl-\(name)-\(RandomTag.next()):" }
}

/// Random tags for key names.
enum RandomTag {
    static func next() -> String { String(UInt64.random(in: 0..<UInt64.max), radix: 36) }
}

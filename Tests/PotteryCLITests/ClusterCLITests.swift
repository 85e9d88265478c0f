import PotteryKit
import PotteryTestSupport
import Testing

/// pottery-cli with `--url redis+cluster://...` (and `$REDIS_URL`): the same
/// verbs, the same bytes, `keys` over every master.
@Suite struct ClusterCLITests {
    let cluster = RedisCluster.shared

    @Test func dictSetGetAndKeysOnACluster() throws {
        let prefix = "clcli-\(UInt64.random(in: 0..<UInt64.max)):"
        for index in 0..<12 {
            let set = try CLI.run(["--url", cluster.url, "dict", "set", "\(prefix)\(index)", "jack", "\(index)"], url: nil)
            #expect(set.status == 0, "\(set)")
        }
        let get = try CLI.run(["dict", "get", "\(prefix)7", "jack"], url: cluster.url)  // $REDIS_URL
        #expect(get.status == 0 && get.out == "7\n", "\(get)")
        let single = try CLI.run(["dict", "set", "\(prefix)7", "jack", "7"])
        #expect(single.status == 0)
        let raw = try cluster.connection().send(RedisCommand("HGETALL", key: RedisKey("\(prefix)7")))
        #expect(raw == (try RedisServer.shared.connection().send(RedisCommand("HGETALL", key: RedisKey("\(prefix)7")))))

        let keys = try CLI.run(["--url", cluster.url, "keys", prefix + "*"], url: nil)
        #expect(keys.status == 0, "\(keys)")
        let listed = Set(try #require(keys.json?.arrayValue).compactMap(\.stringValue))
        #expect(listed == Set((0..<12).map { "\(prefix)\($0)" }))
        // The keys live on every master.
        var holders: Set<Int?> = []
        for index in 0..<12 { holders.insert(try ClusterHolder.port(of: RedisKey("\(prefix)\(index)"), in: cluster)) }
        #expect(holders == Set(try cluster.masters().map(\.port)))

        let completion = try CLI.run(["__complete-keys", prefix + "1", "--url", cluster.url], url: nil)
        #expect(completion.status == 0, "\(completion)")
        #expect(Set(completion.out.split(separator: "\n").map(String.init)) == ["\(prefix)1", "\(prefix)10", "\(prefix)11"])
    }

    @Test func aCrossSlotOperationIsAUsageErrorNamingHashTags() throws {
        let prefix = "clcli-\(UInt64.random(in: 0..<UInt64.max))"
        #expect(try CLI.run(["--url", cluster.url, "hll", "add", "\(prefix)-a", "1"], url: nil).status == 0)
        let merge = try CLI.run(["--url", cluster.url, "hll", "merge", "\(prefix)-b", "\(prefix)-a"], url: nil)
        #expect(merge.status == 2, "\(merge)")
        #expect(merge.err.contains("{hash tag}"), "\(merge)")
        let tagged = try CLI.run(["--url", cluster.url, "hll", "add", "{\(prefix)}a", "1"], url: nil)
        #expect(tagged.status == 0)
        let mergeTagged = try CLI.run(["--url", cluster.url, "hll", "merge", "{\(prefix)}b", "{\(prefix)}a"], url: nil)
        #expect(mergeTagged.status == 0, "\(mergeTagged)")
    }
}

/// Which master holds a key (asked of the slot's master directly).
enum ClusterHolder {
    static func port(of key: RedisKey, in cluster: RedisCluster) throws -> Int? {
        var keyslot = RedisCommand("CLUSTER")
        keyslot.append("KEYSLOT")
        keyslot.append(bytes: key.bytes)
        let slot = try cluster.direct(cluster.nodes[0]).send(keyslot).integer.map(Int.init) ?? -1
        let master = try cluster.master(of: slot)
        return try cluster.direct(master).send(RedisCommand("EXISTS", key: key)) == .integer(1) ? master.port : nil
    }
}

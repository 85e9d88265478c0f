import PotteryKit
import PotteryTestSupport
import Testing

/// Containers on a 3-master cluster: keys spread over every master, the bytes
/// the same as on one server.
@Suite struct ClusterContainerTests {
    let cluster = RedisCluster.shared

    @Test func dictsSetsListsAndCountersOverEveryMasterWithPotteryBytes() throws {
        let onCluster = cluster.connection()
        let single = RedisServer.shared.connection()
        let prefix = ClusterCheck.prefix("containers")
        var holders: Set<Int> = []
        for index in 0..<24 {
            let name = "\(prefix)\(index)"
            for connection in [onCluster, single] {
                let dict = RedisDict<String, JSONValue>(connection, key: RedisKey(name + ":dict"))
                try dict.update([(key: "a", value: 1), (key: "b", value: ["x": 1.5, "y": [true, nil]]), (key: "é", value: "ü")])
                #expect(try dict.get("b") == ["x": 1.5, "y": [true, nil]])
                let set = RedisSet<JSONValue>(connection, key: RedisKey(name + ":set"))
                _ = try set.add([1, "two", [3]])
                #expect(try set.contains("two"))
                let list = RedisList<JSONValue>(connection, key: RedisKey(name + ":list"))
                try list.extend([1, "two", ["three": 3]])
                try list.insert(0, at: 0)
                #expect(try list.element(at: -1) == ["three": 3])
                let counter = RedisCounter<String>(connection, key: RedisKey(name + ":counter"))
                try counter.update(["a", "b", "a"])
                try counter.subtract(["b"])
                #expect(try counter.count(of: "a") == 2)
            }
            for (suffix, read, extra) in [(":dict", "HGETALL", []), (":set", "SMEMBERS", []), (":list", "LRANGE", ["0", "-1"]),
                                          (":counter", "HGETALL", [])] {
                let key = RedisKey(name + suffix)
                let expected = try ClusterCheck.raw(single, read, key, extra: extra)
                let actual = try ClusterCheck.raw(onCluster, read, key, extra: extra)
                #expect(read == "LRANGE" ? actual == expected : actual.sorted() == expected.sorted(), "\(key)")
                #expect(!expected.isEmpty)
                if let port = try ClusterCheck.holder(of: key, in: cluster) { holders.insert(port) }
            }
        }
        // 96 keys land on every master.
        #expect(holders.count == 3)
    }

    @Test func temporaryContainersAndAsyncCallsWork() async throws {
        let connection = cluster.connection()
        let dict = try RedisDict<String, Int>(temporaryOn: connection)
        try dict.set(7, for: "seven")
        #expect(try await dict.async.get("seven") == 7)
        let replies = try await connection.async.pipeline([RedisCommand("HLEN", key: dict.key), RedisCommand("PING")])
        #expect(replies == [.integer(1), .status("PONG")])
    }

    @Test func aPipelineSpanningEveryMasterKeepsTheCallersOrder() throws {
        let connection = cluster.connection()
        let prefix = ClusterCheck.prefix("pipeline")
        var commands: [RedisCommand] = []
        for index in 0..<60 {
            var set = RedisCommand("SET", key: RedisKey("\(prefix)\(index)"))
            set.append("v\(index)")
            commands.append(set)
            commands.append(RedisCommand("GET", key: RedisKey("\(prefix)\(index)")))
            commands.append(RedisCommand("STRLEN", key: RedisKey("\(prefix)\(index)")))
            if index % 10 == 0 { commands.append(RedisCommand("PING")) }
        }
        let replies = try connection.pipeline(commands)
        var position = 0
        for index in 0..<60 {
            #expect(replies[position] == .status("OK"))
            #expect(replies[position + 1] == .bulk(Array("v\(index)".utf8)))
            #expect(replies[position + 2] == .integer(Int64("v\(index)".utf8.count)))
            position += 3
            if index % 10 == 0 {
                #expect(replies[position] == .status("PONG"))
                position += 1
            }
        }
        #expect(position == replies.count)
        var holders: Set<Int?> = []
        for index in 0..<60 { holders.insert(try ClusterCheck.holder(of: RedisKey("\(prefix)\(index)"), in: cluster)) }
        #expect(holders == Set(try cluster.masters().map(\.port)))
    }

    @Test func scriptsHyperLogLogsAndBloomFiltersStayInTheirKeysSlot() throws {
        let connection = cluster.connection()
        let prefix = ClusterCheck.prefix("prob")
        let hll = HyperLogLog<Int>(connection, key: RedisKey(prefix + "hll"))
        try hll.update(Array(0..<600))  // the local-registers path: a temporary key merged with PFMERGE
        #expect(try hll.containsMany([1, 100_000]) == [true, false])
        let bloom = try BloomFilter<String>(connection, key: RedisKey(prefix + "bloom"), numElements: 100,
                                            falsePositives: 0.01, guardsSizing: true)
        try bloom.update(["a", "b"])
        #expect(try bloom.contains("a"))
        let sizing = BloomFilter<String>.sizingKey(for: bloom.key, on: connection)
        #expect(try connection.send(RedisCommand("EXISTS", key: sizing)) == .integer(1))
        #expect(String(decoding: sizing.bytes, as: UTF8.self).hasSuffix(prefix + "bloom:bloom-sizing"))
    }
}

@testable import PotteryKit
import PotteryTestSupport
import Testing

@Suite struct HashSlotTests {
    @Test func crc16AndSlotVectors() {
        #expect(HashSlot.crc16(Array("123456789".utf8)) == 0x31C3)
        #expect(HashSlot.of(Array("123456789".utf8)) == 0x31C3 % 16384)
        #expect(HashSlot.of(Array("".utf8)) == 0)
        #expect(HashSlot.of(Array("{user1000}.following".utf8)) == HashSlot.of(Array("{user1000}.followers".utf8)))
        #expect(HashSlot.of(Array("{user1000}.following".utf8)) == HashSlot.of(Array("user1000".utf8)))
        // `{}` is no tag: the whole key hashes.
        #expect(HashSlot.of(Array("foo{}{bar}".utf8)) == Int(HashSlot.crc16(Array("foo{}{bar}".utf8)) % 16384))
        #expect(HashSlot.of(Array("foo{{bar}}zap".utf8)) == HashSlot.of(Array("{bar".utf8)))
        #expect(HashSlot.of(Array("foo{bar}{zap}".utf8)) == HashSlot.of(Array("bar".utf8)))
        #expect(HashSlot.of(Array("foo{bar".utf8)) == Int(HashSlot.crc16(Array("foo{bar".utf8)) % 16384))
    }

    @Test func everySlotHasATagThatHashesToIt() {
        for slot in 0..<HashSlot.count {
            #expect(HashSlot.of(Array(HashSlot.tag(forSlot: slot).utf8)) == slot)
        }
    }

    /// The server's `CLUSTER KEYSLOT` agrees on keys with and without tags, bytes that are not UTF-8 included.
    @Test func agreesWithTheServer() throws {
        let cluster = RedisCluster.shared
        let node = cluster.direct(cluster.nodes[0])
        var generator = SeededGenerator(seed: 19)
        var keys: [[UInt8]] = ["{user1000}.following", "foo{}{bar}", "foo{{bar}}zap", "a{b}c{d}", "{", "}{", "é{ü}"].map { Array($0.utf8) }
        for _ in 0..<300 {
            let length = Int.random(in: 0..<12, using: &generator)
            keys.append((0..<length).map { _ in [UInt8(ascii: "{"), UInt8(ascii: "}"), 0x61, 0x62, 0xff, 0x00][Int.random(in: 0..<6, using: &generator)] })
        }
        let commands = keys.map { key -> RedisCommand in
            var command = RedisCommand("CLUSTER")
            command.append("KEYSLOT")
            command.append(bytes: key)
            return command
        }
        let replies = try node.pipeline(commands)
        for (key, reply) in zip(keys, replies) {
            #expect(reply.integer.map(Int.init) == HashSlot.of(key), "key \(key)")
        }
    }
}

@Suite struct ClusterURLTests {
    @Test func seedsCredentialsAndMask() throws {
        let configuration = try RedisConfiguration(url: "redis+cluster://alice:s3cret@127.0.0.1:7000,[::1]:7001,node-c:7002")
        #expect(configuration.isCluster)
        #expect(configuration.clusterSeeds == [.tcp(host: "127.0.0.1", port: 7000), .tcp(host: "::1", port: 7001),
                                               .tcp(host: "node-c", port: 7002)])
        #expect(configuration.username == "alice")
        #expect(configuration.password == "s3cret")
        #expect(configuration.maskedURL == "redis+cluster://alice:***@127.0.0.1:7000,[::1]:7001,node-c:7002")
        let single = try RedisConfiguration(url: "redis+cluster://h:7000/0")
        #expect(single.clusterSeeds == [.tcp(host: "h", port: 7000)])
        #expect(try !RedisConfiguration(url: "redis://h:7000").isCluster)
    }

    @Test func malformedClusterURLsAreRefusedMasked() {
        for url in ["redis+cluster://:pw@h:7000,,h:7001", "redis+cluster://:pw@h:7000/3", "redis+cluster://:pw@h:notaport",
                    "redis+cluster://:pw@h:7000?db=2"] {
            let error = #expect(throws: PotteryError.self) { try RedisConfiguration(url: url) }
            #expect(error?.code == .invalidURL, "\(url)")
            #expect(error?.message.contains("pw") == false, "\(url)")
        }
    }
}

import PotteryKit
import PotteryTestSupport
import Testing

/// The async forms of the initializers that write (`make`, `makeTemporary`):
/// the same bytes as the sync initializers, the same errors, and temporary
/// keys that are made free and deleted when the handle goes.
@Suite struct AsyncCreationTests {
    let connection = RedisServer.shared.connection()

    func exists(_ key: RedisKey) throws -> Bool {
        try connection.send(RedisCommand("EXISTS", key: key)) == .integer(1)
    }

    @Test func contentsAreWrittenAsTheSyncInitializersWriteThem() async throws {
        let keys = (0..<12).map { uniqueKey("create-\($0)") }
        _ = try RedisDict<String, Int>(connection, key: keys[0], contents: [("a", 1), ("b", 2)])
        _ = try await RedisDict<String, Int>.make(connection, key: keys[1], contents: [("a", 1), ("b", 2)])
        _ = try RedisSet<JSONValue>(connection, key: keys[2], contents: [1, "x", 1.5])
        _ = try await RedisSet<JSONValue>.make(connection, key: keys[3], contents: [1, "x", 1.5])
        _ = try RedisList<String>(connection, key: keys[4], contents: ["a", "b", "a"])
        _ = try await RedisList<String>.make(connection, key: keys[5], contents: ["a", "b", "a"])
        _ = try RedisDeque<Int>(connection, key: keys[6], contents: [1, 2, 3, 4], maxlen: 2)
        _ = try await RedisDeque<Int>.make(connection, key: keys[7], contents: [1, 2, 3, 4], maxlen: 2)
        _ = try RedisCounter<String>(connection, key: keys[8], counting: ["a", "b", "a"])
        _ = try await RedisCounter<String>.make(connection, key: keys[9], counting: ["a", "b", "a"])
        try await RedisDict<String, Int>(connection, key: keys[10]).async.set(5, for: "tea")
        let cached = try await CachedOrderedDict<String, Int>.make(connection, key: keys[10], dictKeys: ["tea", "coffee"])
        #expect(cached.misses == ["coffee"])
        for pair in stride(from: 0, to: 10, by: 2) { try expectSameBytes(connection, keys[pair], keys[pair + 1]) }
        #expect(try storedBytes(connection, keys[7]) == ["list", "3", "4"])
        for key in keys { try connection.send(RedisCommand("DEL", key: key)) }
    }

    @Test func anExistingKeyIsRefusedAndKeptAsItWas() async throws {
        let key = uniqueKey("create-existing")
        try makeString(connection, key)
        await expectSame("dict", { _ = try RedisDict<String, Int>(connection, key: key, contents: [("a", 1)]) },
                         { _ = try await RedisDict<String, Int>.make(connection, key: key, contents: [("a", 1)]) })
        await expectSame("list", { _ = try RedisList<Int>(connection, key: key, contents: [1]) },
                         { _ = try await RedisList<Int>.make(connection, key: key, contents: [1]) })
        await expectSame("deque", { _ = try RedisDeque<Int>(connection, key: key, contents: [1], maxlen: -1) },
                         { _ = try await RedisDeque<Int>.make(connection, key: key, contents: [1], maxlen: -1) })
        let error = await #expect(throws: PotteryError.self) {
            _ = try await RedisSet<Int>.make(connection, key: key, contents: [1])
        }
        #expect(error?.code == .keyExists)
        #expect(try connection.send(RedisCommand("GET", key: key)) == .bulk(Array("not a container".utf8)))
        try connection.send(RedisCommand("DEL", key: key))
    }

    @Test func temporaryContainersGetAFreeKeyAndLoseItWithTheHandle() async throws {
        var made: [RedisKey] = []
        do {
            let dict = try await RedisDict<String, Int>.makeTemporary(on: connection)
            try await dict.async.set(1, for: "a")
            let set = try await RedisSet<Int>.makeTemporary(on: connection)
            try await set.async.add(1)
            let list = try await RedisList<Int>.makeTemporary(on: connection)
            try await list.async.append(1)
            let counter = try await RedisCounter<String>.makeTemporary(on: connection)
            try await counter.async.update(["a"])
            let hll = try await HyperLogLog<String>.makeTemporary(on: connection)
            try await hll.async.add("a")
            let bloom = try await BloomFilter<String>.makeTemporary(
                on: connection, sizing: try BloomFilterSizing(numElements: 100, falsePositives: 0.01))
            try await bloom.async.add("a")
            let queue = try await RedisSimpleQueue<Int>.makeTemporary(on: connection)
            try await queue.async.put(1)
            let cache = try await RedisCache.makeTemporary(on: connection)
            made = [dict.key, set.key, list.key, counter.key, hll.key, bloom.key, queue.key, cache.key]
            #expect(Set(made).count == made.count)
            for key in made {
                #expect(key.description.hasPrefix("pottery:"))
                if key != cache.key { #expect(try exists(key), "\(key)") }
            }
        }
        // The handles are gone (the I/O threads that made them let go soon after): each
        // UNLINK goes out at once or with the connection's next call.
        var left = made
        for _ in 0..<100 where !left.isEmpty {
            _ = try connection.send(RedisCommand("PING"))
            left = try left.filter { try exists($0) }
            if !left.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(left.isEmpty, "\(left)")
    }

    /// The I/O threads keep nothing of a finished call: a temporary handle used
    /// through them is released (and its key deleted) once the caller drops it.
    @Test func theIOThreadsKeepNoHandleAlive() async throws {
        func use() async throws -> RedisKey {
            let list = try RedisList<Int>(temporaryOn: connection)
            try await list.async.append(1)
            #expect(try await list.async.index(of: 1) == 0)  // runs on an I/O thread
            return list.key
        }
        let key = try await use()
        _ = try connection.send(RedisCommand("PING"))
        #expect(try !exists(key))
    }
}

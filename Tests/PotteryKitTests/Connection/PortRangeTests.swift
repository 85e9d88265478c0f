import PotteryKit
import PotteryTestSupport
import Testing

/// A port out of range in a configuration built in code is an error, never a trap.
@Suite struct PortRangeTests {
    @Test(arguments: [70000, 0, -1, 65536, Int.max, Int.min])
    func aPortOutOfRangeIsAnInvalidURLError(port: Int) throws {
        let connection = RedisConnection(RedisConfiguration(endpoint: .tcp(host: "127.0.0.1", port: port)))
        let error = try #require(throws: PotteryError.self) { try connection.send(RedisCommand("PING")) }
        #expect(error.code == .invalidURL)
        #expect(error.message.contains("\(port)"))
        #expect(error.message.contains("out of range"))
        // Every call says so again; nothing is cached half-made.
        let again = try #require(throws: PotteryError.self) { try connection.pipeline([RedisCommand("PING")]) }
        #expect(again.code == .invalidURL)
    }

    @Test func aPortOutOfRangeFailsOnlyItsOwnPartOfAFanOut() throws {
        let good = RedisServer.shared.connection()
        let bad = RedisConnection(RedisConfiguration(endpoint: .tcp(host: "127.0.0.1", port: 70000)))
        let results = try RedisFanOut.pipelines([(good, [Engine.echo("one")]), (bad, [Engine.echo("two")])])
        #expect(try results[0].get() == [Engine.bulk("one")])
        #expect(Engine.failure(results[1])?.code == .invalidURL)
    }

    @Test func theHighestAndLowestPortsAreAccepted() throws {
        // In range: the connect is refused (nothing listens), not rejected as invalid.
        for port in [1, 65535] {
            let connection = RedisConnection(RedisConfiguration(endpoint: .tcp(host: "127.0.0.1", port: port)))
            let error = try #require(throws: PotteryError.self) { try connection.send(RedisCommand("PING")) }
            #expect(error.code == .connectionError, "port \(port): \(error)")
        }
    }
}

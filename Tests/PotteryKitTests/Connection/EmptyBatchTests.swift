import PotteryKit
import PotteryTestSupport
import Testing

/// An exchange with nothing to send returns at once with nothing.
@Suite struct EmptyBatchTests {
    let server = RedisServer.shared

    @Test func anEmptyPipelineReturnsAtOnce() throws {
        let connection = server.connection()
        try connection.send(RedisCommand("PING"))  // connected
        let (outcome, took) = try #require(Engine.bounded { () throws(PotteryError) in try connection.pipeline([]) })
        #expect(try outcome.get() == [])
        #expect(took < .milliseconds(500))
        #expect(try connection.send(Engine.echo("next")) == Engine.bulk("next"))
    }

    @Test func anEmptyPipelineOnANewConnectionReturnsAtOnce() throws {
        var configuration = try RedisConfiguration(url: server.url)
        configuration.database = 2  // a SELECT to send first
        let connection = RedisConnection(configuration)
        let (outcome, took) = try #require(Engine.bounded { () throws(PotteryError) in try connection.pipeline([]) })
        #expect(try outcome.get() == [])
        #expect(took < .milliseconds(500))
        #expect(try connection.send(Engine.echo("next")) == Engine.bulk("next"))
    }

    @Test func anEmptyBatchInAFanOutAndInATransaction() throws {
        let connections = (0..<3).map { _ in server.connection() }
        for connection in connections { try connection.send(RedisCommand("PING")) }
        let (outcome, took) = try #require(Engine.bounded { () throws(PotteryError) in
            try RedisFanOut.pipelines([(connections[0], [Engine.echo("a")]), (connections[1], []), (connections[2], [Engine.echo("c")])])
        })
        #expect(took < .milliseconds(500))
        #expect(try outcome.get().map { try? $0.get() } == [[Engine.bulk("a")], [], [Engine.bulk("c")]])
        let key = uniqueKey()
        let (inside, insideTook) = try #require(Engine.bounded { () throws(PotteryError) in
            try connections[0].transaction(watching: [key]) { transaction throws(PotteryError) in
                try transaction.pipeline([])
            }
        })
        #expect(insideTook < .milliseconds(500))
        #expect(try inside.get().value == [])
    }
}

import PotteryKit
import PotteryTestSupport
import Testing

/// Commands are written in RESP straight into hiredis's output buffer, whose
/// memory is kept from call to call: every argument length and count reaches
/// the server intact, a large batch after small calls and small calls after a
/// large batch included.
@Suite struct RESPWritingTests {
    /// Lengths around each change in the number of digits of `$N`, and past the
    /// 64 KB the output buffer keeps.
    @Test(arguments: [0, 1, 9, 10, 99, 100, 999, 1000, 65_535, 65_536, 200_000])
    func everyArgumentLengthReachesTheServer(length: Int) throws {
        let connection = RedisServer.shared.connection()
        let key = uniqueKey()
        let value = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }  // NUL and CR LF bytes included
        var set = RedisCommand("SET", key: key)
        set.append(bytes: value)
        #expect(try connection.send(set) == .status("OK"))
        #expect(try connection.send(RedisCommand("STRLEN", key: key)) == .integer(Int64(length)))
        #expect(try connection.send(RedisCommand("GET", key: key)) == .bulk(value))
    }

    /// Argument counts around each change in the number of digits of `*N`.
    @Test(arguments: [1, 8, 9, 98, 99, 999, 1000])
    func everyArgumentCountReachesTheServer(elements: Int) throws {
        let connection = RedisServer.shared.connection()
        let key = uniqueKey()
        var push = RedisCommand("RPUSH", key: key)
        let values = (0..<elements).map { Array("e\($0)".utf8) }
        for value in values { push.append(bytes: value) }
        #expect(try connection.send(push) == .integer(Int64(elements)))
        var range = RedisCommand("LRANGE", key: key)
        range.append(0)
        range.append(-1)
        #expect(try connection.send(range) == .array(values.map { .bulk($0) }))
    }

    @Test func smallCallsAfterALargeBatchAndTheOtherWayRound() throws {
        let connection = RedisServer.shared.connection()
        let key = uniqueKey()
        #expect(try connection.send(Engine.echo("before")) == Engine.bulk("before"))
        let big = Array(repeating: UInt8(ascii: "x"), count: 300_000)
        let batch = (0..<20).map { index -> RedisCommand in
            var command = RedisCommand("HSET", key: key)
            command.append("f\(index)")
            command.append(bytes: big)
            return command
        }
        #expect(try connection.pipeline(batch) == Array(repeating: .integer(1), count: 20))
        #expect(try connection.send(Engine.echo("after")) == Engine.bulk("after"))
        var length = RedisCommand("HSTRLEN", key: key)
        length.append("f19")
        #expect(try connection.send(length) == .integer(300_000))
    }

    @Test func keyPositionsOfCommandsWithNoneOneAndSeveralKeys() {
        var none = RedisCommand("PING")
        none.append("x")
        #expect(none.keyPositions.isEmpty && none.keys.isEmpty && none.firstKey == nil)

        let one = RedisCommand("GET", key: RedisKey("a"))
        #expect(one.keyPositions == [1] && one.keys == [RedisKey("a")] && one.firstKey == RedisKey("a"))

        var several = RedisCommand("MSET", key: RedisKey("a"))
        several.append("1")
        several.append(key: RedisKey("b"))
        several.append("2")
        several.append(key: RedisKey("c"))
        several.append("3")
        #expect(several.keyPositions == [1, 3, 5])
        #expect(several.keys == [RedisKey("a"), RedisKey("b"), RedisKey("c")])
        #expect(several.firstKey == RedisKey("a"))
    }

    /// A new socket to a database other than 0 sends `SELECT` first: a script the
    /// server forgot still gets its reply in its own place, after that prefix.
    @Test func aScriptFallbackAfterTheSelectOfANewSocket() throws {
        let own = try RedisServer()  // SCRIPT FLUSH is server-wide
        let script = RedisScript("return 'tag:' .. ARGV[1]")
        let connection = own.connection(database: 3)
        let replies = try connection.pipeline([
            Engine.echo("first"),
            script.command(arguments: [Array("x".utf8)]),
            Engine.echo("last"),
        ])
        #expect(replies == [Engine.bulk("first"), Engine.bulk("tag:x"), Engine.bulk("last")])
    }
}

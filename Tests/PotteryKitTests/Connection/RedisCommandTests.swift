import PotteryKit
import PotteryTestSupport
import Testing

/// How a command's arguments are written: integers as Python's `str(n)`, and
/// the server sees exactly those bytes.
@Suite struct RedisCommandTests {
    @Test(arguments: [0, 7, -7, 10, -10, 1_234_567_890, Int.max, Int.min])
    func integersAreDecimalText(value: Int) throws {
        var command = RedisCommand("ECHO")
        command.append(value)
        #expect(command.arguments == [Array("ECHO".utf8), Array(String(value).utf8)])
        #expect(try RedisServer.shared.connection().send(command) == .bulk(Array(String(value).utf8)))
    }

    @Test func argumentsKeepTheirBoundaries() {
        var command = RedisCommand("SET", key: RedisKey("k"))
        command.append(-1)
        command.append(bytes: [])
        command.append("")
        command.append(0)
        #expect(command.arguments.map { String(decoding: $0, as: UTF8.self) } == ["SET", "k", "-1", "", "", "0"])
        #expect(command.keys == [RedisKey("k")])
    }
}

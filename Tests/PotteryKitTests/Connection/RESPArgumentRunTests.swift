@testable import PotteryKit
import PotteryTestSupport
import Testing

/// Arguments written once in RESP (``RESPArgumentWriter``) and attached to a
/// command as a run: the command's RESP is byte for byte the one of the same
/// arguments appended one by one, its arguments read back the same, and the
/// server receives every one intact.
@Suite struct RESPArgumentRunTests {
    /// Lengths around each change in the number of digits of `$N`, and enough
    /// bytes to make the writer grow several times.
    static let lengths = [0, 1, 9, 10, 11, 98, 99, 100, 101, 999, 1000, 10_000, 100_000]

    static func value(_ length: Int, _ seed: Int) -> [UInt8] {
        (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed) }  // NUL and CR LF bytes included
    }

    static func resp(_ command: RedisCommand) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: command.respCount) { buffer, initialized in
            command.writeRESP(to: buffer.baseAddress!)
            initialized = command.respCount
        }
    }

    @Test func aRunIsWrittenAsTheSameArgumentsAppendedOneByOne() {
        let values = Self.lengths.enumerated().map { Self.value($1, $0) }
        var writer = RESPArgumentWriter(reservingBytes: 1)
        var quoted = RESPArgumentWriter(reservingBytes: 1)
        for value in values {
            value.withUnsafeBufferPointer { writer.append($0) }
            value.withUnsafeBufferPointer { quoted.appendQuoted($0) }
        }
        #expect(writer.count == values.count)
        for (run, arguments) in [(writer.finish(), values), (quoted.finish(), values.map { [0x22] + $0 + [0x22] })] {
            var withRun = RedisCommand("RPUSH", key: "k")
            withRun.appendArguments(run)
            var oneByOne = RedisCommand("RPUSH", key: "k")
            for argument in arguments { oneByOne.append(bytes: argument) }
            #expect(withRun.count == arguments.count + 2)
            #expect(withRun.respCount == oneByOne.respCount)
            #expect(Self.resp(withRun) == Self.resp(oneByOne))
            #expect(withRun.arguments == oneByOne.arguments)
            #expect(withRun.keys == ["k"] && withRun.name == "RPUSH")
        }
    }

    @Test func anEmptyRunAddsNothing() {
        let empty = RESPArgumentWriter(reservingBytes: 0).finish()
        var command = RedisCommand("PING")
        command.appendArguments(empty)
        #expect(command.count == 1)
        #expect(Self.resp(command) == Array("*1\r\n$4\r\nPING\r\n".utf8))
    }

    /// Argument counts around each change in the number of digits of `*N`
    /// (counted with the run's arguments), sent to a real server.
    @Test(arguments: [1, 7, 8, 97, 98, 998, 999, 5000])
    func theServerReceivesEveryArgumentOfARun(elements: Int) throws {
        let connection = RedisServer.shared.connection()
        let key = uniqueKey()
        let values = (0..<elements).map { Self.value($0 % 130, $0) }
        var writer = RESPArgumentWriter(reservingBytes: 16)
        for value in values { value.withUnsafeBufferPointer { writer.append($0) } }
        var push = RedisCommand("RPUSH", key: key)
        push.appendArguments(writer.finish())
        #expect(try connection.send(push) == .integer(Int64(elements)))
        var range = RedisCommand("LRANGE", key: key)
        range.append(0)
        range.append(-1)
        #expect(try connection.send(range) == .array(values.map { .bulk($0) }))
        _ = try connection.send(RedisCommand("UNLINK", key: key))
    }
}

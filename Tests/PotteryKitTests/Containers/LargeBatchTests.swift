import PotteryKit
import PotteryTestSupport
import Testing

/// A batch of tens of thousands of elements goes to Redis as several commands
/// of at most 10,000 in one MULTI/EXEC, never as one giant command, and is
/// still all or nothing.
@Suite struct LargeBatchTests {
    /// How many times the server ran `command` since the last reset.
    func calls(_ connection: RedisConnection, _ command: String) throws -> Int {
        let info = String(decoding: try connection.send(RedisCommand("INFO").appending("commandstats")).bytes ?? [], as: UTF8.self)
        guard let line = info.split(separator: "\r\n").first(where: { $0.hasPrefix("cmdstat_\(command):calls=") }) else { return 0 }
        return Int(line.dropFirst("cmdstat_\(command):calls=".count).prefix { $0.isNumber }) ?? 0
    }

    @Test func setAddAndListExtendGoInChunksInOneTransaction() throws {
        let server = try RedisServer()
        let connection = server.connection()
        try connection.send(RedisCommand("CONFIG").appending("RESETSTAT"))
        let set = RedisSet<Int>(connection, key: "big-set")
        #expect(try set.add(Array(0..<25_001) + [7]) == 25_001)
        #expect(try set.count() == 25_001)
        #expect(try calls(connection, "sadd") == 3 && calls(connection, "exec") == 1)
        #expect(try set.add(Array(20_000..<30_001)) == 5_000)  // new ones only, across chunks

        let list = RedisList<Int>(connection, key: "big-list")
        try list.extend(Array(0..<20_500))
        #expect(try calls(connection, "rpush") == 3)
        #expect(try list.count() == 20_500)
        #expect(try list.element(at: 10_000) == 10_000 && list.element(at: -1) == 20_499)
    }

    @Test func aLargeBatchOnAKeyOfAnotherTypeChangesNothing() throws {
        let connection = RedisServer.shared.connection()
        let key = uniqueKey()
        var hset = RedisCommand("HSET", key: key)
        hset.append("f")
        hset.append("v")
        try connection.send(hset)
        for write in [{ _ = try RedisSet<Int>(connection, key: key).add(Array(0..<25_000)) },
                      { try RedisList<Int>(connection, key: key).extend(Array(0..<25_000)) }] as [() throws -> Void] {
            let error = #expect(throws: PotteryError.self) { try write() }
            #expect(error?.code == .wrongType)
        }
        #expect(try connection.send(RedisCommand("HLEN", key: key)) == .integer(1))
        try connection.send(RedisCommand("DEL", key: key))
    }
}

extension RedisCommand {
    /// This command with one more argument.
    func appending(_ argument: String) -> RedisCommand {
        var command = self
        command.append(argument)
        return command
    }
}

import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// A million elements on stdin (issue 16): they reach Redis in chunks of
/// `ContainerStorage.chunkSize` inside one `MULTI`/`EXEC`, never as one giant
/// command, and every one of them arrives.
@Suite struct MillionElementStdinTests {
    @Test func aMillionElementsFromStdinGoInChunksAndAllArrive() throws {
        let server = try RedisServer()  // its own: the command counts below are this test's alone
        let count = 1_000_000
        var input: [UInt8] = []
        input.reserveCapacity(count * 8)
        for index in 0..<count { input += Array("e\(index)\n".utf8) }
        let result = try CLI.run(["set", "add", "million", "-"], url: server.url, stdin: input)
        #expect(result.status == 0, "\(result)")
        let connection = server.connection()
        #expect(try connection.send(RedisCommand("SCARD", key: "million")) == .integer(Int64(count)))
        var member = RedisCommand("SISMEMBER", key: "million")
        member.append("\"e999999\"")
        #expect(try connection.send(member) == .integer(1))
        var info = RedisCommand("INFO")
        info.append("commandstats")
        let stats = String(decoding: try connection.send(info).bytes ?? [], as: UTF8.self)
        let sadd = stats.split(separator: "\r\n").first { $0.hasPrefix("cmdstat_sadd:") }.map(String.init) ?? ""
        // 1,000,000 elements in chunks of 10,000: a hundred SADDs, in one transaction.
        #expect(sadd.hasPrefix("cmdstat_sadd:calls=100,"), "\(sadd)")
        #expect(stats.contains("cmdstat_exec:calls=1,"), "\(stats)")
    }
}

import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// pottery-cli behind a ``FaultProxy``: a reply cut, reset or stalled is exit 3
/// with the contract's JSON error, never a partial document on stdout, and a
/// write cut half-way leaves the data as it was.
@Suite struct NetworkFaultCLITests {
    @Test(arguments: [FaultProxy.Fault.truncateReplies(afterBytes: 2_000), .resetReplies(afterBytes: 2_000)])
    func aLargeReplyCutHalfWayIsExitThreeAndNothingOnStdout(fault: FaultProxy.Fault) throws {
        let server = try RedisServer()
        let proxy = try FaultProxy(to: server)
        defer { proxy.stop() }
        let key = uniqueKey()
        let pairs = (0..<2_000).flatMap { ["field\($0)", "\($0)"] }
        #expect(try CLI.run(["dict", "update", key] + pairs, url: server.url).status == 0)

        proxy.set(fault)
        let cut = try CLI.run(["dict", "items", key], url: proxy.url)
        #expect(cut.status == 3, "\(cut)")
        #expect(cut.error?.type == "ConnectionError", "\(cut)")
        #expect(cut.stdout.isEmpty, "a partial document: \(cut)")

        proxy.set(.none)
        let whole = try CLI.run(["dict", "len", key], url: proxy.url)
        #expect(whole.status == 0 && whole.out == "2000\n", "\(whole)")
    }

    @Test func aStalledServerIsATimeoutAndExitThree() throws {
        let server = try RedisServer()
        let proxy = try FaultProxy(to: server)
        defer { proxy.stop() }
        proxy.set(.stall)
        let stalled = try CLI.run(["--io-timeout", "0.3", "dict", "len", uniqueKey()], url: proxy.url)
        #expect(stalled.status == 3, "\(stalled)")
        #expect(stalled.error?.type == "TimeoutError", "\(stalled)")
        #expect(stalled.error?.message.contains("outcome is unknown") == true, "\(stalled)")
        #expect(stalled.stdout.isEmpty)
    }

    @Test(arguments: [
        ["dict", "update", "KEY"] + (0..<3_000).flatMap { ["f\($0)", "\($0)"] },
        ["list", "extend", "KEY"] + (0..<3_000).map { "\($0)" },
        ["counter", "update", "KEY"] + (0..<3_000).map { "e\($0)" },
        ["set", "add", "KEY"] + (0..<3_000).map { "\($0)" },
    ])
    func aWriteCutByAResetIsExitThreeAndChangesNothing(arguments: [String]) throws {
        let server = try RedisServer()
        let proxy = try FaultProxy(to: server)
        defer { proxy.stop() }
        let key = uniqueKey()
        let command = arguments.map { $0 == "KEY" ? key : $0 }
        #expect(try CLI.run(Array(command.prefix(5)), url: server.url).status == 0)
        let dump = { () throws -> RedisReply in try server.connection().send(RedisCommand("DUMP", key: RedisKey(key))) }
        let before = try dump()

        proxy.set(.resetRequests(afterBytes: 10_000))
        let cut = try CLI.run(command, url: proxy.url)
        #expect(cut.status == 3, "\(cut)")
        #expect(cut.error?.type == "ConnectionError", "\(cut)")
        #expect(try dump() == before)
    }
}

@testable import PotteryKit
import PotteryTestSupport
import Testing

@Suite struct HostResolverTests {
    @Test func resolvesNamesToEveryNumericAddress() {
        #expect(HostResolver.addresses(of: "127.0.0.1") == ["127.0.0.1"])
        #expect(HostResolver.addresses(of: "::1") == ["::1"])
        #expect(HostResolver.addresses(of: "localhost").contains("127.0.0.1"))
        // An unknown name is handed on as it is: hiredis words the error.
        #expect(HostResolver.addresses(of: "no-such-host.invalid") == ["no-such-host.invalid"])
    }

    @Test func localhostReachesAServerBoundToIPv4Only() throws {
        // The test servers bind 127.0.0.1 only; where localhost resolves to ::1
        // first, hiredis alone would stop at ::1's refusal.
        let connection = try RedisConnection(url: "redis://localhost:\(RedisServer.shared.port)/0")
        #expect(try connection.send(RedisCommand("PING")) == .status("PONG"))
        let unknown = try RedisConnection(url: "redis://no-such-host.invalid:6379")
        let error = try #require(throws: PotteryError.self) { try unknown.send(RedisCommand("PING")) }
        #expect(error.code == .connectionError)
    }
}

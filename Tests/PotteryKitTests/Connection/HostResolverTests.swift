#if canImport(Glibc)
import Glibc
#endif
@testable import PotteryKit
import PotteryTestSupport
import Synchronization
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

    @Test func numericAddressesNeedNoLookup() {
        for numeric in ["127.0.0.1", "::1", "fe80::1", "10.0.0.255"] { #expect(HostResolver.isNumeric(numeric), "\(numeric)") }
        for name in ["localhost", "127.0.0.1.nip.io", "", "1.2.3", "::g"] { #expect(!HostResolver.isNumeric(name), "\(name)") }
    }

    /// A resolver slower than the call's deadline: the call times out at its
    /// deadline instead of waiting for the lookup, later calls share the one
    /// lookup still running, and once it ends the name connects.
    @Test func aSlowLookupIsBoundedByTheDeadlineAndShared() throws {
        let host = "slow-resolver-\(UInt32.random(in: 0...UInt32.max)).test"
        let lookups = Atomic<Int>(0)
        let release = Atomic<Bool>(false)
        HostResolver.substitutes.withLock {
            $0[host] = {
                lookups.add(1, ordering: .relaxed)
                while !release.load(ordering: .relaxed) { usleep(10_000) }
                return ["127.0.0.1"]
            }
        }
        defer { _ = HostResolver.substitutes.withLock { $0.removeValue(forKey: host) } }
        let connection = try RedisConnection(url: "redis://\(host):\(RedisServer.shared.port)/0")
        for _ in 0..<3 {
            let error = try #require(throws: PotteryError.self) {
                try connection.send(RedisCommand("PING"), deadline: .now + .milliseconds(100))
            }
            #expect(error.code == .timeout && error.message.contains("not resolved in time"), "\(error)")
        }
        #expect(lookups.load(ordering: .relaxed) == 1)
        release.store(true, ordering: .relaxed)
        // The lookup ends now; a call with room to wait for it connects.
        #expect(try connection.send(RedisCommand("PING"), deadline: .now + .seconds(30)) == .status("PONG"))
    }
}

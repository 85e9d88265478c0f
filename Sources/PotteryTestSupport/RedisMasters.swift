import Foundation
public import PotteryKit

/// N independent `redis-server` masters for Redlock and NextID tests.
public final class RedisMasters: @unchecked Sendable {
    /// The servers, in order.
    public let servers: [RedisServer]

    /// Starts `count` servers; `config` lines go to each one's redis.conf.
    public init(_ count: Int = 5, config: [String] = []) throws {
        servers = try (0..<count).map { _ in try RedisServer(config: config) }
    }

    /// New connections, one per master, with a short I/O timeout.
    public func connections(ioTimeout: Duration = .seconds(2), connectTimeout: Duration = .milliseconds(500)) -> [RedisConnection] {
        servers.map { server in
            var configuration = try! RedisConfiguration(url: server.url)
            configuration.ioTimeout = ioTimeout
            configuration.connectTimeout = connectTimeout
            return RedisConnection(configuration)
        }
    }

    /// The masters' URLs.
    public var urls: [String] { servers.map(\.url) }

    /// Freezes server `index` (SIGSTOP) until `thaw`.
    public func freeze(_ index: Int) { Foundation.kill(servers[index].pid, SIGSTOP) }

    /// Resumes a frozen server (SIGCONT).
    public func thaw(_ index: Int) { Foundation.kill(servers[index].pid, SIGCONT) }

    /// Kills server `index` (SIGKILL) and starts it again on the same port
    /// with the same configuration (and data, when its config persists it).
    public func restart(_ index: Int) throws {
        try servers[index].restart()
    }

    deinit {
        for server in servers { Foundation.kill(server.pid, SIGCONT) }
    }
}

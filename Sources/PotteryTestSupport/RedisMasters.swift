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
    public func connections(ioTimeout: Duration = .seconds(2)) -> [RedisConnection] {
        servers.map { server in
            var configuration = try! RedisConfiguration(url: server.url)
            configuration.ioTimeout = ioTimeout
            configuration.connectTimeout = .milliseconds(500)
            return RedisConnection(configuration)
        }
    }

    /// The masters' URLs.
    public var urls: [String] { servers.map(\.url) }

    /// Freezes server `index` (SIGSTOP) until `thaw`.
    public func freeze(_ index: Int) { Foundation.kill(servers[index].pid, SIGSTOP) }

    /// Resumes a frozen server (SIGCONT).
    public func thaw(_ index: Int) { Foundation.kill(servers[index].pid, SIGCONT) }

    private var restarted: [Process] = []
    private let lock = NSLock()

    /// Kills server `index` (SIGKILL) and starts it again on the same port
    /// with the same configuration (and data, when its config persists it).
    public func restart(_ index: Int) throws {
        servers[index].kill()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        process.arguments = [servers[index].directory + "/redis.conf"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        lock.lock(); restarted.append(process); lock.unlock()
        let probe = RedisConnection(try RedisConfiguration(url: servers[index].url))
        for _ in 0..<300 {
            if (try? probe.send(RedisCommand("PING"))) == .status("PONG") { return }
            usleep(10_000)
        }
        throw RedisServerError("redis-server on port \(servers[index].port) did not restart")
    }

    deinit {
        for server in servers { Foundation.kill(server.pid, SIGCONT) }
        for process in restarted where process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

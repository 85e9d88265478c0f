import Foundation
public import PotteryKit

/// A real `redis-server` process for one test (or the whole test process),
/// listening on a loopback port and a unix socket in its own temp directory.
///
/// The server writes nothing to disk (`save ""`), allows `DEBUG SLEEP`
/// (`enable-debug-command local`) and is stopped when the object goes away or
/// the test process exits.
public final class RedisServer: @unchecked Sendable {
    /// The TCP port on 127.0.0.1.
    public let port: Int
    /// The directory holding the config, pid file and unix socket.
    public let directory: String
    /// The unix socket path.
    public var socketPath: String { directory + "/redis.sock" }
    /// `redis://127.0.0.1:PORT/0`
    public var url: String { "redis://127.0.0.1:\(port)/0" }
    /// `unix://DIR/redis.sock?db=0`
    public var unixURL: String { "unix://\(socketPath)?db=0" }
    /// The running process; replaced by ``restart()``. Guarded by `processLock`.
    private var process: Process
    private let processLock = NSLock()

    /// One server shared by every test of this process that needs no special
    /// configuration. Tests keep apart by using unique keys.
    public static let shared: RedisServer = {
        do { return try RedisServer() } catch { fatalError("cannot start redis-server: \(error)") }
    }()

    /// Starts a server. `config` lines are appended to its redis.conf
    /// (e.g. `"requirepass secret"`, `"user alice on >pw ~* +@all"`).
    public init(config: [String] = []) throws {
        ignoreSIGPIPE()
        var lastError: any Error = RedisServerError("no attempt made")
        for _ in 0..<8 {
            let port = Int.random(in: 20000..<60000)
            let directory = NSTemporaryDirectory() + "pottery-test-redis-\(port)-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let lines = [
                "port \(port)", "bind 127.0.0.1", "unixsocket \(directory)/redis.sock", "unixsocketperm 700",
                "dir \(directory)", "save \"\"", "appendonly no", "daemonize no", "loglevel warning",
                "logfile \(directory)/redis.log", "enable-debug-command local", "databases 16",
            ] + config
            try lines.joined(separator: "\n").write(toFile: directory + "/redis.conf", atomically: true, encoding: .utf8)
            let process = try Self.launch(configIn: directory)
            if Self.waitUntilReady(socketPath: directory + "/redis.sock", process: process) {
                self.port = port
                self.directory = directory
                self.process = process
                ServerRegistry.add(process.processIdentifier)
                return
            }
            let log = (try? String(contentsOfFile: directory + "/redis.log", encoding: .utf8)) ?? ""
            lastError = RedisServerError("redis-server on port \(port) did not start: \(log.suffix(400))")
            if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            try? FileManager.default.removeItem(atPath: directory)
        }
        throw lastError
    }

    deinit { stop() }

    /// The server's process id (for SIGSTOP / SIGCONT in fault tests); a new
    /// one after ``restart()``.
    public var pid: Int32 { current.processIdentifier }

    /// Whether the process still runs.
    public var isRunning: Bool { current.isRunning }

    private var current: Process {
        processLock.lock(); defer { processLock.unlock() }
        return process
    }

    /// Stops the server and waits for it; removes its directory.
    ///
    /// SIGKILL, not SIGTERM: a child of the test process may inherit a signal
    /// mask that blocks SIGTERM, and the server keeps nothing worth saving.
    public func stop() {
        kill()
        ServerRegistry.remove(current.processIdentifier)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Kills the server at once (SIGKILL), as a crash would.
    public func kill() {
        let process = current
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        ServerRegistry.remove(process.processIdentifier)
    }

    /// Freezes the server (SIGSTOP): the kernel still accepts connections and
    /// buffers what clients write, but nothing is answered until ``thaw()``.
    public func freeze() {
        let process = current
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGSTOP) }
    }

    /// Lets a frozen server run again (SIGCONT). Harmless on a running one.
    public func thaw() {
        let process = current
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGCONT) }
    }

    /// Kills the server (if it runs) and starts a new one with the same
    /// configuration, on the same port and unix socket, and waits until it
    /// answers. Its data is gone (nothing is saved to disk).
    public func restart() throws {
        kill()
        var lastError: any Error = RedisServerError("no attempt made")
        // The port may be briefly unavailable; try a few times.
        for _ in 0..<20 {
            let process = try Self.launch(configIn: directory)
            ServerRegistry.add(process.processIdentifier)
            if Self.waitUntilReady(socketPath: socketPath, process: process) {
                processLock.lock()
                self.process = process
                processLock.unlock()
                return
            }
            if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            ServerRegistry.remove(process.processIdentifier)
            let log = (try? String(contentsOfFile: directory + "/redis.log", encoding: .utf8)) ?? ""
            lastError = RedisServerError("redis-server on port \(port) did not restart: \(log.suffix(400))")
            usleep(50_000)
        }
        throw lastError
    }

    /// A new connection to this server over TCP.
    public func connection(database: Int = 0) -> RedisConnection {
        var configuration = try! RedisConfiguration(url: url)
        configuration.database = database
        return RedisConnection(configuration)
    }

    /// Starts `redis-server DIRECTORY/redis.conf`, its output discarded.
    private static func launch(configIn directory: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: serverPath)
        process.arguments = [directory + "/redis.conf"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    private static let serverPath: String = {
        for candidate in ["/usr/bin/redis-server", "/usr/local/bin/redis-server"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return "/usr/bin/redis-server"
    }()

    /// Waits until the server answers on its unix socket. Not on its port: when
    /// the random port is taken by another test's server, this one exits, but a
    /// TCP probe sent before it does would get the other server's answer. Only
    /// this process can own the socket in its directory, and redis-server
    /// creates it after binding the port.
    private static func waitUntilReady(socketPath: String, process: Process) -> Bool {
        for _ in 0..<500 {
            guard process.isRunning else { return false }
            var configuration = RedisConfiguration(endpoint: .unix(path: socketPath))
            configuration.connectTimeout = .milliseconds(100)
            let probe = RedisConnection(configuration)
            do {
                if try probe.send(RedisCommand("PING")) == .status("PONG") { return true }
            } catch {
                // A server that wants a password is up.
                if error.code == .authenticationError { return true }
            }
            usleep(10_000)
        }
        return false
    }
}

/// Why a test server could not start.
public struct RedisServerError: Error, CustomStringConvertible {
    /// What happened.
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Ignores SIGPIPE in the test process: a test that kills a server must get
/// an error from hiredis, not die.
public func ignoreSIGPIPE() {
    signal(SIGPIPE, SIG_IGN)
}

/// Kills every server still running when the test process exits.
enum ServerRegistry {
    nonisolated(unsafe) private static var pids: Set<Int32> = []
    private static let lock = NSLock()
    nonisolated(unsafe) private static var installed = false

    static func add(_ pid: Int32) {
        lock.lock(); defer { lock.unlock() }
        pids.insert(pid)
        if !installed {
            installed = true
            atexit { ServerRegistry.killAll() }
        }
    }

    static func remove(_ pid: Int32) {
        lock.lock(); defer { lock.unlock() }
        pids.remove(pid)
    }

    static func killAll() {
        lock.lock(); defer { lock.unlock() }
        for pid in pids { Foundation.kill(pid, SIGKILL) }
        pids.removeAll()
    }
}

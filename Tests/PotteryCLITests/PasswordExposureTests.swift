import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// A password given by `REDISCLI_AUTH` or `--password-file` is in no argument of
/// the running process (`/proc/PID/cmdline`, what `ps` shows), nor in its
/// output, nor in its errors when the server then refuses or fails.
@Suite struct PasswordExposureTests {
    private static let password = "s3cret/@:%?#-pass"

    /// Starts a `queue get` that waits (so the process can be looked at), reads its
    /// command line, then feeds the queue and collects the result.
    private func check(_ arguments: [String], environment: [String: String], server: RedisServer) throws {
        let key = uniqueKey()
        let running = try CLI.start(arguments + ["queue", "get", key, "--timeout", "60"], url: server.url, environment: environment)
        // Waiting in XREAD once the server lists the client's command.
        var configuration = try RedisConfiguration(url: server.url)
        configuration.password = Self.password
        let admin = RedisConnection(configuration)
        var list = RedisCommand("CLIENT")
        list.append("LIST")
        let end = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < end {
            let clients = String(decoding: try admin.send(list).bytes ?? [], as: UTF8.self)
            if clients.contains("cmd=xread") { break }
            usleep(20_000)
        }
        let cmdline = try String(contentsOfFile: "/proc/\(running.pid)/cmdline", encoding: .utf8)
        #expect(!cmdline.isEmpty && cmdline.contains("queue"), "\(cmdline)")
        #expect(!cmdline.contains(Self.password), "\(cmdline)")
        try RedisSimpleQueue<String>(admin, key: RedisKey(key)).put("got it")
        let result = running.finish(within: .seconds(60))
        #expect(result.status == 0 && result.out == "\"got it\"\n", "\(result)")
        #expect(!result.out.contains(Self.password) && !result.err.contains(Self.password))
    }

    @Test func aPasswordFromTheEnvironmentIsNotInTheProcessList() throws {
        let server = try RedisServer(config: ["requirepass \(Self.password)"])
        try check([], environment: ["REDISCLI_AUTH": Self.password], server: server)
    }

    @Test func aPasswordFromAFileIsNotInTheProcessList() throws {
        let server = try RedisServer(config: ["requirepass \(Self.password)"])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pw-\(UUID().uuidString)")
        try (Self.password + "\n").write(to: file, atomically: true, encoding: .utf8)
        chmod(file.path, 0o600)
        defer { try? FileManager.default.removeItem(at: file) }
        try check(["--password-file", file.path], environment: [:], server: server)
    }

    @Test func noErrorShowsAPasswordGivenOutsideTheURL() throws {
        let server = try RedisServer(config: ["requirepass other"])
        let wrong = try CLI.run(["dict", "len", "k"], url: server.url, environment: ["REDISCLI_AUTH": Self.password])
        #expect(wrong.status == 3 && wrong.error?.type == "AuthenticationError", "\(wrong)")
        #expect(!wrong.err.contains(Self.password) && !wrong.out.contains(Self.password))
        let down = try CLI.run(["dict", "len", "k"], url: deadServerURL, environment: ["REDISCLI_AUTH": Self.password])
        #expect(down.status == 3, "\(down)")
        #expect(!down.err.contains(Self.password))
    }
}

import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// A closed stdin, stdout or stderr must never let the Redis socket take its
/// number: what the CLI prints would reach the server as commands.
@Suite struct ClosedDescriptorTests {
    /// Runs the binary through sh with the given redirections (e.g. `>&-`).
    func shell(_ arguments: [String], redirections: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        let quoted = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        process.arguments = ["-c", "\"$0\" \(quoted) \(redirections)", CLI.binary]
        var environment = ProcessInfo.processInfo.environment
        environment["REDIS_URL"] = RedisServer.shared.url
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test(arguments: [">&-", "2>&- >&-", "<&- >&-"])
    func outputNeverReachesTheServer(redirections: String) throws {
        let connection = RedisServer.shared.connection()
        let (key, marker) = (uniqueKey(), uniqueKey())
        // A stored string that is a valid inline Redis command.
        #expect(try CLI.run(["dict", "set", key, "f", "\"SET \(marker) yes\""]).status == 0)
        _ = try shell(["--raw", "dict", "get", key, "f"], redirections: redirections)
        _ = try shell(["--raw", "dict", "get", key, "missing"], redirections: redirections)
        #expect(try connection.send(RedisCommand("EXISTS", key: RedisKey(marker))) == .integer(0))
        // The command itself still ran normally.
        #expect(try shell(["dict", "contains", key, "f"], redirections: redirections) == 0)
    }
}

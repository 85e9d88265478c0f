import Foundation
import PotteryKit
import PotteryTestSupport

/// What one run of the pottery-cli binary gave.
struct CLIResult: CustomStringConvertible {
    let status: Int32
    let stdout: [UInt8]
    let stderr: [UInt8]
    /// Wall-clock time of the run.
    let elapsed: Duration

    var out: String { String(decoding: stdout, as: UTF8.self) }
    var err: String { String(decoding: stderr, as: UTF8.self) }

    /// stdout as one pottery JSON document (NaN and big ints allowed), or `nil`.
    var json: JSONValue? {
        guard stdout.last == UInt8(ascii: "\n") else { return nil }
        return try? PotteryJSON.decode(stdout.dropLast())
    }

    /// stderr's `{"error": {...}}` object, when it is exactly one such JSON line.
    var error: (type: String, message: String, key: JSONValue)? {
        guard stderr.last == UInt8(ascii: "\n"),
              let value = try? PotteryJSON.decode(stderr.dropLast()),
              let outer = value.objectValue, outer.count == 1,
              let inner = outer["error"]?.objectValue, inner.count == 3,
              let type = inner["type"]?.stringValue, let message = inner["message"]?.stringValue,
              let key = inner["key"] else { return nil }
        return (type, message, key)
    }

    var description: String {
        "status \(status), stdout: \(out.prefix(500)), stderr: \(err.prefix(500))"
    }
}

/// Runs the built pottery-cli binary: `$POTTERY_CLI`, else `pottery-cli` next
/// to the test bundle (the directory of /proc/self/exe).
enum CLI {
    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["POTTERY_CLI"] { return path }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("pottery-cli").path
    }()

    /// Runs `pottery-cli arguments...` with `REDIS_URL` set to `url` (the shared
    /// test server by default; `nil` leaves it unset), stdin from `stdin` (else
    /// /dev/null) and `environment` added. The caller's `REDIS_URL`,
    /// `REDISCLI_AUTH` and `POTTERY_MASTERS` never leak in.
    static func run(_ arguments: [String], url: String? = RedisServer.shared.url, stdin: [UInt8]? = nil,
                    environment: [String: String] = [:], closeStdout: Bool = false) throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for name in ["REDIS_URL", "REDISCLI_AUTH", "POTTERY_MASTERS", "POTTERY_CLI"] { env[name] = nil }
        if let url { env["REDIS_URL"] = url }
        env.merge(environment) { $1 }
        process.environment = env

        let outPipe = Pipe()
        let errPipe = Pipe()
        let inPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = stdin == nil ? FileHandle.nullDevice : inPipe

        let started = ContinuousClock.now
        try process.run()
        if closeStdout { try outPipe.fileHandleForReading.close() }
        let collected = Collected()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            collected.setStderr(errPipe.fileHandleForReading.readDataToEndOfFile())
        }
        if let stdin {
            let writer = inPipe.fileHandleForWriting
            DispatchQueue.global().async(group: group) {
                try? writer.write(contentsOf: Data(stdin))
                try? writer.close()
            }
        }
        let out = closeStdout ? Data() : outPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: Array(out), stderr: Array(collected.stderr),
                         elapsed: ContinuousClock.now - started)
    }

    /// `run` with stdin given as text.
    static func run(_ arguments: [String], stdin text: String, url: String? = RedisServer.shared.url) throws -> CLIResult {
        try run(arguments, url: url, stdin: Array(text.utf8))
    }
}

/// stderr collected on another thread.
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    var stderr: Data { lock.withLock { data } }

    func setStderr(_ value: Data) { lock.withLock { data = value } }
}

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

    /// The pottery-cli process for `arguments`, its environment the test's own
    /// without `REDIS_URL`, `REDISCLI_AUTH`, `POTTERY_MASTERS` and `POTTERY_CLI`,
    /// then `REDIS_URL` = `url` (unless `nil`) and `environment` added.
    static func process(_ arguments: [String], url: String?, environment: [String: String]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for name in ["REDIS_URL", "REDISCLI_AUTH", "POTTERY_MASTERS", "POTTERY_CLI"] { env[name] = nil }
        if let url { env["REDIS_URL"] = url }
        env.merge(environment) { $1 }
        process.environment = env
        return process
    }

    /// Runs `pottery-cli arguments...` with `REDIS_URL` set to `url` (the shared
    /// test server by default; `nil` leaves it unset), stdin from `stdin` (else
    /// /dev/null) and `environment` added. The caller's `REDIS_URL`,
    /// `REDISCLI_AUTH` and `POTTERY_MASTERS` never leak in.
    static func run(_ arguments: [String], url: String? = RedisServer.shared.url, stdin: [UInt8]? = nil,
                    environment: [String: String] = [:], closeStdout: Bool = false) throws -> CLIResult {
        let process = process(arguments, url: url, environment: environment)

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

extension CLI {
    /// Starts `pottery-cli arguments...` in the background, with the environment
    /// `run` gives it and stdin, stdout and stderr on pipes of the test's own:
    /// a test can read the output while it runs, write to its stdin, signal it,
    /// then collect the result with ``RunningCLI/finish(within:)``.
    static func start(_ arguments: [String], url: String? = RedisServer.shared.url,
                      environment: [String: String] = [:]) throws -> RunningCLI {
        let process = process(arguments, url: url, environment: environment)
        return try RunningCLI(process)
    }
}

/// A pottery-cli process running in the background (``CLI/start(_:url:environment:)``).
final class RunningCLI: @unchecked Sendable {
    private let process: Process
    private let input: FileHandle
    private let started: ContinuousClock.Instant
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var output: [UInt8] = []
    private var errors: [UInt8] = []
    private var lineTimes: [(line: String, at: ContinuousClock.Instant)] = []
    private var partialLine: [UInt8] = []
    private var openStreams = 2

    fileprivate init(_ process: Process) throws {
        self.process = process
        let outPipe = Pipe()
        let errPipe = Pipe()
        let inPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = inPipe
        input = inPipe.fileHandleForWriting
        started = .now
        try process.run()
        let outFD = outPipe.fileHandleForReading
        let errFD = errPipe.fileHandleForReading
        Thread.detachNewThread { [self] in self.drain(outFD, isOutput: true) }
        Thread.detachNewThread { [self] in self.drain(errFD, isOutput: false) }
    }

    /// pottery-cli's process id.
    var pid: Int32 { process.processIdentifier }

    /// Whether pottery-cli still runs.
    var isRunning: Bool { process.isRunning }

    /// Sends `signal` to pottery-cli (not to its command).
    func signal(_ signal: Int32) { kill(pid, signal) }

    /// Writes `text` to pottery-cli's stdin (which its command inherits).
    func write(_ text: String) { try? input.write(contentsOf: Data(text.utf8)) }

    /// Closes pottery-cli's stdin.
    func closeInput() { try? input.close() }

    /// The complete lines of stdout so far.
    var lines: [String] { condition.withLock { lineTimes.map(\.line) } }

    /// Waits until stdout has a complete line for which `matches` holds and
    /// returns it with the time it arrived, or `nil` after `timeout` (or
    /// when stdout was closed without one).
    func waitForLine(timeout: Duration = .seconds(10),
                     where matches: (String) -> Bool) -> (line: String, at: ContinuousClock.Instant)? {
        let deadline = Date().addingTimeInterval(Double(timeout.components.seconds)
                                                 + Double(timeout.components.attoseconds) / 1e18)
        condition.lock()
        defer { condition.unlock() }
        var seen = 0
        while true {
            while seen < lineTimes.count {
                if matches(lineTimes[seen].line) { return lineTimes[seen] }
                seen += 1
            }
            if openStreams == 0 && seen == lineTimes.count { return nil }
            if !condition.wait(until: deadline) { return nil }
        }
    }

    /// The first `count` lines of stdout, waiting for them up to `timeout`
    /// (fewer when stdout closed or time ran out).
    func waitForLines(_ count: Int, timeout: Duration = .seconds(10)) -> [String] {
        var index = 0
        _ = waitForLine(timeout: timeout) { _ in
            index += 1
            return index >= count
        }
        return Array(lines.prefix(count))
    }

    /// Waits up to `timeout` for pottery-cli to exit (killing it with SIGKILL
    /// when it does not), then up to 3 s more for its output to close
    /// (descendants may hold the pipes), and returns what it gave.
    /// A run that had to be killed reports status -1.
    func finish(within timeout: Duration = .seconds(20)) -> CLIResult {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var status = exitStatus()
        while status == nil && clock.now < deadline {
            usleep(5_000)
            status = exitStatus()
        }
        let elapsed = clock.now - started
        if status == nil {
            kill(pid, SIGKILL)
            let killed = clock.now + .seconds(2)
            while exitStatus() == nil && clock.now < killed { usleep(5_000) }
        }
        closeInput()
        let closeBy = Date().addingTimeInterval(3)
        condition.lock()
        while openStreams > 0 && condition.wait(until: closeBy) {}
        let result = CLIResult(status: status ?? -1, stdout: output, stderr: errors, elapsed: elapsed)
        condition.unlock()
        return result
    }

    /// pottery-cli's exit status as a shell reports it (128+N when killed by
    /// signal N) once it has ended, else `nil`. Foundation notices the end
    /// only when every descendant has closed a descriptor it inherited, so a
    /// zombie's status is read from /proc as well.
    private func exitStatus() -> Int32? {
        if !process.isRunning {
            return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // Field 3 is the state, field 52 the exit code in waitpid's form.
        guard fields.first == "Z", fields.count > 49, let raw = Int32(fields[49]) else { return nil }
        return raw & 0x7f != 0 ? 128 + (raw & 0x7f) : (raw >> 8) & 0xff
    }

    /// Reads `handle` to its end on the calling thread.
    private func drain(_ handle: FileHandle, isOutput: Bool) {
        let fd = handle.fileDescriptor
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            let now = ContinuousClock.now
            condition.withLock {
                if isOutput {
                    output += buffer[0..<count]
                    for byte in buffer[0..<count] {
                        if byte == UInt8(ascii: "\n") {
                            lineTimes.append((String(decoding: partialLine, as: UTF8.self), now))
                            partialLine.removeAll()
                        } else {
                            partialLine.append(byte)
                        }
                    }
                } else {
                    errors += buffer[0..<count]
                }
                condition.broadcast()
            }
        }
        try? handle.close()
        condition.withLock {
            openStreams -= 1
            condition.broadcast()
        }
    }
}

/// Runs blocking `body` on a thread of its own, so a test that waits (for a
/// process, a lease, a grace period) leaves Swift Testing's few cooperative
/// threads to other tests meanwhile. Whatever must be timed belongs inside
/// `body`: the awaiting test may resume much later than `body` ends.
func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    let result: Result<T, any Error> = await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: Result { try body() }) }
    }
    return try result.get()
}

import Foundation
import Testing

/// `make demo` is one of the README's two commands: its script runs here against the
/// built binary and 3 private servers (as `make demo` does with the release build),
/// so it cannot rot unnoticed.
@Suite struct DemoScriptTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theDemoRunsToTheEndAndShowsTheMainJob() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["scripts/with-redis.sh", "scripts/demo.sh"]
        process.currentDirectoryURL = Self.root
        var environment = ProcessInfo.processInfo.environment
        for name in ["REDIS_URL", "POTTERY_MASTERS", "REDISCLI_AUTH"] { environment[name] = nil }
        environment["POTTERY_CLI"] = CLI.binary
        environment["REDIS_SERVERS"] = "3"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(text.suffix(2000))")
        #expect(text.hasSuffix("demo: done\n"), "\(text.suffix(2000))")
        // IDs: 1, 2, a block of 5, Python's next one, then ours again: increasing, no repeats.
        #expect(text.contains("nextid orders\n1\n"))
        #expect(text.contains("[3, 4, 5, 6, 7]"))
        #expect(text.contains("print(next(NextID(key='orders', masters=...)))\"\n8\n"), "\(text)")
        // Two jobs race for one lock: B waits for A, or gives up with 75.
        let done = try #require(text.range(of: "job A: done"))
        let after = try #require(text.range(of: "job B: ran after A\n"))
        #expect(done.upperBound <= after.lowerBound)
        #expect(text.contains("# exit 75"))
        // Fencing tokens strictly increase; the errors exit 1, 4 and 2 with JSON on stderr.
        #expect(text.contains("\"fencing_token\": 2"))
        for status in ["# exit 1", "# exit 4", "# exit 2"] { #expect(text.contains(status)) }
        #expect(text.contains("\"type\": \"WrongTypeError\""))
    }
}

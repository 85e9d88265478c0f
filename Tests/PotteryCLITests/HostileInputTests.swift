import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// Input the fuzzer cannot produce (issue 16): bytes that are not UTF-8 in
/// argv and on stdin, and elements larger than one argument may be (Linux caps
/// one argument at 128 KB, so megabyte elements come on stdin).
@Suite struct HostileInputTests {
    /// Runs pottery-cli through `sh`, so `script`'s `printf` can put raw bytes in argv.
    private func shell(_ script: String, key: String) throws -> CLIResult {
        let process = CLI.process([], url: RedisServer.shared.url, environment: ["CLI": CLI.binary, "KEY": key])
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let started = ContinuousClock.now
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: Array(stdout), stderr: Array(stderr),
                         elapsed: ContinuousClock.now - started)
    }

    @Test(arguments: [
        (#""$CLI" set add "$KEY" "$(printf 'a\377b')""#, 4),
        (#""$CLI" set add "$KEY" ok "$(printf '\300\257')""#, 5),
        (#""$CLI" "$(printf 'se\377t')" add "$KEY" x"#, 1),
        (#""$CLI" set add "$KEY$(printf '\377')" x"#, 3),
        (#""$CLI" --strings dict set "$KEY" "$(printf '\355\240\200')" v"#, 5),
    ])
    func argumentsThatAreNotUTF8AreUsageErrorsAndSendNothing(script: String, position: Int) throws {
        let key = uniqueKey()
        let result = try shell(script, key: key)
        #expect(result.status == 2, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        #expect(result.error?.type == "UsageError", "\(result)")
        #expect(result.error?.message == "argument \(position) is not valid UTF-8", "\(result)")
        #expect(try Raw.type(key) == "none")
    }

    @Test(arguments: [[], ["--strings"]])
    func stdinThatIsNotUTF8IsAUsageErrorAndStoresNothing(_ mode: [String]) throws {
        let key = uniqueKey()
        let result = try CLI.run(mode + ["set", "add", key, "-"], stdin: Array("1\n2\n".utf8) + [0x61, 0xFF, 0x0A])
        #expect(result.status == 2, "\(result)")
        #expect(result.error?.message == "stdin line 3 for ELEM is not valid UTF-8", "\(result)")
        #expect(try Raw.type(key) == "none")
    }

    @Test func megabyteElementsFromStdinRoundTrip() throws {
        let key = uniqueKey()
        let first = String(repeating: "a", count: 1 << 20)
        let second = String(repeating: "é", count: (1 << 20) / 2 + 1)  // multi-byte, just over 1 MB
        let stored = try CLI.run(["--strings", "list", "extend", key, "-"], stdin: first + "\n" + second + "\n")
        #expect(stored.status == 0, "\(stored)")
        #expect(try CLI.run(["list", "len", key]).json == 2)
        for (index, element) in [first, second].enumerated() {
            let got = try CLI.run(["list", "get", key, "\(index)"])
            #expect(got.status == 0)
            #expect(got.json?.stringValue == element, "element \(index): \(got.stdout.count) bytes on stdout")
        }
    }
}

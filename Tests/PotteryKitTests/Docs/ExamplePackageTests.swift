import Foundation
import PotteryTestSupport
import Testing

/// The sample in Examples/OrderService builds as its own package (depending on
/// PotteryKit by path, as a user's would) and runs against a real server, so
/// it cannot rot.
@Suite struct ExamplePackageTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../..").standardizedFileURL.path

    static var swift: String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(directory)/swift") {
            return "\(directory)/swift"
        }
        return "/opt/swift/usr/bin/swift"
    }

    func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func theOrderServiceSampleBuildsAndRuns() throws {
        let package = Self.root + "/Examples/OrderService"
        // SwiftPM keeps a path dependency's list of source files with the manifest it
        // cached: a file added to PotteryKit since the sample's last build would be
        // missing from it. A newer manifest makes it look again.
        try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: package + "/Package.swift")
        var build = try run(Self.swift, ["build", "--package-path", package])
        if build.status != 0 {  // once more: a compiler killed for memory on a busy 2-core machine is not a bug here
            build = try run(Self.swift, ["build", "--package-path", package])
        }
        if build.status != 0 {  // keep the evidence: the expectation's text may be cut
            try? build.output.write(toFile: NSTemporaryDirectory() + "../example-build.log", atomically: true, encoding: .utf8)
        }
        #expect(build.status == 0, "\(build.output.suffix(2000))")
        guard build.status == 0 else { return }
        let server = try RedisServer()
        let result = try run(package + "/.build/debug/OrderService", [server.url, "40"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output == "{\"orders\": 40, \"unique\": true, \"stored\": 40}\n")
    }
}

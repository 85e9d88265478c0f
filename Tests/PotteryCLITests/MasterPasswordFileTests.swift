import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// `--password-file` applies to every master given without a password, and an
/// insecure file is warned about once, not once per master.
@Suite struct MasterPasswordFileTests {
    @Test func aPasswordFileOthersCanReadIsWarnedAboutOnceForAllTheMasters() throws {
        let servers = try (0..<3).map { _ in try RedisServer(config: ["requirepass master-pass"]) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pw-\(UUID().uuidString)")
        try "master-pass\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        chmod(file.path, 0o644)

        let masters = servers.flatMap { ["--master", "redis://127.0.0.1:\($0.port)/0"] }
        let result = try CLI.run(masters + ["--password-file", file.path, "nextid", uniqueKey()], url: servers[0].url)
        #expect(result.status == 0 && result.out == "1\n", "\(result)")
        let lines = result.err.split(separator: "\n")
        #expect(lines.count == 1, "\(result.err)")
        let warning = try #require(try? PotteryJSON.decode(Array(result.stderr.dropLast())), "\(result.err)")
        #expect(warning.objectValue?["warning"]?.objectValue?["type"]?.stringValue == "InsecurePasswordFile")
        #expect(!result.err.contains("master-pass"))
    }
}

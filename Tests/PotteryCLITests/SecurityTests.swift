import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// Secrets stay secret, and a user the server restricts gets a clear error.
@Suite struct SecurityTests {
    @Test func aPasswordFileOthersCanReadGetsAWarningAndStillWorks() throws {
        let server = try RedisServer(config: ["requirepass file-pass"])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pw-\(UUID().uuidString)")
        try "file-pass\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }

        chmod(file.path, 0o644)
        let open = try CLI.run(["--password-file", file.path, "dict", "len", uniqueKey()], url: server.url)
        #expect(open.status == 0 && open.json == 0, "\(open)")
        let warning = try #require(try? PotteryJSON.decode(Array(open.stderr.dropLast())), "\(open.err)")
        #expect(warning.objectValue?["warning"]?.objectValue?["type"]?.stringValue == "InsecurePasswordFile")
        #expect(!open.err.contains("file-pass"))

        chmod(file.path, 0o600)
        let closed = try CLI.run(["--password-file", file.path, "dict", "len", uniqueKey()], url: server.url)
        #expect(closed.status == 0 && closed.stderr.isEmpty, "\(closed)")
    }

    @Test func anACLUserDeniedACommandGetsNOPERMAndExitThree() throws {
        let server = try RedisServer(config: ["user reader on >reader-pass ~* +@read +ping"])
        let url = "redis://reader:reader-pass@127.0.0.1:\(server.port)/0"
        let key = uniqueKey()
        let read = try CLI.run(["dict", "len", key], url: url)
        #expect(read.status == 0, "\(read)")
        let denied = try CLI.run(["dict", "set", key, "f", "v"], url: url)
        #expect(denied.status == 3, "\(denied)")
        #expect(denied.err.contains("NOPERM"), "\(denied)")
        #expect(denied.error?.type == "NoPermissionError", "redis-py's name: \(denied)")
        #expect(!denied.err.contains("reader-pass"))
        let lock = try CLI.run(["--master", url, "lock", "acquire", key, "--no-wait"], url: url)
        #expect(lock.status == 3, "a master that refuses SET is a failed master: \(lock)")
        #expect(!lock.err.contains("reader-pass"))
    }
}

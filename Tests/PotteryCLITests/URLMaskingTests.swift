import PotteryKit
import Testing

/// A URL that does not parse is a usage error (exit 2) whose message hides the
/// password, whatever characters it holds, wherever the URL comes from.
@Suite struct URLMaskingTests {
    static let cases: [(url: String, password: String)] = [
        ("redis://:pa/ss@host:99999", "pa/ss"),
        ("redis://bob:p@s:s/w#rd@host:0/0", "p@s:s/w#rd"),
        ("redis://:pa?ss@host", "pa?ss"),
        ("redis://:pa%zz[]@host/notadb", "pa%zz[]"),
        ("http://:pa/ss@host", "pa/ss"),
        ("rediss://:pa/ss@host:6380", "pa/ss"),
        ("unix://:pa/ss@relative.sock", "pa/ss"),
        ("redis://host?db=x&password=pa/ss@word", "pa/ss@word"),
    ]

    @Test(arguments: cases)
    func urlOption(_ url: String, _ password: String) throws {
        let result = try CLI.run(["--url", url, "dict", "get", "k", "f"], url: nil)
        #expect(result.status == 2, "\(result)")
        #expect(result.error?.type == "InvalidURL", "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(!result.err.contains(password), "\(result)")
        #expect(result.err.contains("***"), "\(result)")
    }

    @Test(arguments: cases)
    func environmentAndMaster(_ url: String, _ password: String) throws {
        for (arguments, environment) in [(["dict", "len", "k"], url), (["--master", url, "dict", "len", "k"], nil)] {
            let result = try CLI.run(arguments, url: environment ?? "redis://127.0.0.1:1/0")
            #expect(result.status == 2 && result.error?.type == "InvalidURL", "\(arguments): \(result)")
            #expect(!result.err.contains(password), "\(arguments): \(result)")
            #expect(result.err.contains("***"), "\(arguments): \(result)")
        }
    }

    @Test func theReportedCommand() throws {
        let result = try CLI.run(["--url", "redis://:pa/ss@host:99999", "dict", "get", "k", "f"], url: nil)
        #expect(result.status == 2)
        #expect(result.error?.message == "--url: invalid Redis URL redis://:***@host:99999: port must be 1-65535, got 99999",
                "\(result)")
    }
}

import Foundation
import PotteryTestSupport
import Testing

/// The differential test of the `list`, `deque`, `counter` and `queue` verbs:
/// `scripts/differential-containers.py` applies one seeded random sequence of
/// operations to Python pottery 3.0.1, to a model made of Python's own `list`,
/// `collections.deque`, `collections.Counter` and `queue.SimpleQueue`
/// semantics, and to the pottery-cli binary, and after every operation
/// compares the CLI's stdout, exit status and error type, and the raw Redis
/// bytes (`LRANGE`, `HGETALL` in order, `XRANGE` fields), with the model.
///
/// pottery must agree with the model too, except where pottery-format.md §19
/// and docs/ARCHITECTURE.md name its bugs (each case is listed in the script's
/// `KNOWN_POTTERY_BUGS`): any other disagreement fails, so the model cannot
/// drift from pottery. The seed is fixed (override with `POTTERY_DIFF_SEED=N`)
/// and printed with every failure.
@Suite struct ContainerDifferentialTests {
    /// The script, found from this file: two levels up is the repository.
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/differential-containers.py")

    @Test func cliMatchesPythonOnRandomListDequeCounterAndQueueOperations() throws {
        let seed = ProcessInfo.processInfo.environment["POTTERY_DIFF_SEED"].flatMap { Int($0) } ?? 20_250_602
        #expect(FileManager.default.isExecutableFile(atPath: CLI.binary), "no pottery-cli at \(CLI.binary)")
        let source = try String(contentsOf: Self.script, encoding: .utf8)
        let config: [String: Any] = [
            "seed": seed, "url": RedisServer.shared.url, "cli": CLI.binary,
            "prefix": uniqueKey("ContainerDifferential"), "ops": 300,
        ]
        let python = try Python.run(source, stdin: Array(try JSONSerialization.data(withJSONObject: config)))
        let output = String(decoding: python.stdout, as: UTF8.self)
        #expect(python.status == 0 && output == "ok\n", """
            differential test of list/deque/counter/queue (seed \(seed)) exited \(python.status):
            \(output)
            stderr:
            \(python.stderr)
            """)
    }
}

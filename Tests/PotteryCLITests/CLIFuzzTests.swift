import Foundation
import Synchronization
import PotteryKit
import PotteryTestSupport
import Testing

/// Random argument vectors against the real binary and a real server: never
/// a crash or a hang, only the contract's exit statuses, stdout empty or one
/// JSON document, stderr empty or one JSON error object per line.
@Suite struct CLIFuzzTests {
    static let structures = ["dict", "set", "list", "counter", "deque", "queue", "lock", "semaphore", "cache",
                             "bloom", "hll", "nextid", "inspect", "keys", "dcit", "", "-", "--"]
    static let verbs = ["get", "set", "del", "len", "keys", "values", "items", "update", "pop", "popitem", "setdefault",
                        "clear", "add", "remove", "discard", "contains", "contains-many", "members", "union",
                        "isdisjoint", "append", "extend", "insert", "index", "count", "reverse", "sort", "most-common",
                        "elements", "total", "subtract", "appendleft", "extendleft", "popleft", "rotate", "put",
                        "qsize", "empty", "acquire", "release", "extend", "locked", "status", "merge", "info", "frob", ""]
    static let options = ["--pretty", "--strings", "--json", "--default", "--timeout", "--no-wait", "--maxlen", "--count",
                          "--current", "--limit", "--token", "--auto-release", "--reverse", "--num-elements",
                          "--false-positives", "--ttl", "--fencing", "--bogus", "-x", "--connect-timeout", "--io-timeout"]
    static let values = ["0", "-1", "1", "2", "1.5", "-0", "1e999", "NaN", "Infinity", "99999999999999999999999",
                         "-9223372036854775808", "9223372036854775807", "", " ", "abc", "é", "😀", "\"q\"", "[1, 2",
                         "{\"a\": [1, {\"b\": null}]}", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
                         "1:3", "::-1", "::0", "a:b", "true", "null", "-", "--", "%s%n", "$(echo hi)", "line\nbreak",
                         String(repeating: "x", count: 70_000)]

    func vector(_ random: inout SeededGenerator, prefix: String) -> [String] {
        var words: [String] = []
        if Int.random(in: 0..<10, using: &random) == 0 { words.append(Self.options.randomElement(using: &random)!) }
        let structure = Self.structures.randomElement(using: &random)!
        words.append(structure)
        if !["nextid", "inspect", "keys"].contains(structure) { words.append(Self.verbs.randomElement(using: &random)!) }
        if Int.random(in: 0..<8, using: &random) != 0 { words.append(prefix + Self.values.randomElement(using: &random)!) }
        for _ in 0..<Int.random(in: 0..<5, using: &random) {
            switch Int.random(in: 0..<3, using: &random) {
            case 0: words.append(Self.options.randomElement(using: &random)!)
            default: words.append(Self.values.randomElement(using: &random)!)
            }
        }
        // Never a command that waits for ever by design (the contract's blocking calls) or runs a program.
        if words.contains("run") || words.contains("help") || words.contains("-h") || words.contains("--help") { return [] }
        if ["queue", "lock", "semaphore"].contains(structure) && !words.contains("--timeout") { words.append("--no-wait") }
        return words
    }

    /// 2,000 vectors, four CLI processes at a time.
    @Test func randomArgumentVectorsGiveOnlyContractStatusesAndJSON() throws {
        var random = SeededGenerator(seed: 20_261_129)
        let prefix = "fuzz:\(UUID().uuidString.prefix(6)):"
        var vectors: [[String]] = []
        while vectors.count < 2_000 {
            let arguments = vector(&random, prefix: prefix)
            if !arguments.isEmpty { vectors.append(arguments) }
        }
        let failures = Mutex<[String]>([])
        let lanes = 4
        let all = vectors
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            for arguments in stride(from: lane, to: all.count, by: lanes).map({ all[$0] }) {
                let problems = Self.check(arguments)
                if !problems.isEmpty { failures.withLock { $0 += problems } }
            }
        }
        let found = failures.withLock { $0 }
        #expect(found.isEmpty, "\(found.count) failures:\n\(found.prefix(15).joined(separator: "\n"))")
    }

    /// Runs one vector; what it did against the contract, if anything.
    static func check(_ arguments: [String]) -> [String] {
        let shown = arguments.map { $0.count > 40 ? String($0.prefix(40)) + "…" : $0 }
        guard let running = try? CLI.start(["--io-timeout", "3"] + arguments) else { return ["could not start \(shown)"] }
        running.closeInput()
        let result = running.finish(within: .seconds(30))
        guard (0...4).contains(result.status) else {
            return ["status \(result.status) for \(shown): \(result.err.prefix(300))"]
        }
        var failures: [String] = []
        if !result.stdout.isEmpty {
            let body = result.stdout.last == UInt8(ascii: "\n") ? Array(result.stdout.dropLast()) : result.stdout
            if (try? PotteryJSON.decode(body)) == nil {
                failures.append("stdout not one JSON document for \(shown): \(result.out.prefix(200))")
            }
        }
        for line in result.err.split(separator: "\n") {
            let object = (try? PotteryJSON.decode(Array(line.utf8)))?.objectValue
            if object?["error"] == nil && object?["warning"] == nil {
                failures.append("stderr line not a JSON error for \(shown): \(line.prefix(200))")
            }
        }
        if result.status == 0 && !result.stderr.isEmpty && result.err.contains("\"error\"") {
            failures.append("an error on stderr with status 0 for \(shown)")
        }
        return failures
    }
}

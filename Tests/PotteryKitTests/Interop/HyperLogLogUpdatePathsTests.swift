import PotteryKit
import PotteryTestSupport
import Testing

/// Each way ``HyperLogLog/update(_:)`` writes (one script for a few elements,
/// `PFADD` in a transaction, registers merged into a dense HLL, and the fall-back
/// from the merge to `PFADD` on a missing or sparse HLL) leaves, after every step,
/// the bytes Python pottery 3.0.1 leaves: registers, sparse or dense encoding, and
/// the cached estimate with its stale mark (`len(h)` caches it; pottery's update
/// marks it stale even when no register changes).
@Suite struct HyperLogLogUpdatePathsTests {
    var connection: RedisConnection { RedisServer.shared.connection() }

    /// `update` of `prefix<i>` for `i` in `range`, the whole list `times` times; or `len(h)`.
    /// The prefix `*` stands for each of ``awkward`` in turn: strings the JSON writer escapes.
    enum Step {
        case update(String, Range<Int>, times: Int = 1)
        case count

        var python: String {
            switch self {
            case .update(let prefix, let range, let times): "['\(prefix)', \(range.lowerBound), \(range.upperBound), \(times)]"
            case .count: "'count'"
            }
        }

        var elements: [String] {
            guard case .update(let prefix, let range, let times) = self else { return [] }
            let once = range.map { prefix == "*" ? "\(HyperLogLogUpdatePathsTests.awkward[$0 % HyperLogLogUpdatePathsTests.awkward.count])\($0)" : "\(prefix)\($0)" }
            return Array(repeating: once, count: times).flatMap { $0 }
        }
    }

    /// Quotes, backslashes, control characters, DEL, non-ASCII and astral-plane text,
    /// and plain ASCII around them.
    static let awkward = ["\"q\"", "back\\slash", "tab\t", "nul\u{0}", "del\u{7f}", "é", "😀", " ", "~", "a/b", "\u{1f}", "plain"]

    /// name, steps, and the encoding (0 dense, 1 sparse) pottery leaves after each step:
    /// checked so that each scenario takes the path it is named after.
    static let scenarios: [(String, [Step], [UInt8])] = [
        ("script", [.update("s", 0..<10), .count, .update("s", 0..<10)], [1, 1, 1]),
        ("transaction-sparse", [.update("a", 0..<300), .count, .update("a", 0..<300), .update("a", 300..<400)], [1, 1, 1, 1]),
        // Near Redis' 3,000-byte sparse limit (1,650 elements: 2,951 bytes), then past it.
        ("near-sparse-limit", [.update("n", 0..<1650), .count, .update("n", 0..<1650), .update("n", 1650..<1700), .count],
         [1, 1, 1, 0, 0]),
        // The first batch finds no HLL (so it is PFADDed); the next are merged into the dense one.
        ("merge-into-dense", [.update("d", 0..<3000), .count, .update("b", 0..<3000), .count, .update("b", 0..<3000),
                              .update("c", 0..<100), .count, .update("c", 0..<100)], [0, 0, 0, 0, 0, 0, 0, 0]),
        // A large batch for a sparse HLL is PFADDed: dense when it must be, sparse when it can stay so.
        ("sparse-then-large", [.update("p", 0..<50), .count, .update("q", 0..<2500)], [1, 1, 0]),
        ("sparse-then-large-duplicates", [.update("r", 0..<100), .count, .update("r", 0..<100, times: 25)], [1, 1, 1]),
        ("awkward-strings", [.update("*", 0..<20), .update("*", 20..<300), .update("*", 300..<3000), .count, .update("*", 3000..<6000)],
         [1, 1, 0, 0, 0]),
    ]

    @Test func everyPathLeavesPotterysBytesAfterEveryStep() throws {
        let prefix = uniqueKey().description
        let spec = Self.scenarios.map { name, steps, _ in "['\(prefix)\(name)', [\(steps.map(\.python).joined(separator: ", "))]]" }
        let awkward = String(decoding: PotteryJSON.encode(.array(Self.awkward.map { .string($0) })), as: UTF8.self)
        let output = try Interop.python("""
            awkward = json.loads(r'\(awkward)')
            result = []
            for key, steps in [\(spec.joined(separator: ", "))]:
                h = HyperLogLog(redis=redis, key=key)
                states = []
                for step in steps:
                    if step == 'count':
                        len(h)
                    else:
                        p, start, end, times = step
                        h.update([(awkward[i % len(awkward)] if p == '*' else p) + str(i) for i in range(start, end)] * times)
                    states.append(redis.get(key).hex())
                result.append(states)
                redis.delete(key)
            print(json.dumps(result))
            """, importing: "HyperLogLog")
        let python = try PotteryJSON.decode(Array(output.utf8)).arrayValue ?? []
        try #require(python.count == Self.scenarios.count)
        for ((name, steps, encodings), pythonStates) in zip(Self.scenarios, python) {
            let key = RedisKey("\(prefix)\(name)")
            let hll = HyperLogLog<String>(connection, key: key)
            for (index, step) in steps.enumerated() {
                switch step {
                case .update:
                    try hll.update(step.elements)
                case .count:
                    _ = try hll.count()
                }
                let bytes = try connection.send(RedisCommand("GET", key: key)).bytes ?? []
                let expected = pythonStates.arrayValue?[index].stringValue ?? ""
                #expect(hex(bytes) == expected, "\(name), step \(index + 1): \(step)")
                #expect(bytes.count > 4 && bytes[4] == encodings[index], "\(name), step \(index + 1): encoding")
            }
            try hll.clear()
        }
    }

    func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self)
    }
}

import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// Bytes that are not pottery JSON under every kind of key: each verb that
/// must decode them gives a data error naming the key (exit 4), the others an
/// answer that needs no decoding; never a crash, and nothing is lost: the
/// key's contents are the same afterwards (a pop that meets a bad element
/// puts it back). Verbs that move elements without decoding them (`rotate`)
/// are left out of the comparison.
@Suite struct StoredDataFuzzTests {
    let redis = RedisServer.shared.connection()

    static let garbage: [[UInt8]] = [
        Array("{not json".utf8), [0xFF, 0xFE, 0x00], Array("\"unterminated".utf8),
        Array(repeating: UInt8(ascii: "["), count: 5000), [], Array("nan".utf8),
    ]

    func dump(_ key: String) throws -> RedisReply {
        try redis.send(RedisCommand("DUMP", key: RedisKey(key)))
    }

    func write(_ name: String, _ arguments: [[UInt8]]) throws {
        var command = RedisCommand(name)
        for argument in arguments { command.append(bytes: argument) }
        try redis.send(command)
    }

    /// (kind, how to store `bad` at `key`, read verbs)
    static let kinds: [(String, String, [[String]])] = [
        ("hash-values", "dict", [["get", "k"], ["values"], ["items"], ["pop", "k"], ["popitem"], ["setdefault", "k", "1"]]),
        ("hash-fields", "dict", [["keys"], ["items"], ["len"], ["contains", "1"]]),
        ("counter", "counter", [["get", "k"], ["items"], ["most-common"], ["total"], ["elements"], ["update", "k"]]),
        ("set", "set", [["members"], ["contains", "1"], ["pop"], ["len"]]),
        ("list", "list", [["items"], ["get", "0"], ["index", "1"], ["count", "1"], ["remove", "1"], ["sort"], ["pop"]]),
        ("deque", "deque", [["items"], ["popleft"], ["pop"]]),
        ("queue", "queue", [["get", "--no-wait"], ["qsize"]]),
    ]

    @Test func everyReadOfBadBytesIsADataErrorAndChangesNothing() throws {
        var failures: [String] = []
        for (kind, structure, reads) in Self.kinds {
            for (index, bad) in Self.garbage.enumerated() {
                let key = "stored-fuzz:\(kind):\(index):\(UUID().uuidString.prefix(6))"
                let keyBytes = Array(key.utf8)
                switch kind {
                case "hash-values", "counter":
                    try write("HSET", [keyBytes, Array("\"k\"".utf8), bad])
                case "hash-fields":
                    try write("HSET", [keyBytes, bad, Array("1".utf8)])
                case "set":
                    try write("SADD", [keyBytes, bad])
                case "list", "deque":
                    try write("RPUSH", [keyBytes, bad])
                default:
                    try write("XADD", [keyBytes, Array("*".utf8), Array("item".utf8), bad])
                }
                let before = try dump(key)
                for read in reads + [["inspect"]] {
                    let arguments = read == ["inspect"] ? ["inspect", key] : [structure, read[0], key] + read.dropFirst()
                    let result = try CLI.run(arguments)
                    let shown = "\(kind) #\(index) \(arguments.prefix(2).joined(separator: " "))"
                    guard [0, 1, 4].contains(result.status) else {
                        failures.append("\(shown): status \(result.status) \(result.err.prefix(200))")
                        continue
                    }
                    if result.status == 4 && result.error == nil && !result.err.contains("\"error\"") {
                        failures.append("\(shown): exit 4 without a JSON error")
                    }
                    if result.status == 4, let named = result.error?.key, named != .string(key) {
                        failures.append("\(shown): the error names \(named), not the key")
                    }
                }
                if try dump(key) != before { failures.append("\(kind) #\(index): the stored data changed") }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failures:\n\(failures.prefix(20).joined(separator: "\n"))")
    }
}

import PotteryKit

/// `keys [PATTERN]`: `SCAN 0 MATCH PATTERN COUNT 1000` to the end of the
/// cursor (on a cluster, on every master in turn), each batch printed as it
/// arrives (bounded memory).
enum KeysCommand {
    static let details = [
        "PATTERN is a Redis glob (*, ?, [abc], \\ escapes), matched by the server.",
        "As with SCAN, a key added or removed during the listing may be missed or listed twice.",
        "On a Redis Cluster (--url redis+cluster://...) every master is listed in turn.",
        "Keys that are not UTF-8 print with U+FFFD in place of the bad bytes.",
    ]

    private static let batchSize = 1000

    static func run(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let pattern = invocation.optionalText("PATTERN")
        let connection = invocation.connection
        try invocation.output.writeArray { (array: inout JSONArrayStream) throws(PotteryError) in
            try connection.scanKeys(matching: pattern, count: batchSize) { keys throws(PotteryError) in
                for key in keys { try array.append(.string(key.description)) }
                return true
            }
        }
        return .success
    }
}

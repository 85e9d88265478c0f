import PotteryKit

/// `keys [PATTERN]`: `SCAN 0 MATCH PATTERN COUNT 1000` to the end of the
/// cursor, each batch printed as it arrives (bounded memory).
enum KeysCommand {
    static let details = [
        "PATTERN is a Redis glob (*, ?, [abc], \\ escapes), matched by the server.",
        "As with SCAN, a key added or removed during the listing may be missed or listed twice.",
        "Keys that are not UTF-8 print with U+FFFD in place of the bad bytes.",
    ]

    private static let batchSize = 1000

    static func run(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let pattern = invocation.optionalText("PATTERN")
        let connection = invocation.connection
        try invocation.output.writeArray { (array: inout JSONArrayStream) throws(PotteryError) in
            var cursor: [UInt8] = Array("0".utf8)
            repeat {
                var scan = RedisCommand("SCAN")
                scan.append(bytes: cursor)
                if let pattern {
                    scan.append("MATCH")
                    scan.append(pattern)
                }
                scan.append("COUNT")
                scan.append(batchSize)
                let reply = try connection.send(scan)
                guard let parts = reply.array, parts.count == 2, let next = parts[0].bytes, let keys = parts[1].array else {
                    throw PotteryError(.responseError, "unexpected SCAN reply", server: connection.server)
                }
                for key in keys {
                    try array.append(.string(String(decoding: key.bytes ?? [], as: UTF8.self)))
                }
                cursor = next
            } while cursor != Array("0".utf8)
        }
        return .success
    }
}

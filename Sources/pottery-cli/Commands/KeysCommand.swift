import PotteryKit

/// `keys [PATTERN]`: `SCAN 0 MATCH PATTERN COUNT 5000` to the end of the
/// cursor (on a cluster, on every master in turn), each batch printed as it
/// arrives (bounded memory).
enum KeysCommand {
    static let details = [
        "PATTERN is a Redis glob (*, ?, [abc], \\ escapes), matched by the server.",
        "As with SCAN, a key added or removed during the listing may be missed or listed twice.",
        "On a Redis Cluster (--url redis+cluster://...) every master is listed in turn.",
        "Keys that are not UTF-8 print with U+FFFD in place of the bad bytes.",
    ]

    static func run(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let connection = invocation.connection
        let listing = StoredListing(key: nil, connection: connection)
        let pages = PagedReads.scan("SCAN", key: nil, pattern: invocation.optionalText("PATTERN"), on: connection)
        try StoredListing.print(pages, to: invocation.output) { (page, array) throws(PotteryError) in
            for name in page { try listing.appendName(name, to: &array) }
        }
        return .success
    }
}

import PotteryKit

/// The page fetchers of the CLI's listings, for ``PagePrefetcher``: each call
/// sends one command through the public connection API and gives one page of
/// raw replies, `nil` once the walk is over. A fetcher keeps its own cursor
/// and is called from one thread at a time.
enum PagedReads {
    /// How many elements a listing asks for per round trip (`COUNT`, `LRANGE`
    /// range). Larger pages mean fewer round trips; three pages in memory at a
    /// time (one printing, two fetched) stay within a few megabytes.
    static let pageSize = 5000

    /// `SSCAN`/`HSCAN key cursor COUNT n`, or `SCAN cursor [MATCH pattern] COUNT n`
    /// when `key` is nil (every master of a cluster in turn): PotteryKit's
    /// ``RedisScan`` pages (`HSCAN`: field, value, field, ...), empty ones skipped.
    static func scan(_ name: String, key: RedisKey?, pattern: String? = nil, count: Int = pageSize,
                     on connection: RedisConnection) -> PagePrefetcher<[RedisReply]>.Fetch {
        let scan = RedisScan(name, key: key, matching: pattern, count: count, on: connection)
        return { () throws(PotteryError) -> [RedisReply]? in try scan.nextPage() }
    }

    /// `LRANGE key start start+size-1` for start = 0, size, 2·size, ... until a
    /// range comes back short: each range is read on its own, as
    /// `RedisList.forEachBatch` does.
    static func ranges(of key: RedisKey, size: Int = pageSize, on connection: RedisConnection) -> PagePrefetcher<[RedisReply]>.Fetch {
        let cursor = Cursor()
        return { () throws(PotteryError) -> [RedisReply]? in
            guard !cursor.isOver else { return nil }
            var command = RedisCommand("LRANGE", key: key)
            command.append(cursor.offset)
            command.append(cursor.offset + size - 1)
            let items = try connection.send(command).array ?? []
            cursor.offset += size
            if items.count < size { cursor.isOver = true }
            return items.isEmpty ? nil : items
        }
    }

    /// A range walk's position: the next range's start, and whether the last range came back short.
    private final class Cursor: @unchecked Sendable {
        var isOver = false
        var offset = 0
    }
}

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
    /// when `key` is nil: the cursor's batches (`HSCAN`: field, value, field, ...),
    /// empty batches skipped.
    static func scan(_ name: String, key: RedisKey?, pattern: String? = nil, count: Int = pageSize,
                     on connection: RedisConnection) -> PagePrefetcher<[RedisReply]>.Fetch {
        let cursor = Cursor()
        return { () throws(PotteryError) -> [RedisReply]? in
            // A whole-keyspace SCAN visits each master of a cluster in turn (one server: just it).
            if key == nil && cursor.nodes == nil { cursor.nodes = try connection.keyspaceConnections() }
            while true {
                guard let position = cursor.position else {
                    guard let nodes = cursor.nodes, cursor.node + 1 < nodes.count else { return nil }
                    cursor.node += 1
                    cursor.position = Cursor.start
                    continue
                }
                let connection = cursor.nodes?[cursor.node] ?? connection
                var command = key.map { RedisCommand(name, key: $0) } ?? RedisCommand(name)
                command.append(bytes: position)
                if let pattern {
                    command.append("MATCH")
                    command.append(pattern)
                }
                command.append("COUNT")
                command.append(count)
                let reply = try connection.send(command)
                guard let parts = reply.array, parts.count == 2, let next = parts[0].bytes, let batch = parts[1].array else {
                    throw PotteryError(.responseError, "unexpected \(name) reply", key: key?.description, server: connection.server)
                }
                cursor.position = next == Cursor.start ? nil : next
                if !batch.isEmpty { return batch }
            }
        }
    }

    /// `LRANGE key start start+size-1` for start = 0, size, 2·size, ... until a
    /// range comes back short: each range is read on its own, as
    /// `RedisList.forEachBatch` does.
    static func ranges(of key: RedisKey, size: Int = pageSize, on connection: RedisConnection) -> PagePrefetcher<[RedisReply]>.Fetch {
        let cursor = Cursor()
        return { () throws(PotteryError) -> [RedisReply]? in
            guard cursor.position != nil else { return nil }
            var command = RedisCommand("LRANGE", key: key)
            command.append(cursor.offset)
            command.append(cursor.offset + size - 1)
            let items = try connection.send(command).array ?? []
            cursor.offset += size
            if items.count < size { cursor.position = nil }
            return items.isEmpty ? nil : items
        }
    }

    /// A walk's position: a `SCAN` cursor, `nil` once the walk is over; the next range's start.
    private final class Cursor: @unchecked Sendable {
        static let start: [UInt8] = [UInt8(ascii: "0")]
        var position: [UInt8]? = Cursor.start
        var offset = 0
        /// A whole-keyspace walk's nodes (one per cluster master) and the one being walked.
        var nodes: [RedisConnection]?
        var node = 0
    }
}

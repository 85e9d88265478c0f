/// A `SCAN`-family walk, one page per call: `SCAN` over the whole key space
/// (on a Redis Cluster, every master in turn) or `SSCAN`/`HSCAN`/`ZSCAN` over
/// one key. It keeps its own cursor; use it from one thread at a time.
///
/// As with any `SCAN`, an element added or removed during the walk (or, on a
/// cluster, a key moved to another master) may be missed or handed over twice.
public final class RedisScan: @unchecked Sendable {
    private static let start: [UInt8] = [UInt8(ascii: "0")]
    private let name: String
    private let key: RedisKey?
    private let pattern: String?
    private let count: Int
    private let connection: RedisConnection
    /// The connections a whole-keyspace walk visits, found on the first page.
    private var nodes: [RedisConnection]?
    private var node = 0
    /// The cursor on the current connection; `nil` once its walk is over.
    private var position: [UInt8]? = RedisScan.start

    /// A walk with `name` (`SCAN`, or `SSCAN`/`HSCAN`/`ZSCAN` with `key`).
    /// - Parameters:
    ///   - name: the command.
    ///   - key: the key walked, `nil` for `SCAN`.
    ///   - pattern: a Redis glob the server matches (`MATCH`), or `nil`.
    ///   - count: the `COUNT` hint per page.
    ///   - connection: the connection (a cluster connection walks every master for `SCAN`).
    public init(_ name: String = "SCAN", key: RedisKey? = nil, matching pattern: String? = nil, count: Int = 1000,
                on connection: RedisConnection) {
        self.name = name
        self.key = key
        self.pattern = pattern
        self.count = count
        self.connection = connection
    }

    /// The next non-empty page (`HSCAN`/`ZSCAN`: field, value, field, ...), or
    /// `nil` when the walk is over. Empty pages are skipped.
    /// - Parameter deadline: when each step must be over (`nil`: ``RedisConfiguration/ioTimeout``).
    /// - Throws: ``PotteryError`` for I/O failures and unexpected replies.
    public func nextPage(deadline: ContinuousClock.Instant? = nil) throws(PotteryError) -> [RedisReply]? {
        if key == nil && nodes == nil { nodes = try connection.keyspaceConnections() }
        while true {
            guard let cursor = position else {
                guard let nodes, node + 1 < nodes.count else { return nil }
                node += 1
                position = Self.start
                continue
            }
            let target = nodes?[node] ?? connection
            var command = key.map { RedisCommand(name, key: $0) } ?? RedisCommand(name)
            command.append(bytes: cursor)
            if let pattern {
                command.append("MATCH")
                command.append(pattern)
            }
            command.append("COUNT")
            command.append(count)
            let reply = try target.send(command, deadline: deadline)
            guard let parts = reply.array, parts.count == 2, let next = parts[0].bytes, let page = parts[1].array else {
                throw PotteryError(.responseError, "unexpected \(name) reply", key: key?.description, server: target.server)
            }
            position = next == Self.start ? nil : next
            if !page.isEmpty { return page }
        }
    }
}

/// Where a Redis server is and how to talk to it.
///
/// Made from a URL as redis-py (and so pottery) takes them:
/// `redis://[[user]:password@]host[:port][/db]` and
/// `unix://[[user]:password@]/path/redis.sock[?db=N]`. A `db` or `password`
/// query parameter is accepted on both. A Redis Cluster is named by its seed
/// nodes: `redis+cluster://[[user]:password@]host:port[,host:port...]` (any
/// reachable seed will do; see ``clusterSeeds``). `rediss://` is refused:
/// Debian's hiredis 0.14.1 has no TLS.
public struct RedisConfiguration: Sendable, Hashable {
    /// How to reach the server.
    public enum Endpoint: Sendable, Hashable {
        /// A TCP host (name, IPv4 or IPv6 address) and port.
        case tcp(host: String, port: Int)
        /// A unix domain socket path.
        case unix(path: String)
    }

    /// pottery's default server: `redis://localhost:6379/0`.
    public static let defaultURL = "redis://localhost:6379/0"

    /// The server.
    public var endpoint: Endpoint
    /// The ACL user name, if any (`AUTH user password`).
    public var username: String?
    /// The password, if any. Never printed: see ``maskedURL``.
    public var password: String?
    /// The logical database selected after connecting.
    public var database: Int
    /// How long connecting may take. Default 1 s.
    public var connectTimeout: Duration
    /// How long a call may go without progress (no byte written or read), or
    /// `nil` to wait for ever. Default 5 s.
    ///
    /// - Important: when it passes, the command's outcome is unknown: it may
    ///   have run. The connection is then discarded, so a late reply can never
    ///   be taken for the answer to a later command.
    public var ioTimeout: Duration?
    /// The seed nodes of a Redis Cluster (`redis+cluster://`), or empty for one
    /// server. A connection to a cluster asks the first seed that answers for
    /// the slot map and routes each command to the master of its keys' slot.
    public var clusterSeeds: [Endpoint] = []

    /// Whether this configuration names a Redis Cluster (``clusterSeeds`` is not empty).
    public var isCluster: Bool { !clusterSeeds.isEmpty }

    /// A configuration for `endpoint`.
    public init(endpoint: Endpoint, username: String? = nil, password: String? = nil, database: Int = 0,
                connectTimeout: Duration = .seconds(1), ioTimeout: Duration? = .seconds(5)) {
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.database = database
        self.connectTimeout = connectTimeout
        self.ioTimeout = ioTimeout
    }

    /// Parses a Redis URL.
    ///
    /// - Throws: ``PotteryError/Code/invalidURL`` for a malformed URL, an unknown
    ///   scheme, or `rediss://` (no TLS in this hiredis).
    public init(url: String) throws(PotteryError) {
        self = try RedisURLParser.parse(url)
    }

    /// The configuration named by `$REDIS_URL`, else ``defaultURL``, as pottery's default client.
    public static func fromEnvironment() throws(PotteryError) -> RedisConfiguration {
        try RedisConfiguration(url: Environment.value("REDIS_URL") ?? defaultURL)
    }

    /// The URL with the password replaced by `***`: safe for messages and logs.
    public var maskedURL: String {
        var auth = ""
        if username != nil || password != nil {
            auth = (username.map(RedisURLParser.percentEncode) ?? "") + (password == nil ? "" : ":***") + "@"
        }
        if isCluster {
            let seeds = clusterSeeds.map { seed -> String in
                guard case .tcp(let host, let port) = seed else { return "?" }
                return (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
            }
            return "redis+cluster://\(auth)" + seeds.joined(separator: ",")
        }
        switch endpoint {
        case .tcp(let host, let port):
            let shownHost = host.contains(":") ? "[\(host)]" : host
            return "redis://\(auth)\(shownHost):\(port)/\(database)"
        case .unix(let path):
            return "unix://\(auth)\(path)?db=\(database)"
        }
    }

    /// Every address and port this configuration reaches, with its database,
    /// host names resolved (`localhost` -> `127.0.0.1`, `::1`): two
    /// configurations that share one reach the same data. Resolves names, so
    /// it may block for up to ``connectTimeout`` (a name not resolved by then
    /// stands for itself); meant for checks before connecting.
    public func resolvedEndpoints() -> Set<String> {
        if isCluster {
            var all: Set<String> = []
            for seed in clusterSeeds {
                var one = self
                one.clusterSeeds = []
                one.endpoint = seed
                all.formUnion(one.resolvedEndpoints())
            }
            return all
        }
        switch endpoint {
        case .tcp(let host, let port):
            let addresses = HostResolver.addresses(of: host, by: .now + connectTimeout) ?? [host]
            return Set(addresses.map { "tcp \($0) \(port) \(database)" })
        case .unix(let path):
            return ["unix \(path) \(database)"]
        }
    }

    /// Endpoint and database, without credentials: two configurations with the
    /// same identity reach the same data, so set operations can run server-side.
    /// For a cluster, its seeds: set operations then also need their keys in one hash slot.
    public var serverIdentity: String {
        if isCluster { return "cluster " + clusterSeeds.map { "\($0)" }.sorted().joined(separator: ",") }
        switch endpoint {
        case .tcp(let host, let port): return "tcp \(host) \(port) \(database)"
        case .unix(let path): return "unix \(path) \(database)"
        }
    }
}

/// A cluster node's address, as `CLUSTER SLOTS`, `MOVED` and `ASK` name it.
struct ClusterNode: Hashable, Sendable, CustomStringConvertible {
    let host: String
    let port: Int

    /// `host:port` (an IPv6 host in brackets).
    var description: String { (host.contains(":") ? "[\(host)]" : host) + ":\(port)" }

    /// Parses `host:port`, splitting at the last `:` (safe for IPv6); an empty
    /// host means `fallbackHost` (the node that sent the redirect).
    init?(_ text: Substring, fallbackHost: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host.isEmpty ? fallbackHost : host
        self.port = port
    }

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}

/// Which master serves each of the 16384 slots.
struct ClusterSlotMap: Sendable {
    /// The masters, in the order `CLUSTER SLOTS` listed them.
    private(set) var masters: [ClusterNode] = []
    /// The replicas `CLUSTER SLOTS` listed: where the map can be asked again
    /// when masters are gone (a replica is promoted when its master dies).
    private(set) var replicas: [ClusterNode] = []
    /// For each slot, its master's index in `masters`, or -1 when no master serves it.
    private var owners = [Int16](repeating: -1, count: HashSlot.count)

    /// The master serving `slot`, if any.
    func owner(of slot: Int) -> ClusterNode? {
        let index = owners[slot]
        return index < 0 ? nil : masters[Int(index)]
    }

    /// Records that `node` serves `slot` (a `MOVED` reply).
    mutating func assign(_ slot: Int, to node: ClusterNode) {
        owners[slot] = Int16(index(of: node))
    }

    private mutating func index(of node: ClusterNode) -> Int {
        if let index = masters.firstIndex(of: node) { return index }
        masters.append(node)
        return masters.count - 1
    }

    /// The map in a `CLUSTER SLOTS` reply from the node at `askedHost`.
    init?(slotsReply reply: RedisReply, askedHost: String) {
        guard let ranges = reply.array else { return nil }
        for range in ranges {
            guard let fields = range.array, fields.count >= 3,
                  let start = fields[0].integer, let end = fields[1].integer,
                  let master = fields[2].array, master.count >= 2,
                  let hostBytes = master[0].bytes, let port = master[1].integer,
                  start >= 0, end < HashSlot.count, start <= end else { return nil }
            let host = String(decoding: hostBytes, as: UTF8.self)
            let node = ClusterNode(host: host.isEmpty || host == "?" ? askedHost : host, port: Int(port))
            let index = Int16(index(of: node))
            for slot in Int(start)...Int(end) { owners[slot] = index }
            for replica in fields.dropFirst(3) {
                guard let address = replica.array, address.count >= 2, let bytes = address[0].bytes,
                      let port = address[1].integer else { continue }
                let host = String(decoding: bytes, as: UTF8.self)
                let node = ClusterNode(host: host.isEmpty || host == "?" ? askedHost : host, port: Int(port))
                if !replicas.contains(node) { replicas.append(node) }
            }
        }
        if masters.isEmpty { return nil }
    }
}

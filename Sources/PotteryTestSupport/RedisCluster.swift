import Foundation
public import PotteryKit

/// A real Redis Cluster on loopback for tests: 3 masters and 3 replicas
/// (`redis-server --cluster-enabled yes`, joined by `redis-cli --cluster create`),
/// each a ``RedisServer`` in its own temp directory, writing nothing to disk.
/// Its processes are killed when it goes away or the test process exits.
public final class RedisCluster: @unchecked Sendable {
    /// Every node, masters and replicas, in the order they were created (the
    /// first `masters` were made masters; a failover may change that).
    public let nodes: [RedisServer]

    /// One cluster shared by the suites that do not change its topology.
    public static let shared: RedisCluster = {
        do { return try RedisCluster() } catch { fatalError("cannot start a Redis Cluster: \(error)") }
    }()

    /// Starts `masters` masters with `replicasPerMaster` replicas each and waits until
    /// every node says `cluster_state:ok` and agrees on the slot map.
    /// `nodeTimeout` (ms) is how long a silent node takes to be failed over.
    public init(masters: Int = 3, replicasPerMaster: Int = 1, nodeTimeout: Int = 3000) throws {
        let count = masters * (1 + replicasPerMaster)
        var nodes: [RedisServer] = []
        while nodes.count < count {
            // The cluster bus listens on port + 10000, which must be a valid port too.
            let server = try RedisServer(config: [
                "cluster-enabled yes", "cluster-config-file nodes.conf", "cluster-node-timeout \(nodeTimeout)",
            ])
            if server.port + 10000 <= 65535 { nodes.append(server) } else { server.stop() }
        }
        self.nodes = nodes
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-cli")
        process.arguments = ["--cluster", "create"] + nodes.map { "127.0.0.1:\($0.port)" }
            + ["--cluster-replicas", "\(replicasPerMaster)", "--cluster-yes"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw RedisServerError("redis-cli --cluster create failed: \(text.suffix(600))")
        }
        try waitUntilHealthy()
    }

    /// `redis+cluster://127.0.0.1:P1,127.0.0.1:P2,...` with every node as a seed.
    public var url: String { "redis+cluster://" + nodes.map { "127.0.0.1:\($0.port)" }.joined(separator: ",") }

    /// A new cluster connection (every node a seed).
    public func connection() -> RedisConnection {
        try! RedisConnection(url: url)
    }

    /// A plain single-server connection to one node, for checks behind the client's back.
    public func direct(_ node: RedisServer) -> RedisConnection {
        node.connection()
    }

    /// The node listening on `port`.
    public func node(port: Int) -> RedisServer? { nodes.first { $0.port == port } }

    /// The node serving `slot` as master now, asked of `CLUSTER SLOTS` on any node.
    public func master(of slot: Int) throws -> RedisServer {
        for ranges in try slotRanges() where ranges.range.contains(slot) {
            if let node = node(port: ranges.master) { return node }
        }
        throw RedisServerError("no master serves slot \(slot)")
    }

    /// The masters now, by `CLUSTER NODES` of the first node that answers.
    public func masters() throws -> [RedisServer] {
        var ports: [Int] = []
        for ranges in try slotRanges() where !ports.contains(ranges.master) { ports.append(ranges.master) }
        return ports.compactMap { node(port: $0) }
    }

    /// The replica ports of the master on `port`, by `CLUSTER SLOTS`.
    public func replicas(of master: RedisServer) throws -> [RedisServer] {
        try slotRanges().filter { $0.master == master.port }.first.map { $0.replicas.compactMap { node(port: $0) } } ?? []
    }

    /// `CLUSTER SLOTS` of the first running node: each range with its master's and replicas' ports.
    public func slotRanges() throws -> [(range: ClosedRange<Int>, master: Int, replicas: [Int])] {
        var lastError: any Error = RedisServerError("no node is running")
        for node in nodes where node.isRunning {
            do {
                let reply = try direct(node).send(RedisCommand("CLUSTER", key: "SLOTS"))
                return (reply.array ?? []).compactMap { entry in
                    guard let fields = entry.array, fields.count >= 3, let start = fields[0].integer,
                          let end = fields[1].integer, let master = fields[2].array?[1].integer else { return nil }
                    let replicas = fields.dropFirst(3).compactMap { $0.array?[1].integer }.map { Int($0) }
                    return (Int(start)...Int(end), Int(master), replicas)
                }
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    /// The `CLUSTER NODES` id of `node`.
    public func id(of node: RedisServer) throws -> String {
        let reply = try direct(node).send(RedisCommand("CLUSTER", key: "MYID"))
        return String(decoding: reply.bytes ?? [], as: UTF8.self)
    }

    /// Waits (up to 60 s) until every running node reports `cluster_state:ok`, they all
    /// report the same slot masters, and every replica's link to its master is up.
    public func waitUntilHealthy() throws {
        let limit = ContinuousClock.now + .seconds(60)
        var why = ""
        while ContinuousClock.now < limit {
            why = healthProblem() ?? ""
            if why.isEmpty { return }
            usleep(100_000)
        }
        throw RedisServerError("the cluster did not become healthy in 60 s: \(why)")
    }

    private func healthProblem() -> String? {
        var views: Set<String> = []
        for node in nodes where node.isRunning {
            let connection = direct(node)
            guard let info = try? connection.send(RedisCommand("CLUSTER", key: "INFO")).bytes.map({ String(decoding: $0, as: UTF8.self) }) else {
                return "\(node.port) does not answer CLUSTER INFO"
            }
            if !info.contains("cluster_state:ok") { return "\(node.port) is not ok" }
            guard let slots = try? connection.send(RedisCommand("CLUSTER", key: "SLOTS")) else { return "no slots" }
            let view = (slots.array ?? []).map { entry -> String in
                let fields = entry.array ?? []
                return fields.prefix(2).map { "\($0.integer ?? -1)" }.joined(separator: "-")
                    + "@\(fields.count > 2 ? fields[2].array?[1].integer ?? -1 : -1)/\(fields.count - 3)"
            }.sorted().joined(separator: ",")
            views.insert(view)
            guard let replication = try? connection.send(RedisCommand("INFO", key: "replication")).bytes.map({ String(decoding: $0, as: UTF8.self) }) else {
                return "\(node.port) does not answer INFO"
            }
            if replication.contains("role:slave") && !replication.contains("master_link_status:up") {
                return "replica \(node.port) is not in sync"
            }
        }
        return views.count == 1 ? nil : "the nodes disagree on the slot map: \(views)"
    }

    /// Waits (up to 60 s) until no slot's master is `node` any more (one of its
    /// replicas was promoted) and the cluster says `cluster_state:ok`.
    public func waitUntilFailedOver(from node: RedisServer) throws {
        let limit = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < limit {
            if let ranges = try? slotRanges(), !ranges.isEmpty, !ranges.contains(where: { $0.master == node.port }),
               healthProblem() == nil {
                return
            }
            usleep(100_000)
        }
        throw RedisServerError("no replica of \(node.port) took over its slots in 60 s")
    }

    /// Starts a crashed node again on its port with its `nodes.conf` (it
    /// rejoins, as a replica when it was failed over) and waits until the
    /// whole cluster is healthy.
    public func revive(_ node: RedisServer) throws {
        try node.restart()
        try waitUntilHealthy()
    }

    deinit {
        for node in nodes { node.stop() }
    }
}

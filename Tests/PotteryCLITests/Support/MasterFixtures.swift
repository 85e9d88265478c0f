import Foundation
import PotteryKit
import PotteryTestSupport

/// Redlock / NextID masters for the CLI's lock and nextid tests: independent
/// real redis-servers, started once per test process and shared by tests that
/// keep apart by unique keys. Tests that freeze or kill masters start their own.
struct CLIMasters: Sendable {
    let group: RedisMasters

    /// Five masters shared by the lock and nextid suites.
    static let shared: CLIMasters = {
        do { return CLIMasters(group: try RedisMasters(5)) } catch { fatalError("cannot start redis masters: \(error)") }
    }()

    /// Three URLs where nothing answers: ports bound for the whole test process
    /// and refusing (a killed server's port could be taken by a later server).
    static let dead: [String] = {
        do { return try refusing.get().map(\.url) } catch { fatalError("cannot reserve refusing ports: \(error)") }
    }()
    private static let refusing: Result<[RefusingPort], any Error> = Result { try (0..<3).map { _ in try RefusingPort() } }

    var urls: [String] { group.urls }

    /// `--master URL` for each of `urls`.
    static func options(_ urls: [String]) -> [String] { urls.flatMap { ["--master", $0] } }

    /// `--master URL` for every master.
    var options: [String] { Self.options(urls) }

    /// Sends one command to master `index` and returns its reply.
    @discardableResult
    func send(_ index: Int, _ name: String, _ arguments: String...) throws -> RedisReply {
        var command = RedisCommand(name)
        for argument in arguments { command.append(argument) }
        return try group.servers[index].connection().send(command)
    }

    /// `GET key` on every master, as text (`nil` where missing).
    func values(_ key: String) throws -> [String?] {
        try group.servers.indices.map { index in try send(index, "GET", key).bytes.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// ``values(_:)`` once they equal `expected`, or as they are after 10 s: an operation
    /// that returns once a majority answered leaves the other masters a moment behind.
    func values(_ key: String, settlingOn expected: [String?]) throws -> [String?] {
        let giveUp = ContinuousClock.now + .seconds(10)
        var current = try values(key)
        while current != expected && ContinuousClock.now < giveUp {
            Thread.sleep(forTimeInterval: 0.01)
            current = try values(key)
        }
        return current
    }

    /// `PTTL key` on every master.
    func pttls(_ key: String) throws -> [Int64] {
        try group.servers.indices.map { index in try send(index, "PTTL", key).integer ?? -3 }
    }

    /// `DEL key` on every master.
    func deleteEverywhere(_ key: String) throws {
        for index in group.servers.indices { try send(index, "DEL", key) }
    }

    /// A Python prelude defining `masters`, a set of redis-py clients, one per master.
    var pythonMasters: String {
        "from redis import Redis\nmasters = {" + urls.map { "Redis.from_url('\($0)')" }.joined(separator: ", ") + "}\n"
    }
}

/// A lowercase UUID4 as Python's `str(uuid.uuid4())` writes it.
func isLowercaseUUID4(_ text: String) -> Bool {
    text.range(of: "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", options: .regularExpression) != nil
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

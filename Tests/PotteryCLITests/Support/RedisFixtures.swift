import Foundation
import PotteryKit
import PotteryTestSupport

/// A fresh Redis key name for one test (tests run in parallel on one server).
func uniqueKey(_ label: String = #function) -> String {
    "cli-test:\(label.prefix(24).filter { $0.isLetter || $0.isNumber }):\(UUID().uuidString.prefix(8))"
}

/// Raw access to the shared test server, to check the bytes the CLI stored
/// and to plant data the CLI must read.
enum Raw {
    static let connection = RedisServer.shared.connection()

    @discardableResult
    static func send(_ name: String, _ arguments: String...) throws -> RedisReply {
        var command = RedisCommand(name)
        for argument in arguments { command.append(argument) }
        return try connection.send(command)
    }

    @discardableResult
    static func send(_ name: String, arguments: [String]) throws -> RedisReply {
        var command = RedisCommand(name)
        for argument in arguments { command.append(argument) }
        return try connection.send(command)
    }

    /// `HGET key field` as text, or `nil`.
    static func hget(_ key: String, _ field: String) throws -> String? {
        try send("HGET", key, field).bytes.map { String(decoding: $0, as: UTF8.self) }
    }

    /// `HGETALL` as a field -> value map of raw texts.
    static func hgetall(_ key: String) throws -> [String: String] {
        let items = try send("HGETALL", key).array ?? []
        var map: [String: String] = [:]
        var index = 0
        while index + 1 < items.count {
            map[text(items[index])] = text(items[index + 1])
            index += 2
        }
        return map
    }

    /// `SMEMBERS` as a set of raw texts.
    static func smembers(_ key: String) throws -> Set<String> {
        Set((try send("SMEMBERS", key).array ?? []).map(text))
    }

    static func type(_ key: String) throws -> String {
        text(try send("TYPE", key))
    }

    static func text(_ reply: RedisReply) -> String {
        String(decoding: reply.bytes ?? [], as: UTF8.self)
    }
}

/// A URL nothing listens on: a port bound (not listening) for the whole test
/// process, so no server started later can take it.
let deadServerURL: String = {
    do { return try deadServerPort.get().url } catch { fatalError("cannot reserve a refusing port: \(error)") }
}()
private let deadServerPort: Result<RefusingPort, any Error> = Result { try RefusingPort() }

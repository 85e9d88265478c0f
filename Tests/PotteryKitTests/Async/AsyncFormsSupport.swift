import PotteryKit
import PotteryTestSupport
import Testing

/// What a call gave: a value, or an error's code and message (not its key,
/// since the sync and async forms run on two keys), or another error's type.
enum Outcome<T: Equatable>: Equatable {
    case value(T)
    case failure(PotteryError.Code, String)
    case other(String)

    init(_ body: () throws -> T) {
        do { self = .value(try body()) } catch { self = Outcome.failure(error) }
    }

    init(_ body: () async throws -> T) async {
        do { self = .value(try await body()) } catch { self = Outcome.failure(error) }
    }

    static func failure(_ error: any Error) -> Outcome {
        guard let error = error as? PotteryError else { return .other("\(type(of: error))") }
        return .failure(error.code, error.message)
    }
}

/// Runs a sync form and its async form (on a twin handle) and expects the same outcome.
func expectSame<T: Equatable>(_ label: String, _ sync: () throws -> T, _ async: () async throws -> T,
                              sourceLocation: SourceLocation = #_sourceLocation) async {
    let expected = Outcome(sync)
    let got = await Outcome(async)
    #expect(got == expected, "\(label)", sourceLocation: sourceLocation)
}

/// The raw stored bytes at `key`, in an order that does not depend on the
/// key's name: a set's and a hash's sorted, a list's in order, a stream's
/// entries' fields without their IDs. Two keys written alike show the same.
func storedBytes(_ connection: RedisConnection, _ key: RedisKey) throws -> [String] {
    let type = String(decoding: try connection.send(RedisCommand("TYPE", key: key)).bytes ?? [], as: UTF8.self)
    func strings(_ reply: RedisReply) -> [String] { (reply.array ?? []).map { String(decoding: $0.bytes ?? [], as: UTF8.self) } }
    switch type {
    case "set": return [type] + strings(try connection.send(RedisCommand("SMEMBERS", key: key))).sorted()
    case "list":
        var lrange = RedisCommand("LRANGE", key: key)
        lrange.append(0)
        lrange.append(-1)
        return [type] + strings(try connection.send(lrange))
    case "hash":
        let flat = strings(try connection.send(RedisCommand("HGETALL", key: key)))
        return [type] + stride(from: 0, to: flat.count, by: 2).map { flat[$0] + "=" + flat[$0 + 1] }.sorted()
    case "stream":
        var xrange = RedisCommand("XRANGE", key: key)
        xrange.append("-")
        xrange.append("+")
        return [type] + (try connection.send(xrange).array ?? []).flatMap { strings($0.array?[1] ?? .null) }
    default: return [type]
    }
}

/// Expects the two keys to hold the same bytes.
func expectSameBytes(_ connection: RedisConnection, _ syncKey: RedisKey, _ asyncKey: RedisKey,
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(try storedBytes(connection, asyncKey) == storedBytes(connection, syncKey), sourceLocation: sourceLocation)
}

/// Stores a plain string at `key`, a Redis type no container uses.
func makeString(_ connection: RedisConnection, _ key: RedisKey) throws {
    var set = RedisCommand("SET", key: key)
    set.append("not a container")
    try connection.send(set)
}

/// ``expectSame(_:_:_:sourceLocation:)`` for calls that return nothing.
func expectSame(_ label: String, _ sync: () throws -> Void, _ async: () async throws -> Void,
                sourceLocation: SourceLocation = #_sourceLocation) async {
    await expectSame(label, { () throws -> Bool in try sync(); return true },
                     { () async throws -> Bool in try await async(); return true }, sourceLocation: sourceLocation)
}

extension Outcome: Sendable where T: Sendable {}

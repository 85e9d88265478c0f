import PotteryKit
import PotteryTestSupport
import Testing

/// `RedisDict` encodes its keys and values straight into the command it sends:
/// a value that cannot be encoded is a `typeError` naming the key, nothing is
/// sent, and the next call is whole.
@Suite struct EncodedInPlaceTests {
    @Test func aValueThatCannotBeEncodedSendsNothing() throws {
        let connection = RedisServer.shared.connection()
        let key = uniqueKey()
        let dict = RedisDict<String, Refusing>(connection, key: key)
        do {
            try dict.set(Refusing(refuses: true), for: "a")
            Issue.record("expected a typeError")
        } catch {
            #expect(error.code == .typeError)
            #expect(error.key == key.description)
        }
        #expect(try connection.send(RedisCommand("EXISTS", key: key)) == .integer(0))
        try dict.set(Refusing(refuses: false), for: "a")
        #expect(try connection.send(RedisCommand("HGETALL", key: key)) == .array([.bulk(Array("\"a\"".utf8)), .bulk(Array("7".utf8))]))
    }

    @Test func aKeyThatCannotBeEncodedSendsNothing() throws {
        let connection = RedisServer.shared.connection()
        let key = uniqueKey()
        let dict = RedisDict<Refusing, Int>(connection, key: key)
        let refused = Refusing(refuses: true)
        let calls: [(String, () throws(PotteryError) -> Void)] = [
            ("get", { () throws(PotteryError) in _ = try dict.get(refused) }),
            ("contains", { () throws(PotteryError) in _ = try dict.contains(refused) }),
            ("set", { () throws(PotteryError) in try dict.set(1, for: refused) }),
        ]
        for (name, call) in calls {
            do {
                try call()
                Issue.record("\(name): expected a typeError")
            } catch {
                #expect(error.code == .typeError, "\(name)")
            }
        }
        #expect(try connection.send(RedisCommand("EXISTS", key: key)) == .integer(0))
        try dict.set(2, for: Refusing(refuses: false))
        #expect(try dict.get(Refusing(refuses: false)) == 2)
    }

    /// The single-element writes of the other containers encode in place too.
    @Test func aSingleElementThatCannotBeEncodedSendsNothing() throws {
        let connection = RedisServer.shared.connection()
        let refused = Refusing(refuses: true)
        let accepted = Refusing(refuses: false)
        let setKey = uniqueKey(), listKey = uniqueKey(), dequeKey = uniqueKey(), boundedKey = uniqueKey(), queueKey = uniqueKey()
        let set = RedisSet<Refusing>(connection, key: setKey)
        let list = RedisList<Refusing>(connection, key: listKey)
        let deque = try RedisDeque<Refusing>(connection, key: dequeKey)
        let bounded = try RedisDeque<Refusing>(connection, key: boundedKey, maxlen: 2)
        let queue = RedisSimpleQueue<Refusing>(connection, key: queueKey)
        let calls: [(String, RedisKey, (Refusing) throws(PotteryError) -> Void)] = [
            ("set.add", setKey, { (x: Refusing) throws(PotteryError) in _ = try set.add(x) }),
            ("list.append", listKey, { (x: Refusing) throws(PotteryError) in try list.append(x) }),
            ("deque.appendLeft", dequeKey, { (x: Refusing) throws(PotteryError) in try deque.appendLeft(x) }),
            ("bounded deque.appendLeft", boundedKey, { (x: Refusing) throws(PotteryError) in try bounded.appendLeft(x) }),
            ("queue.put", queueKey, { (x: Refusing) throws(PotteryError) in try queue.put(x) }),
        ]
        for (name, key, call) in calls {
            do {
                try call(refused)
                Issue.record("\(name): expected a typeError")
            } catch {
                #expect(error.code == .typeError, "\(name)")
                #expect(error.key == key.description, "\(name)")
            }
            #expect(try connection.send(RedisCommand("EXISTS", key: key)) == .integer(0), "\(name)")
            try call(accepted)  // the connection is whole: the next call goes through
        }
        #expect(try set.count() == 1)
        #expect(try list.count() == 1)
        #expect(try deque.count() == 1)
        #expect(try bounded.count() == 1)
        #expect(try queue.qsize() == 1)
    }
}

/// Encodes as the integer 7, or refuses to be encoded.
private struct Refusing: Codable, Hashable, Sendable {
    var refuses: Bool

    init(refuses: Bool) { self.refuses = refuses }

    init(from decoder: any Decoder) throws {
        _ = try decoder.singleValueContainer().decode(Int.self)
        refuses = false
    }

    func encode(to encoder: any Encoder) throws {
        if refuses { throw EncodingError.invalidValue(7, .init(codingPath: [], debugDescription: "refused")) }
        var container = encoder.singleValueContainer()
        try container.encode(7)
    }
}

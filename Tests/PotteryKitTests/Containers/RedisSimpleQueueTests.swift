import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

@Suite struct RedisSimpleQueueTests {
    let connection = RedisServer.shared.connection()

    /// `XRANGE key - +` as [[field, value, ...]] of text, IDs left out.
    func entries(_ key: RedisKey) throws -> [[String]] {
        try command("XRANGE", key, "-", "+").array?.map { (entry: RedisReply) -> [String] in
            let fields: [RedisReply] = entry.array?[1].array ?? []
            return fields.map { String(decoding: $0.bytes ?? [], as: UTF8.self) }
        } ?? []
    }

    @discardableResult
    func command(_ name: String, _ key: RedisKey, _ words: String...) throws -> RedisReply {
        var command = RedisCommand(name, key: key)
        for word in words { command.append(word) }
        return try connection.send(command)
    }

    func xadd(_ key: RedisKey, _ fieldsAndValues: String...) throws {
        var command = RedisCommand("XADD", key: key)
        command.append("*")
        for word in fieldsAndValues { command.append(word) }
        try connection.send(command)
    }

    @Test func putStoresPotteryEntriesAndGetIsFirstInFirstOut() throws {
        let key = uniqueKey()
        let queue = RedisSimpleQueue<JSONValue>(connection, key: key)
        #expect(try queue.isEmpty())
        try queue.put("a")
        try queue.put(contentsOf: [["b": 1, "a": "é"], 1.0, nil, [1, "😀"]])
        #expect(try entries(key) == [
            ["item", "\"a\""], ["item", "{\"a\": \"\\u00e9\", \"b\": 1}"], ["item", "1.0"], ["item", "null"],
            ["item", "[1, \"\\ud83d\\ude00\"]"],
        ])
        #expect(try queue.qsize() == 5)
        #expect(try queue.isEmpty() == false)
        #expect(try queue.elements() == ["a", ["a": "é", "b": 1], 1.0, nil, [1, "😀"]])
        #expect(try queue.get() == "a")
        #expect(try queue.getNoWait() == ["a": "é", "b": 1])
        #expect(try queue.get(timeout: .seconds(1)) == 1.0)
        #expect(try queue.get(timeout: .zero) == JSONValue.null)
        #expect(try queue.get() == [1, "😀"])
        #expect(try queue.qsize() == 0)
        #expect(try queue.isEmpty())
        let empty = #expect(throws: PotteryError.self) { try queue.getNoWait() }
        #expect(empty?.code == .queueEmpty && empty?.key == key.description)
        try queue.clear()
        #expect(try connection.send(RedisCommand("EXISTS", key: key)) == .integer(0))
    }

    @Test func missingKeyIsAnEmptyQueueAndWaitingCreatesNothing() throws {
        let key = uniqueKey()
        let queue = RedisSimpleQueue<String>(connection, key: key)
        #expect(try queue.qsize() == 0)
        #expect(try queue.elements().isEmpty)
        #expect((#expect(throws: PotteryError.self) { try queue.get(timeout: .milliseconds(100)) })?.code == .queueEmpty)
        #expect((#expect(throws: PotteryError.self) { try queue.get(timeout: .microseconds(300)) })?.code == .queueEmpty)
        #expect(try queue.oldestEntry(timeout: .zero) == nil)
        let negative = #expect(throws: PotteryError.self) { try queue.get(timeout: .milliseconds(-1)) }
        #expect(negative?.code == .valueError)
        try queue.put(contentsOf: [])
        try queue.clear()
        #expect(try connection.send(RedisCommand("EXISTS", key: key)) == .integer(0))
    }

    @Test func typedElementsAndTemporaryQueues() throws {
        struct Job: Codable, Equatable { let id: Int; let name: String }
        var key: RedisKey?
        do {
            let queue = try RedisSimpleQueue<Job>(temporaryOn: connection)
            key = queue.key
            try queue.put(Job(id: 1, name: "x"))
            #expect(try entries(queue.key) == [["item", "{\"id\": 1, \"name\": \"x\"}"]])
            #expect(try queue.get() == Job(id: 1, name: "x"))
            try queue.put(Job(id: 2, name: "y"))
        }
        // UNLINK is sent without waiting for its reply: a round trip on the connection delivers it.
        _ = try connection.send(RedisCommand("PING"))
        #expect(try connection.send(RedisCommand("EXISTS", key: key!)) == .integer(0))
    }

    @Test func batchPutKeepsOrderAcrossScripts() throws {
        let key = uniqueKey()
        let queue = RedisSimpleQueue<Int>(connection, key: key)
        let count = 2 * RedisSimpleQueue<Int>.putBatchSize + 7
        try queue.put(contentsOf: Array(0..<count))
        #expect(try queue.qsize() == count)
        #expect(try queue.elements() == Array(0..<count))
        var batches = 0
        try queue.forEachBatch(count: 1000) { _ in batches += 1 }
        #expect(batches == 3)
        try queue.clear()
    }

    @Test func wrongRedisTypeChangesNothing() throws {
        let key = uniqueKey()
        try command("HSET", key, "f", "v")
        let queue = RedisSimpleQueue<Int>(connection, key: key)
        let operations: [(String, () throws -> Void)] = [
            ("put", { try queue.put(1) }),
            ("batch", { try queue.put(contentsOf: Array(0..<2500)) }),
            ("get", { _ = try queue.get(timeout: .seconds(1)) }),
            ("get forever", { _ = try queue.get() }),
            ("getNoWait", { _ = try queue.getNoWait() }),
            ("qsize", { _ = try queue.qsize() }),
            ("elements", { _ = try queue.elements() }),
            ("clear", { try queue.clear() }),
        ]
        for (name, operation) in operations {
            let error = #expect(throws: PotteryError.self, "\(name)") { try operation() }
            #expect(error?.code == .wrongType, "\(name): \(String(describing: error))")
        }
        #expect(try connection.send(RedisCommand("HGETALL", key: key)) == .array([.bulk(Array("f".utf8)), .bulk(Array("v".utf8))]))
        try connection.send(RedisCommand("DEL", key: key))
    }

    @Test func entriesNotInPotteryShapeAreDataErrorsAndStayQueued() throws {
        let cases: [(fields: [String], code: PotteryError.Code)] = [
            (["other", "1"], .decodeError),
            (["item", "1", "extra", "2"], .decodeError),
            (["item", "not json"], .decodeError),
            (["item", "\"a string\""], .typeError),
        ]
        for (fields, code) in cases {
            let key = uniqueKey()
            var command = RedisCommand("XADD", key: key)
            command.append("*")
            for word in fields { command.append(word) }
            try connection.send(command)
            try xadd(key, "item", "2")
            let queue = RedisSimpleQueue<Int>(connection, key: key)
            for operation: () throws -> Void in [{ _ = try queue.get() }, { _ = try queue.getNoWait() }, { _ = try queue.elements() }] {
                let error = #expect(throws: PotteryError.self) { try operation() }
                #expect(error?.code == code, "\(fields): \(String(describing: error))")
                #expect(error?.key == key.description)
            }
            #expect(try queue.qsize() == 2)
            #expect(try entries(key) == [fields, ["item", "2"]])
            try queue.clear()
        }
    }

    @Test func aWaitingGetReceivesAnElementPutLater() throws {
        let key = uniqueKey()
        let consumer = RedisSimpleQueue<String>(RedisServer.shared.connection(), key: key)
        let producer = RedisSimpleQueue<String>(connection, key: key)
        let result = Watchdog.run(within: .seconds(20)) { () -> Result<String, PotteryError> in
            let thread = Thread { usleep(300_000); try? producer.put("late") }
            thread.start()
            return Result { () throws(PotteryError) in try consumer.get() }
        }
        #expect(try result?.get() == "late")
        try producer.clear()
    }
}

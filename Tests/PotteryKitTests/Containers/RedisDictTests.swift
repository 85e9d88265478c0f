import PotteryKit
import PotteryTestSupport
import Testing

@Suite struct RedisDictTests {
    let connection = RedisServer.shared.connection()

    func hgetall(_ key: RedisKey) throws -> [String: String] {
        let flat = try connection.send(RedisCommand("HGETALL", key: key)).array ?? []
        var result: [String: String] = [:]
        var index = 0
        while index + 1 < flat.count {
            result[String(decoding: flat[index].bytes!, as: UTF8.self)] = String(decoding: flat[index + 1].bytes!, as: UTF8.self)
            index += 2
        }
        return result
    }

    @Test func storesPotteryBytesAndReadsThemBack() throws {
        let key = uniqueKey()
        let tel = RedisDict<String, Int>(connection, key: key)
        try tel.set(4098, for: "jack")
        try tel.set(4139, for: "sape")
        try tel.set(4127, for: "é")
        #expect(try hgetall(key) == ["\"jack\"": "4098", "\"sape\"": "4139", "\"\\u00e9\"": "4127"])
        #expect(try tel.get("jack") == 4098)
        #expect(try tel.get("nobody") == nil)
        #expect(try tel.value(forKey: "é") == 4127)
        #expect(try tel.count() == 3)
        #expect(try tel.contains("sape"))
        #expect(try !tel.contains("guido"))
        #expect(Set(try tel.keys()) == ["jack", "sape", "é"])
        #expect(Set(try tel.values()) == [4098, 4139, 4127])
        #expect(try tel.isEqual(to: ["jack": 4098, "sape": 4139, "é": 4127]))
        #expect(try !tel.isEqual(to: ["jack": 4098]))
        try tel.clear()
        #expect(try tel.count() == 0)
    }

    @Test func missingKeysThrowKeyError() throws {
        let tel = RedisDict<String, Int>(connection, key: uniqueKey())
        let error = try #require(throws: PotteryError.self) { try tel.value(forKey: "x") }
        #expect(error.code == .keyError)
        #expect(error.message == "\"x\"")
        #expect(error.key == tel.key.description)
        #expect(throws: PotteryError.self) { try tel.delete("x") }
        let empty = try #require(throws: PotteryError.self) { try tel.popItem() }
        #expect(empty.code == .keyError)
    }

    @Test func popPopItemSetDefaultUpdateAndDelete() throws {
        let dict = RedisDict<String, JSONValue>(connection, key: uniqueKey())
        try dict.update([(key: "a", value: 1), (key: "b", value: [1, "two"]), (key: "c", value: nil), (key: "a", value: 1.5)])
        #expect(try dict.get("a") == .double(1.5))  // later pairs win
        #expect(try dict.removeValue(forKey: "a") == .double(1.5))
        #expect(try dict.removeValue(forKey: "a") == nil)
        #expect(try dict.setDefault("new", for: "d") == "new")
        #expect(try dict.setDefault("other", for: "d") == "new")
        #expect(try dict.removeValues(forKeys: ["b", "zz", "c", "yy"]) == ["zz", "yy"])
        #expect(try dict.keys() == ["d"])
        let item = try dict.popItem()
        #expect(item.key == "d" && item.value == "new")
        #expect(try dict.count() == 0)
        try dict.update([:] as [String: JSONValue])  // nothing sent, no error
        try dict.update(["x": true])
        try dict.delete("x")
        #expect(try dict.count() == 0)
    }

    @Test func hscanStreamsLargeHashesInBatches() throws {
        let dict = RedisDict<Int, Int>(connection, key: uniqueKey())
        try dict.update((0..<5000).map { (key: $0, value: $0 * 2) })
        var seen = 0
        var batches = 0
        try dict.forEachBatch(count: 500) { batch in
            batches += 1
            for (key, value) in batch { precondition(value == key * 2); seen += 1 }
        }
        #expect(seen >= 5000)
        #expect(batches > 1)
        #expect(try dict.items().count == 5000)
        #expect(try dict.toDictionary().count == 5000)
        try dict.clear()
    }

    @Test func creatingWithDataOnAnExistingKeyFails() throws {
        let key = uniqueKey()
        let dict = try RedisDict<String, Int>(connection, key: key, contents: [(key: "one", value: 1)])
        #expect(try dict.get("one") == 1)
        let error = try #require(throws: PotteryError.self) {
            try RedisDict<String, Int>(connection, key: key, contents: [(key: "two", value: 2)])
        }
        #expect(error.code == .keyExists)
        #expect(try dict.get("two") == nil)
        try dict.clear()
    }

    @Test func temporaryDictsGetPotteryKeysDeletedOnDeinit() throws {
        var key: RedisKey?
        do {
            let temporary = try RedisDict<String, Int>(temporaryOn: connection)
            key = temporary.key
            #expect(temporary.key.hasPrefix("pottery:"))
            #expect(temporary.key.description.count == "pottery:".count + 36)
            try temporary.set(1, for: "x")
            #expect(try connection.send(RedisCommand("EXISTS", key: temporary.key)) == .integer(1))
        }
        #expect(try connection.send(RedisCommand("EXISTS", key: key!)) == .integer(0))
    }

    @Test func wrongTypeAndBadBytesAreDataErrorsNamingTheKey() throws {
        let key = uniqueKey()
        try connection.send(command("RPUSH", key.description, "x"))
        let dict = RedisDict<String, Int>(connection, key: key)
        let wrongType = try #require(throws: PotteryError.self) { try dict.count() }
        #expect(wrongType.code == .wrongType)
        #expect(wrongType.key == key.description)
        let clear = try #require(throws: PotteryError.self) { try dict.clear() }
        #expect(clear.code == .wrongType)
        #expect(try connection.send(RedisCommand("LLEN", key: key)) == .integer(1))  // nothing deleted

        let bad = uniqueKey()
        try connection.send(command("HSET", bad.description, "\"ok\"", "not json{"))
        let garbage = RedisDict<String, JSONValue>(connection, key: bad)
        let decode = try #require(throws: PotteryError.self) { try garbage.get("ok") }
        #expect(decode.code == .decodeError)
        #expect(decode.key == bad.description)
        #expect(decode.message.contains("not json{"))
        let items = try #require(throws: PotteryError.self) { try garbage.items() }
        #expect(items.code == .decodeError)
        // Keys alone decode only the fields, as pottery's keys() does.
        #expect(try garbage.keys() == ["ok"])
        var streamed: [String] = []
        try garbage.forEachKeyBatch { streamed += $0 }
        #expect(streamed == ["ok"])
        // A JSON value of the wrong shape for the Swift type is a type error.
        try connection.send(command("HSET", bad.description, "\"ok\"", "\"text\""))
        let typed = RedisDict<String, Int>(connection, key: bad)
        let mismatch = try #require(throws: PotteryError.self) { try typed.get("ok") }
        #expect(mismatch.code == .typeError)
        try connection.send(RedisCommand("DEL", key: key))
        try connection.send(RedisCommand("DEL", key: bad))
    }

    @Test func popAndPopItemDeleteNothingWhenTheBytesAreNotJSON() throws {
        let key = uniqueKey()
        try connection.send(command("HSET", key.description, "\"v\"", "bad value"))
        let dict = RedisDict<String, JSONValue>(connection, key: key)
        let pop = try #require(throws: PotteryError.self) { try dict.removeValue(forKey: "v") }
        #expect(pop.code == .decodeError)
        let popItem = try #require(throws: PotteryError.self) { try dict.popItem() }
        #expect(popItem.code == .decodeError)
        #expect(try hgetall(key) == ["\"v\"": "bad value"])
        try connection.send(RedisCommand("DEL", key: key))
        try connection.send(command("HSET", key.description, "\"bad field", "1"))
        #expect(throws: PotteryError.self) { try dict.popItem() }
        #expect(try hgetall(key) == ["\"bad field": "1"])
        try connection.send(RedisCommand("DEL", key: key))
    }

    @Test func codableValuesAndEquality() throws {
        struct Person: Codable, Hashable, Sendable { var name: String; var age: Int; var tags: [String] }
        let key = uniqueKey()
        let people = RedisDict<String, Person>(connection, key: key)
        try people.set(Person(name: "Ada", age: 36, tags: ["math"]), for: "ada")
        #expect(try hgetall(key) == ["\"ada\"": "{\"age\": 36, \"name\": \"Ada\", \"tags\": [\"math\"]}"])
        #expect(try people.get("ada")?.name == "Ada")
        let sameKey = RedisDict<String, Person>(connection, key: key)
        #expect(try people.isEqual(to: sameKey))
        let copy = RedisDict<String, Person>(connection, key: uniqueKey())
        try copy.update(try people.toDictionary())
        #expect(try people.isEqual(to: copy))
        try copy.set(Person(name: "Bob", age: 1, tags: []), for: "bob")
        #expect(try !people.isEqual(to: copy))
        try people.clear()
        try copy.clear()
    }

    @Test func aDownServerIsAConnectionError() throws {
        let dict = RedisDict<String, Int>(try RedisConnection(url: "redis://127.0.0.1:1"), key: "k")
        let error = try #require(throws: PotteryError.self) { try dict.get("x") }
        #expect(error.code == .connectionError)
    }
}

@Suite struct ContainerErrorsNameTheKeyTests {
    @Test func everyKindOfCallNamesTheKeyWhenTheServerIsDown() throws {
        let down = try RedisConnection(url: "redis://127.0.0.1:1/0")
        let dict = RedisDict<String, Int>(down, key: "orders")
        let set = RedisSet<String>(down, key: "basket")
        // A plain command, a script, and a transaction.
        let calls: [(String, () throws -> Void)] = [
            ("orders", { _ = try dict.get("x") }),
            ("orders", { try dict.clear() }),
            ("orders", { _ = try dict.removeValue(forKey: "x") }),
            ("basket", { _ = try set.pop() }),
            ("basket", { try set.formSymmetricDifference(RedisSet<String>(down, key: "other")) }),
        ]
        for (key, call) in calls {
            do {
                try call()
                Issue.record("no error for \(key)")
            } catch let error as PotteryError {
                #expect(error.code == .connectionError)
                #expect(error.key == key || error.key == "other")
                #expect(error.server == "redis://127.0.0.1:1/0")
            }
        }
    }
}

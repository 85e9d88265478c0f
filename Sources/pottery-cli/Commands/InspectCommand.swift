import PotteryKit

/// `inspect KEY`: what a key holds, for an operator.
///
/// One round trip reads `TYPE` and `PTTL`, a second the length; then the
/// contents are streamed (bounded memory), so the object's members are
/// written in sorted order with `contents` first, exactly as
/// `PotteryJSON.encode` would order them.
enum InspectCommand {
    static let details = [
        "key       KEY as given",
        "type      Redis TYPE: hash, set, list, string, stream, zset, none...",
        "ttl       PTTL in milliseconds: -1 without expiry, -2 when KEY is missing",
        "length    HLEN, SCARD, LLEN, STRLEN, XLEN or ZCARD (PFCOUNT for a HyperLogLog, the holders",
        "          for a RedisSemaphore); null for other types and a missing key",
        "kind      the pottery class the key looks like: RedisDict (hash), RedisSet (set),",
        "          RedisList (list; a RedisDeque is stored the same way), RedisSimpleQueue (stream), Redlock (string under redlock:),",
        "          NextID (string under nextid:), HyperLogLog (string starting with HYLL),",
        "          BloomFilterSizing (pottery-cli's sizing record KEY:bloom-sizing),",
        "          BloomFilter (any other string), RedisSemaphore (pottery-cli's semaphore: the zset",
        "          semaphore:{NAME} and its :waiters and :waiting queues); null for other types and",
        "          a missing key",
        "contents  hash: an array of [field, value] pairs (decoded JSON); set: an array of",
        "          members; list: an array of items; stream: an array of the entries' `item`",
        "          values, oldest first (an entry not exactly `item <JSON>` is bad data);",
        "          string: its text, or null when it is not UTF-8 (a bitmap, an HLL); a NextID:",
        "          its value as a number (its text when that is not a whole number),",
        "          or a Redlock (its token is a secret: never printed); a BloomFilter with a",
        "          sizing record: {\"bits_set\", \"sizing\"}; a sizing record: its JSON object;",
        "          a RedisSemaphore: {\"holders\", \"leases_ms\", \"limit\", \"waiters\"}, as semaphore",
        "          status (never the tokens; null for its queues);",
        "          null for other types and a missing key. Arrays are streamed; when stored",
        "          bytes are not pottery JSON the array is closed where the bad item stands",
        "          (null if it is the first) and the exit status is 4.",
    ]

    private static let batchSize = 1000

    static func run(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let key = invocation.key
        let connection = invocation.connection
        let replies = try connection.pipeline([RedisCommand("TYPE", key: key), RedisCommand("PTTL", key: key)])
        let type = String(decoding: try replies[0].get().bytes ?? [], as: UTF8.self)
        let ttl = try replies[1].get().integer.map { JSONValue.int(Int($0)) } ?? .null

        var length: JSONValue = .null
        if let command = lengthCommand[type] {
            length = try connection.send(RedisCommand(command, key: key)).integer.map { .int(Int($0)) } ?? .null
        }

        var kind: JSONValue = .null
        var contents = Contents.value(.null)
        switch type {
        case "hash":
            kind = "RedisDict"
            contents = .stream { (array: inout JSONArrayStream) throws(PotteryError) in
                try RedisDict<JSONValue, JSONValue>(connection, key: key).forEachBatch(count: batchSize) { batch throws(PotteryError) in
                    for item in batch { try array.append(.array([item.key, item.value])) }
                }
            }
        case "set":
            kind = "RedisSet"
            contents = .stream { (array: inout JSONArrayStream) throws(PotteryError) in
                try RedisSet<JSONValue>(connection, key: key).forEachBatch(count: batchSize) { batch throws(PotteryError) in
                    for member in batch { try array.append(member) }
                }
            }
        case "list":
            kind = "RedisList"
            contents = .stream { (array: inout JSONArrayStream) throws(PotteryError) in
                try RedisList<JSONValue>(connection, key: key).forEachBatch(count: batchSize) { batch throws(PotteryError) in
                    for item in batch { try array.append(item) }
                }
            }
        case "stream":
            kind = "RedisSimpleQueue"
            contents = .stream { (array: inout JSONArrayStream) throws(PotteryError) in
                try RedisSimpleQueue<JSONValue>(connection, key: key).forEachBatch(count: batchSize) { batch throws(PotteryError) in
                    for element in batch { try array.append(element) }
                }
            }
        case "string":
            (kind, length, contents) = try inspectString(connection, key, length: length)
        case "zset":
            (kind, length, contents) = try inspectSortedSet(connection, key, length: length)
        default:
            break
        }

        try write(invocation.output, contents: contents, rest: [
            ("key", .string(key.description)), ("kind", kind), ("length", length), ("ttl", ttl), ("type", .string(type)),
        ])
        return .success
    }

    /// A string's pottery kind, length and contents: an HLL's length is its
    /// estimated count (`PFCOUNT`); a Bloom filter with a sizing record shows
    /// its bits set and the record instead of its bitmap.
    private static func inspectString(_ connection: RedisConnection, _ key: RedisKey,
                                      length: JSONValue) throws(PotteryError) -> (JSONValue, JSONValue, Contents) {
        if key.hasPrefix("redlock:") {
            // A lock's token is a secret: whoever holds it can release the lock.
            return ("Redlock", length, .value(.null))
        }
        let sizingKey = BloomFilter<JSONValue>.sizingKey(for: key, on: connection)
        var header = RedisCommand("GETRANGE", key: key)
        header.append(0)
        header.append(3)
        let replies = try connection.pipeline([header, RedisCommand("GET", key: sizingKey)])
        if try replies[0].get().bytes == Array("HYLL".utf8), !key.hasPrefix("nextid:") {
            let count = try? connection.send(RedisCommand("PFCOUNT", key: key)).integer
            return ("HyperLogLog", count.flatMap { $0 }.map { .int(Int($0)) } ?? length, .value(.null))
        }
        if let record = replies[1].bytes, let sizing = try? PotteryJSON.decode(record), case .object = sizing {
            let bits = try connection.send(RedisCommand("BITCOUNT", key: key)).integer ?? 0
            return ("BloomFilter", length, .value(.object(["bits_set": .int(Int(bits)), "sizing": sizing])))
        }
        let bytes = try connection.send(RedisCommand("GET", key: key)).bytes ?? []
        let text = String(validating: bytes, as: UTF8.self).map(JSONValue.string) ?? .null
        if key.hasPrefix("nextid:") {
            // NextID's value is an integer (pottery writes `str(int)`): print it as one, as `nextid --current` does.
            let number = String(decoding: bytes, as: UTF8.self)
            let isCanonical = number == "0" || number.wholeMatch(of: /-?[1-9][0-9]*/) != nil
            return ("NextID", length, .value(isCanonical ? Int64(number).map { .int(Int($0)) } ?? text : text))
        }
        if key.bytes.reversed().starts(with: Array(":bloom-sizing".utf8).reversed()),
           let record = try? PotteryJSON.decode(bytes), case .object = record {
            return ("BloomFilterSizing", length, .value(record))
        }
        return ("BloomFilter", length, .value(text))
    }

    /// A sorted set is pottery-cli's own only as a ``RedisSemaphore``: its holders
    /// (`semaphore:{NAME}`: length and contents from the semaphore's status, as
    /// `semaphore status` prints them, never the tokens) or its waiters' queues
    /// (`semaphore:{NAME}:waiters`, `:waiting`: tokens only, so no contents).
    private static func inspectSortedSet(_ connection: RedisConnection, _ key: RedisKey,
                                         length: JSONValue) throws(PotteryError) -> (JSONValue, JSONValue, Contents) {
        let text = key.description
        let prefix = "semaphore:{"
        guard text.hasPrefix(prefix), let close = text.lastIndex(of: "}") else { return (.null, length, .value(.null)) }
        let name = String(text[text.index(text.startIndex, offsetBy: prefix.count)..<close])
        let base = RedisSemaphore.redisKey(name)
        switch String(text[text.index(after: close)...]) {
        case "" where base == key:
            let status = try RedisSemaphore(key: name, limit: 1, connection: connection).status()
            return ("RedisSemaphore", .int(status.holders), .value(.object([
                "holders": .int(status.holders), "leases_ms": .array(status.leases.map { .int($0.milliseconds) }),
                "limit": status.limit.map(JSONValue.int) ?? .null, "waiters": .int(status.waiters),
            ])))
        case ":waiters", ":waiting":
            return ("RedisSemaphore", length, .value(.null))
        default:
            return (.null, length, .value(.null))
        }
    }

    private static let lengthCommand = [
        "hash": "HLEN", "set": "SCARD", "list": "LLEN", "string": "STRLEN", "stream": "XLEN", "zset": "ZCARD",
    ]

    private enum Contents {
        case value(JSONValue)
        case stream((inout JSONArrayStream) throws(PotteryError) -> Void)
    }

    /// `{"contents": ..., then the other members}`: compact or indented as
    /// `PotteryJSON` writes objects (`--raw` does not apply to objects).
    private static func write(_ output: OutputWriter, contents: Contents,
                              rest: [(String, JSONValue)]) throws(PotteryError) {
        output.append("{")
        output.appendBreak(level: 1)
        output.append(PotteryJSON.encode(.string("contents")) + Array(": ".utf8))
        defer {
            for (name, value) in rest {
                output.append(output.pretty ? "," : ", ")
                output.appendBreak(level: 1)
                output.append(PotteryJSON.encode(.string(name)) + Array(": ".utf8))
                output.append(output.encode(value, level: 1))
            }
            output.appendBreak(level: 0)
            output.append("}\n")
        }
        switch contents {
        case .value(let value):
            output.append(output.encode(value, level: 1))
        case .stream(let body):
            var array = JSONArrayStream(output: output, level: 1, raw: false)
            do throws(PotteryError) {
                try body(&array)
            } catch {
                // Unreadable from the start: `null`, not an empty container.
                if array.isOpen { array.finish() } else { output.append("null") }
                throw error
            }
            array.finish()
        }
    }

    /// Stored bytes as JSON, or a `JSONDecodeError` naming the key.
    private static func decode(_ bytes: [UInt8], _ key: RedisKey, _ connection: RedisConnection) throws(PotteryError) -> JSONValue {
        do {
            return try PotteryJSON.decode(bytes)
        } catch {
            let shown = String(decoding: bytes.prefix(40), as: UTF8.self) + (bytes.count > 40 ? "…" : "")
            throw PotteryError(.decodeError, "stored bytes \(String(decoding: PotteryJSON.encode(.string(shown)), as: UTF8.self)) are not pottery JSON: \(error.message)",
                               key: key.description, server: connection.server)
        }
    }
}

/// What every container shares: its connection, its key, its Redis type, and
/// pottery's element bytes (JSON made by ``PotteryJSON``).
///
/// Errors leaving here always name the container's key and server.
struct ContainerStorage: Sendable {
    let connection: RedisConnection
    let key: RedisKey
    /// The Redis type this container keeps its data in (`hash`, `set`, ...).
    let redisType: String

    /// pottery's bytes for `value`; a value that cannot be encoded is a ``PotteryError/Code/typeError``.
    func encode<T: Encodable>(_ value: T) throws(PotteryError) -> [UInt8] {
        do {
            return try PotteryJSON.encode(value)
        } catch {
            throw PotteryError(.typeError, "cannot encode \(T.self) as pottery JSON: \(error.message)",
                               key: key.description, server: connection.server)
        }
    }

    /// pottery's bytes for each of `values`, in order.
    ///
    /// Containers encode first and work on the bytes after: a container used
    /// from another module runs unspecialized generic code, where iterating or
    /// testing an `[Element]` (`for x in xs`, `xs.isEmpty`) looks up generic
    /// metadata and witness tables at run time, hundreds of instructions each.
    func encodeEach<T: Encodable>(_ values: [T]) throws(PotteryError) -> [[UInt8]] {
        var encoded: [[UInt8]] = []
        encoded.reserveCapacity(values.count)
        for index in 0..<values.count { encoded.append(try encode(values[index])) }
        return encoded
    }

    /// pottery's bytes for `value` into `buffer`, which is emptied first (its
    /// capacity kept): for loops over many elements.
    func encode<T: Encodable>(_ value: T, into buffer: inout [UInt8]) throws(PotteryError) {
        buffer.removeAll(keepingCapacity: true)
        do {
            try PotteryJSON.encode(value, appendingTo: &buffer)
        } catch {
            throw PotteryError(.typeError, "cannot encode \(T.self) as pottery JSON: \(error.message)",
                               key: key.description, server: connection.server)
        }
    }

    /// Decodes stored bytes; bytes that are not JSON, or JSON of another shape,
    /// are a data error naming the key and showing the bytes.
    func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) throws(PotteryError) -> T {
        do {
            return try PotteryJSON.decode(type, from: bytes)
        } catch {
            throw PotteryError.undecodable(bytes, as: "\(T.self)", error, key: key.description, server: connection.server)
        }
    }

    /// Decodes an element a pop took out (`RPOP`, `LPOP`, `SPOP`); bytes that do
    /// not decode are put back with `restore` (e.g. `RPUSH` for an `RPOP`) before
    /// the data error is thrown, so a bad element is reported, never lost.
    /// (`restore` nil: no put-back here; the async forms use ``popped(_:restore:_:)``.)
    func decodePopped<T: Decodable>(_ type: T.Type, reply: RedisReply, restore: String?) throws(PotteryError) -> T {
        do {
            return try decode(type, reply: reply)
        } catch {
            guard let restore, let bytes = reply.bytes else { throw error }
            throw putBack(error, restored: (try? send(command(restore, bytes))) != nil)
        }
    }

    /// The async form of ``decodePopped(_:reply:restore:)``: `decodeResult`
    /// decodes the popped `reply` without putting anything back; when it fails
    /// on popped bytes, they are put back with `restore` through the async pipeline.
    func popped<T>(_ reply: RedisReply, restore: String, _ decodeResult: () throws(PotteryError) -> T) async throws -> T {
        do {
            return try decodeResult()
        } catch {
            guard let bytes = reply.bytes else { throw error }
            throw putBack(error, restored: (try? await sendAsync(command(restore, bytes))) != nil)
        }
    }

    private func putBack(_ error: PotteryError, restored: Bool) -> PotteryError {
        var message = error
        if restored { message.message += " (the element was put back)" }
        return message
    }

    /// Decodes the bytes of a bulk reply.
    func decode<T: Decodable>(_ type: T.Type, reply: RedisReply) throws(PotteryError) -> T {
        guard let bytes = reply.bytes else {
            throw PotteryError(.responseError, "expected a bulk reply, got \(reply)", key: key.description, server: connection.server)
        }
        return try decode(type, bytes)
    }

    /// A command with this container's key as its first argument.
    func command(_ name: String) -> RedisCommand {
        RedisCommand(name, key: key)
    }

    /// A command with this container's key and the given byte arguments.
    func command(_ name: String, _ argument: [UInt8]) -> RedisCommand {
        var command = RedisCommand(name, key: key)
        command.append(bytes: argument)
        return command
    }

    /// A command with this container's key and pottery's bytes of `value`,
    /// encoded straight into the command (no array of its own).
    func command<T: Encodable>(_ name: String, encoding value: T) throws(PotteryError) -> RedisCommand {
        var command = RedisCommand(name, key: key)
        try append(value, to: &command)
        return command
    }

    /// A command with this container's key and pottery's bytes of `first` and `second`
    /// (a field and a value), encoded straight into the command.
    func command<A: Encodable, B: Encodable>(_ name: String, encoding first: A, _ second: B) throws(PotteryError) -> RedisCommand {
        var command = RedisCommand(name, key: key)
        try append(first, to: &command)
        try append(second, to: &command)
        return command
    }

    /// Appends pottery's bytes of `value` to `command` as one argument, encoded in place.
    func append<T: Encodable>(_ value: T, to command: inout RedisCommand) throws(PotteryError) {
        do {
            try command.appendArgument { (bytes: inout [UInt8]) throws(JSONCodecError) in
                try PotteryJSON.encode(value, appendingTo: &bytes)
            }
        } catch {
            throw PotteryError(.typeError, "cannot encode \(T.self) as pottery JSON: \(error.message)",
                               key: key.description, server: connection.server)
        }
    }

    /// A command with this container's key and two byte arguments (a field and a value).
    func command(_ name: String, _ first: [UInt8], _ second: [UInt8]) -> RedisCommand {
        var command = RedisCommand(name, key: key)
        command.append(bytes: first)
        command.append(bytes: second)
        return command
    }

    /// Sends a command.
    @discardableResult
    func send(_ command: RedisCommand) throws(PotteryError) -> RedisReply {
        do {
            return try connection.send(command)
        } catch {
            throw pinpointWrongType(error, among: command.keys)
        }
    }

    /// Sends a one-key command from a task (``AsyncRedisConnection/send(_:)``): errors name this key.
    @discardableResult
    func sendAsync(_ command: RedisCommand) async throws -> RedisReply {
        do {
            return try await connection.async.send(command)
        } catch let error as PotteryError {
            throw error.naming(key: key)
        }
    }

    /// Redis does not say which key of a multi-key command (`SUNION a b`) has
    /// the wrong type: ask (`TYPE` of each, one round trip) and name that key.
    func pinpointWrongType(_ error: PotteryError, among keys: [RedisKey]) -> PotteryError {
        guard error.code == .wrongType, keys.count > 1,
              let types = try? connection.pipeline(keys.map { RedisCommand("TYPE", key: $0) }) else { return error }
        for (key, type) in zip(keys, types) {
            let name = type.bytes.map { String(decoding: $0, as: UTF8.self) } ?? ""
            if name != redisType && name != "none" {
                var named = error
                named.key = key.description
                named.message += " (\(key) holds a \(name))"
                return named
            }
        }
        return error
    }

    /// ``RedisConnection/transaction(watching:maxAttempts:_:)`` whose errors name this key.
    @discardableResult
    func transaction<T>(watching keys: [RedisKey], _ body: (RedisTransaction) throws(PotteryError) -> T)
        throws(PotteryError) -> (value: T, replies: [RedisReply]) {
        do {
            return try connection.transaction(watching: keys, body)
        } catch {
            throw error.naming(key: key)
        }
    }

    /// An integer reply as `Int`.
    func integer(_ command: RedisCommand) throws(PotteryError) -> Int {
        try integer(send(command), to: command)
    }

    /// An integer reply to `command` as `Int` (the decoding shared by the sync and async forms).
    func integer(_ reply: RedisReply, to command: RedisCommand) throws(PotteryError) -> Int {
        guard let value = reply.integer else {
            throw PotteryError(.responseError, "expected an integer reply to \(command.name), got \(reply)",
                               key: key.description, server: connection.server)
        }
        return Int(value)
    }

    /// Sends a one-key command from a task and decodes its integer reply.
    func integerAsync(_ command: RedisCommand) async throws -> Int {
        try integer(await sendAsync(command), to: command)
    }

    /// Deletes the key (`UNLINK`) unless it holds another Redis type, which is
    /// a ``PotteryError/Code/wrongType`` error and deletes nothing.
    func clear() throws(PotteryError) {
        try connection.send(clearCommand())
    }

    /// The one command of ``clear()``, shared with the async forms.
    func clearCommand() -> RedisCommand {
        Self.clearScript.command(keys: [key], arguments: [Array(redisType.utf8)])
    }

    private static let clearScript = RedisScript("""
        local kind = redis.call('TYPE', KEYS[1])['ok']
        if kind ~= ARGV[1] and kind ~= 'none' then
          return redis.error_reply('WRONGTYPE Operation against a key holding the wrong kind of value')
        end
        return redis.call('UNLINK', KEYS[1])
        """)

    /// Walks a `HSCAN`/`SSCAN` cursor, handing each non-empty batch of raw
    /// elements to `body` until the cursor ends or `body` returns `false`.
    /// Inside an optimistic transaction, pass it so the reads run under its `WATCH`.
    func scan(_ name: String, count: Int, in transaction: RedisTransaction? = nil,
              _ body: ([RedisReply]) throws(PotteryError) -> Bool) throws(PotteryError) {
        var cursor: [UInt8] = Array("0".utf8)
        repeat {
            var scan = command(name)
            scan.append(bytes: cursor)
            scan.append("COUNT")
            scan.append(max(1, count))
            let reply: RedisReply
            if let transaction { reply = try transaction.send(scan) } else { reply = try send(scan) }
            guard let parts = reply.array, parts.count == 2, let next = parts[0].bytes, let batch = parts[1].array else {
                throw PotteryError(.responseError, "unexpected \(name) reply", key: key.description, server: connection.server)
            }
            cursor = next
            if !batch.isEmpty, try !body(batch) { return }
        } while cursor != Array("0".utf8)
    }

    /// Decodes a batch item by item and hands it to `body`. When an item fails
    /// to decode, the items before it are still delivered, then the error is
    /// thrown: a listing shows everything up to the bad bytes.
    func deliver<T>(_ count: Int, _ decodeItem: (Int) throws(PotteryError) -> T,
                    to body: ([T]) throws(PotteryError) -> Void) throws(PotteryError) {
        var batch: [T] = []
        batch.reserveCapacity(count)
        for index in 0..<count {
            do {
                batch.append(try decodeItem(index))
            } catch {
                if !batch.isEmpty { try body(batch) }
                throw error
            }
        }
        try body(batch)
    }

    /// Fails with `KeyExistsError` when the key exists, as pottery does when a
    /// container is made with initial data; otherwise runs `write` atomically
    /// (`WATCH key; EXISTS key; MULTI; ...; EXEC`).
    /// Elements per command for a large batch: a million elements go as a
    /// hundred commands in one `MULTI`/`EXEC`, not as one giant command.
    static let chunkSize = 10_000

    /// `name KEY` followed by `arguments` in commands of at most ``chunkSize`` arguments each.
    func chunkedCommands(_ name: String, _ arguments: [[UInt8]]) -> [RedisCommand] {
        stride(from: 0, to: arguments.count, by: Self.chunkSize).map { start in
            var command = self.command(name)
            for argument in arguments[start..<min(start + Self.chunkSize, arguments.count)] { command.append(bytes: argument) }
            return command
        }
    }

    /// Sends one command as it is, several atomically in one `MULTI`/`EXEC`;
    /// returns their replies, throwing the first error (a wrong type then
    /// applied none of them).
    @discardableResult
    func sendAtomically(_ commands: [RedisCommand]) throws(PotteryError) -> [RedisReply] {
        if commands.count == 1 { return [try send(commands[0])] }
        let replies = try transaction(watching: []) { transaction throws(PotteryError) in
            for command in commands { transaction.enqueue(command) }
        }.replies
        for reply in replies { try reply.get() }
        return replies
    }

    func createWithData(_ writes: [RedisCommand]) throws(PotteryError) {
        let server = connection.server
        let key = self.key
        try transaction(watching: [key]) { transaction throws(PotteryError) in
            if try transaction.send(RedisCommand("EXISTS", key: key)) != .integer(0) {
                throw PotteryError(.keyExists, "cannot create a container with data on a key that already exists",
                                   key: key.description, server: server)
            }
            for write in writes { transaction.enqueue(write) }
        }
    }

    /// A short, escaped excerpt of stored bytes, for messages (``PotteryError/excerpt(_:)``).
    static func excerpt(_ bytes: [UInt8]) -> String { PotteryError.excerpt(bytes) }
}

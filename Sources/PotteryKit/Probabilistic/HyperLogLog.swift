/// A HyperLogLog kept in a Redis HLL string, byte-compatible with pottery's
/// `HyperLogLog`: elements are added as their `json.dumps(element,
/// sort_keys=True)` bytes (see ``PotteryJSON``), so `1` and `"1"` are different
/// elements and Python pottery counts the same elements as this type.
///
/// The count is Redis' estimate (`PFCOUNT`, within about 1%); membership is
/// pottery's test (would adding the element change the HLL?), which may say
/// `true` for an element never added but never `false` for one that was.
///
/// Unlike pottery, making a handle writes nothing: pottery creates an empty
/// HLL on construction. A missing key is an empty HLL.
///
/// - Important: a `HyperLogLog` is a handle (see ``RedisContainer``).
public final class HyperLogLog<Element: Encodable>: RedisContainer, @unchecked Sendable {
    // Unchecked Sendable: a RedisContainer subclass (a checked Sendable class can have no superclass); its
    // stored properties are `let`s of Sendable types
    /// A handle on the HLL at `key`. Sends nothing.
    public init(_ connection: RedisConnection, key: RedisKey) {
        super.init(connection, key: key, redisType: "string")
    }

    /// An HLL on a new random key `pottery:<uuid4>`, deleted when this handle goes away.
    public init(temporaryOn connection: RedisConnection) throws(PotteryError) {
        try super.init(temporaryOn: connection, redisType: "string")
    }

    /// Adds an element (`PFADD`, leaving the bytes of pottery's `PFMERGE key` then `PFADD`, in one script);
    /// returns whether the estimate's registers changed. pottery: `hll.add(x)`.
    @discardableResult
    public func add(_ element: Element) throws(PotteryError) -> Bool {
        try storage.integer(try addCommand([element])) == 1
    }

    /// Adds the elements, atomically. pottery: `hll.update(iterable)`.
    ///
    /// The bytes left in Redis are those of pottery's `PFMERGE key; PFADD key
    /// elements...` (whose lone-key `PFMERGE` only marks the cached estimate stale),
    /// sparse or dense as pottery's, in one round trip (two when a large batch
    /// finds the HLL missing or sparse):
    /// - fewer than ``scriptBatchSize`` elements: one script (`PFADD`, then the mark);
    /// - from ``scriptBatchSize`` on: `MULTI; PFADD key elements...; EVAL mark; EXEC`, the elements
    ///   written straight into the command (not through Lua, which costs about
    ///   half a microsecond of server time per element);
    /// - from ``localBatchSize`` on, when the HLL is already dense: the registers are
    ///   computed here (Redis' own hash) and merged with one `PFMERGE` of a temporary
    ///   dense HLL in one script, the same registers and bytes as `PFADD`, for a fixed
    ///   cost on the server. A missing or sparse HLL takes the `PFADD` path instead
    ///   (a second round trip), which keeps it sparse when pottery's would stay sparse.
    ///
    /// Nothing is written when an element cannot be encoded
    /// (``PotteryError/Code/typeError``) or the key holds something other than an
    /// HLL (``PotteryError/Code/wrongType``).
    public func update(_ elements: [Element]) throws(PotteryError) {
        guard !elements.isEmpty else { return }
        guard elements.count >= Self.scriptBatchSize else {
            try storage.send(try addCommand(elements))
            return
        }
        let batch = HyperLogLogBatch(elements)
        if elements.count >= Self.localBatchSize, try mergeIfDense(batch) { return }
        let pfadd = try pfaddCommand(batch)
        let replies = try storage.transaction(watching: []) { transaction throws(PotteryError) in
            transaction.enqueue(pfadd)
            transaction.enqueue(HyperLogLogScripts.markStale.command(keys: [key]))
        }.replies
        for reply in replies { try reply.get() }
    }

    /// Batches of fewer elements than this are added by one script (their elements
    /// pass through Lua); larger ones by a plain `PFADD` in a transaction.
    public static var scriptBatchSize: Int { 32 }

    /// Batches of at least this many elements added to a dense HLL are hashed here
    /// and merged with one `PFMERGE`.
    public static var localBatchSize: Int { 2_000 }

    /// `PFADD key elements...`, pottery's bytes of each element written once, in RESP, in place.
    private func pfaddCommand(_ batch: HyperLogLogBatch<Element>) throws(PotteryError) -> RedisCommand {
        var writer = RESPArgumentWriter(reservingBytes: batch.count * 24)
        do throws(JSONCodecError) {
            try batch.writeArguments(to: &writer)
        } catch {
            throw encodingError(error)
        }
        var pfadd = RedisCommand("PFADD", key: key)
        pfadd.appendArguments(writer.finish())
        return pfadd
    }

    /// Merges the batch's registers, computed here, when the HLL is dense
    /// (``HyperLogLogScripts/mergeIntoDense``); `false` when it wrote nothing.
    private func mergeIfDense(_ batch: HyperLogLogBatch<Element>) throws(PotteryError) -> Bool {
        var registers = HyperLogLogRegisters()
        do throws(JSONCodecError) {
            try batch.addRegisters(to: &registers)
        } catch {
            throw encodingError(error)
        }
        let temporary = RandomKey.temporary(beside: key, on: connection)
        return try storage.integer(HyperLogLogScripts.mergeIntoDense.command(keys: [key, temporary], arguments: [registers.dense])) == 1
    }

    private func encodingError(_ error: JSONCodecError) -> PotteryError {
        PotteryError(.typeError, "cannot encode \(Element.self) as pottery JSON: \(error.message)",
                     key: key.description, server: connection.server)
    }

    /// `MULTI; SET tmp dense; PFMERGE target tmp; UNLINK tmp; EXEC`: the temporary
    /// key is gone whatever `PFMERGE` answers.
    private func mergeRegisters(_ registers: HyperLogLogRegisters, into target: RedisKey) throws(PotteryError) {
        let temporary = RandomKey.temporary(beside: target, on: connection)
        var set = RedisCommand("SET", key: temporary)
        set.append(bytes: registers.dense)
        var pfmerge = RedisCommand("PFMERGE", key: target)
        pfmerge.append(key: temporary)
        let replies = try storage.transaction(watching: []) { transaction throws(PotteryError) in
            transaction.enqueue(set)
            transaction.enqueue(pfmerge)
            transaction.enqueue(RedisCommand("UNLINK", key: temporary))
        }.replies
        for reply in replies { try reply.get() }
    }

    /// Adds elements that come in batches (`nextBatch` returns `nil` after the
    /// last), holding one batch in memory: for millions of elements.
    ///
    /// All or nothing: the registers are computed here (16 KB, whatever the
    /// number of elements) and merged into this HLL after the last batch, as
    /// a dense HLL (so when so few distinct elements came in many batches that
    /// pottery's `PFADD` would have kept the HLL sparse, the registers and count
    /// are pottery's but the bytes are Redis' dense encoding). When
    /// `nextBatch` throws, nothing is written. A single batch is ``update(_:)``.
    public func update(batches nextBatch: () throws(PotteryError) -> [Element]?) throws(PotteryError) {
        guard let first = try nextBatch() else { return }
        guard let second = try nextBatch() else { return try update(first) }
        // A key that is no HLL fails before reading everything (on a copy: PFCOUNT writes its estimate into the HLL).
        try storage.send(HyperLogLogScripts.validate.command(keys: [key, RandomKey.temporary(beside: key, on: connection)]))
        var registers = HyperLogLogRegisters()
        var buffer: [UInt8] = []
        var batch: [Element]? = first
        var following: [Element]? = second
        while let current = batch {
            for element in current {
                try storage.encode(element, into: &buffer)
                registers.add(buffer)
            }
            batch = following
            following = batch == nil ? nil : try nextBatch()
        }
        try mergeRegisters(registers, into: key)
    }

    /// Merges other HLLs into this one (`PFMERGE key others...`). pottery:
    /// `hll.update(other_hll, ...)`.
    /// - Throws: ``PotteryError/Code/valueError`` when one lives on another
    ///   server or database (pottery: `RuntimeError`); ``PotteryError/Code/wrongType``
    ///   when a key holds something other than an HLL, having changed nothing.
    public func merge(_ others: [HyperLogLog<Element>]) throws(PotteryError) {
        try storage.send(mergeCommand(others))
    }

    // The command of `merge`, shared by its sync and async forms.
    func mergeCommand(_ others: [HyperLogLog<Element>]) throws(PotteryError) -> RedisCommand {
        var pfmerge = storage.command("PFMERGE")
        for other in others {
            guard other.connection === connection || other.connection.configuration == connection.configuration else {
                throw PotteryError(.valueError, "cannot merge \(other.key) on \(other.connection.server): it lives on another Redis server or database",
                                   key: key.description, server: connection.server)
            }
            pfmerge.append(key: other.key)
        }
        return pfmerge
    }

    /// An HLL holding the elements of this one and of `others`: at `key`
    /// (merged into whatever that HLL already holds, as pottery does) or, without
    /// a key, on a temporary key. pottery: `hll.union(*others, key=...)`.
    public func union(_ others: [HyperLogLog<Element>], key destination: RedisKey? = nil) throws(PotteryError) -> HyperLogLog<Element> {
        let result: HyperLogLog<Element>
        if let destination {
            result = HyperLogLog(connection, key: destination)
        } else {
            result = try HyperLogLog(temporaryOn: connection)
        }
        try result.merge([self] + others)
        return result
    }

    /// The estimated number of distinct elements (`PFCOUNT`). pottery: `len(hll)`.
    public func count() throws(PotteryError) -> Int {
        try storage.integer(storage.command("PFCOUNT"))
    }

    /// Whether `element` may have been added. pottery: `x in hll`.
    public func contains(_ element: Element) throws(PotteryError) -> Bool {
        try containsMany([element])[0]
    }

    /// Whether each element may have been added, in one atomic script
    /// (pottery's copy-add-compare for each; its temporary key is deleted on
    /// every path, errors included). pottery: `hll.contains_many(*xs)`. An
    /// element that cannot be encoded is tested as a random UUID, as pottery does.
    public func containsMany(_ elements: [Element]) throws(PotteryError) -> [Bool] {
        guard !elements.isEmpty else { return [] }
        let reply: RedisReply
        do {
            reply = try connection.send(containsManyCommand(elements))
        } catch {
            throw error.naming(key: key)
        }
        return try containsManyResult(reply, count: elements.count)
    }

    // The command and the decoding of `containsMany`, shared by its sync and async forms.
    func containsManyCommand(_ elements: [Element]) -> RedisCommand {
        let arguments = elements.map { (try? PotteryJSON.encode($0)) ?? Array(RandomKey.uuid4().utf8) }
        let temporary = RandomKey.temporary(beside: key, on: connection)
        return HyperLogLogScripts.containsMany.command(keys: [key, temporary], arguments: arguments)
    }

    func containsManyResult(_ reply: RedisReply, count: Int) throws(PotteryError) -> [Bool] {
        guard let answers = reply.array, answers.count == count else {
            throw PotteryError(.responseError, "unexpected reply \(reply)", key: key.description, server: connection.server)
        }
        return answers.map { $0 == .integer(1) }
    }

    /// Deletes the HLL (`UNLINK`). pottery: `hll.clear()`.
    ///
    /// Unlike pottery, a key holding another Redis type, or a string that is
    /// not an HLL (which `PFCOUNT` refuses too), is left alone.
    /// - Throws: ``PotteryError/Code/wrongType`` then.
    public func clear() throws(PotteryError) {
        try storage.send(clearCommand())
    }

    // The command of `clear`, shared by its sync and async forms.
    func clearCommand() -> RedisCommand {
        HyperLogLogScripts.clear.command(keys: [key])
    }

    // pottery's update of small batches (`PFADD`, with the bytes of its `PFMERGE key; PFADD`, one script),
    // shared by the sync and async forms.
    func addCommand(_ elements: [Element]) throws(PotteryError) -> RedisCommand {
        var arguments: [[UInt8]] = []
        arguments.reserveCapacity(elements.count)
        for element in elements { arguments.append(try storage.encode(element)) }
        return HyperLogLogScripts.add.command(keys: [key], arguments: arguments)
    }
}

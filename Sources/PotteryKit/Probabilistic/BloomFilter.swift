/// A Bloom filter kept in a Redis string used as a bitmap, byte-compatible
/// with pottery's `BloomFilter`.
///
/// An element's bits are pottery's: MurmurHash3 x86 32-bit of its
/// `json.dumps(element, sort_keys=True)` bytes (see ``PotteryJSON``) with seeds
/// 0..<k, each taken modulo m (see ``BloomFilterSizing``). So a filter written
/// by Python pottery answers the same here, and the same elements set the same
/// bits (`GET key` is byte-identical).
///
/// pottery stores no sizing in Redis: every handle on a filter must be made
/// with the same `numElements` and `falsePositives`, or it reads and writes
/// other bits and answers wrong without any error. With `guardsSizing`, the
/// handle keeps the sizing in a companion key (``sizingKey(for:on:)``, pottery
/// JSON such as `{"false_positives": 0.01, "num_elements": 1000, "num_hashes": 7, "size": 9586}`),
/// records it on first use, and refuses a call whose sizing places bits
/// elsewhere (``PotteryError/Code/valueError``), having changed nothing.
/// Filters made by Python (no companion) are read as usual; the first guarded
/// call records the sizing it was given. pottery-cli always guards.
///
/// Every call is one round trip however many elements it has (a guarded
/// write: two, its guard read under `WATCH`): writes run in one `MULTI`/`EXEC`
/// (`BITFIELD ... SET u1` of the bits, or for dense batches one `BITOP OR` of a
/// bitmap built here), reads in one pipeline (`BITFIELD_RO`, or `GETRANGE` of
/// the bitmap).
///
/// - Important: a `BloomFilter` is a handle (see ``RedisContainer``).
public final class BloomFilter<Element: Encodable>: RedisContainer, @unchecked Sendable {
    // Unchecked Sendable: a RedisContainer subclass (a checked Sendable class can have no superclass); its
    // stored properties are `let`s of Sendable types
    /// The filter's m and k, from the n and p it was made with.
    public let sizing: BloomFilterSizing
    /// The companion key holding the sizing record, when this handle guards its sizing.
    public let guardedBy: RedisKey?

    /// A handle on the filter at `key`. Sends nothing.
    ///
    /// - Parameters:
    ///   - connection: The server.
    ///   - key: The Redis key, verbatim.
    ///   - sizing: n and p, the same as every other handle on this key uses.
    ///   - guardsSizing: Keep the sizing in ``sizingKey(for:on:)`` and refuse another.
    public init(_ connection: RedisConnection, key: RedisKey, sizing: BloomFilterSizing, guardsSizing: Bool = false) {
        self.sizing = sizing
        self.guardedBy = guardsSizing ? Self.sizingKey(for: key, on: connection) : nil
        super.init(connection, key: key, redisType: "string")
    }

    /// A handle on the filter at `key` for n = `numElements` and p = `falsePositives`,
    /// as pottery's `BloomFilter(num_elements=n, false_positives=p, key=key)`. Sends nothing.
    /// - Throws: ``PotteryError/Code/valueError`` for n < 1 or p outside (0, 1).
    public convenience init(_ connection: RedisConnection, key: RedisKey, numElements: Int, falsePositives: Double,
                            guardsSizing: Bool = false) throws(PotteryError) {
        self.init(connection, key: key, sizing: try BloomFilterSizing(numElements: numElements, falsePositives: falsePositives),
                  guardsSizing: guardsSizing)
    }

    /// A filter on a new random key `pottery:<uuid4>`, deleted when this handle goes away.
    public init(temporaryOn connection: RedisConnection, sizing: BloomFilterSizing) throws(PotteryError) {
        self.sizing = sizing
        self.guardedBy = nil
        try super.init(temporaryOn: connection, redisType: "string")
    }

    /// The companion key of a guarded filter: `KEY:bloom-sizing` (a Redis
    /// string holding pottery JSON; it shares KEY's cluster hash tag, if any).
    /// On a cluster (`connection`), when `KEY:bloom-sizing` would lie in another
    /// hash slot than KEY, it is `{TAG}KEY:bloom-sizing`, TAG putting it in KEY's slot.
    public static func sizingKey(for key: RedisKey, on connection: RedisConnection? = nil) -> RedisKey {
        let plain = RedisKey(bytes: key.bytes + Array(":bloom-sizing".utf8))
        guard let connection, connection.configuration.isCluster else { return plain }
        return connection.besideInSlot(of: key, plain)
    }

    /// m, the number of bits. pottery: `bf.size()`.
    public var size: Int { sizing.size }

    /// k, the number of hashes per element. pottery: `bf.num_hashes()`.
    public var numHashes: Int { sizing.numHashes }

    /// Sets the bits of `element`. pottery: `bf.add(x)`.
    /// - Throws: ``PotteryError/Code/typeError`` when it cannot be encoded;
    ///   ``PotteryError/Code/wrongType`` when the key holds another type;
    ///   ``PotteryError/Code/valueError`` for a guarded filter recorded with other sizing.
    public func add(_ element: Element) throws(PotteryError) {
        try update([element])
    }

    /// Sets the bits of every element, atomically, in one round trip. pottery: `bf.update(iterable)`.
    /// Nothing is written when an element cannot be encoded, the key holds
    /// another type, or a guarded filter was recorded with other sizing.
    public func update(_ elements: [Element]) throws(PotteryError) {
        guard !elements.isEmpty else { return }
        try write(offsets: try encodedOffsets(elements), to: key, guardedBy: guardedBy, ttl: 0)
    }

    /// Sets the bits of elements that come in batches (`nextBatch` returns
    /// `nil` after the last one), holding one batch in memory at a time: for
    /// millions of elements.
    ///
    /// All or nothing: the batches are staged in a temporary key (expiring
    /// after 10 minutes without a batch) that one script ORs into the filter
    /// after the last batch. When `nextBatch` or a write throws, the temporary
    /// key is deleted and the filter is unchanged. A single batch is written directly.
    public func update(batches nextBatch: () throws(PotteryError) -> [Element]?) throws(PotteryError) {
        guard let first = try nextBatch() else { return }
        guard let second = try nextBatch() else { return try update(first) }
        if guardedBy != nil { try check(writing: false) }  // fail before staging millions
        let staged = RandomKey.temporary(beside: key, on: connection)
        do {
            var batch: [Element]? = first
            var following: [Element]? = second
            while let current = batch {
                if !current.isEmpty {
                    try write(offsets: try encodedOffsets(current), to: staged, guardedBy: nil, ttl: Self.stagingTTL)
                }
                batch = following
                following = batch == nil ? nil : try nextBatch()
            }
            try orIn(staged, to: key, guardedBy: guardedBy, ttl: 0)
        } catch {
            _ = try? connection.send(RedisCommand("UNLINK", key: staged))
            throw error.naming(key: key)
        }
    }

    /// Whether `element` may have been added (false positives possible, false
    /// negatives not). pottery: `x in bf`. An element that cannot be encoded is not in.
    public func contains(_ element: Element) throws(PotteryError) -> Bool {
        try containsMany([element])[0]
    }

    /// Whether each element may have been added, in one round trip. pottery:
    /// `bf.contains_many(*xs)`. An element that cannot be encoded is not in
    /// (pottery tests a random UUID instead).
    public func containsMany(_ elements: [Element]) throws(PotteryError) -> [Bool] {
        guard !elements.isEmpty else { return [] }
        let k = sizing.numHashes
        var offsets: [Int] = []
        offsets.reserveCapacity(elements.count * k)
        var encodable: [Bool] = []
        encodable.reserveCapacity(elements.count)
        var buffer: [UInt8] = []
        for element in elements {
            buffer.removeAll(keepingCapacity: true)
            if (try? PotteryJSON.encode(element, appendingTo: &buffer)) != nil {
                sizing.appendOffsets(ofEncoded: buffer, to: &offsets)
                encodable.append(true)
            } else {
                encodable.append(false)
            }
        }
        let bits = try readBits(offsets)
        var answers: [Bool] = []
        answers.reserveCapacity(elements.count)
        var index = 0
        for isEncodable in encodable {
            guard isEncodable else { answers.append(false); continue }
            var all = true
            for bit in bits[index..<index + k] where !bit { all = false; break }
            answers.append(all)
            index += k
        }
        return answers
    }

    /// pottery's estimate of the number of elements added, from the number of
    /// bits set (`BITCOUNT`). pottery: `len(bf)`.
    /// - Throws: ``PotteryError/Code/valueError`` when every bit is set (as pottery).
    public func count() throws(PotteryError) -> Int {
        let bits = try bitsSet()
        do {
            return try sizing.estimatedCount(bitsSet: bits)
        } catch {
            throw error.naming(key: key)
        }
    }

    /// The number of bits set (`BITCOUNT` over the whole string, as pottery counts).
    public func bitsSet() throws(PotteryError) -> Int {
        let replies = try guardedPipeline([storage.command("BITCOUNT")])
        guard let count = replies[0].integer else {
            throw PotteryError(.responseError, "unexpected BITCOUNT reply \(replies[0])", key: key.description, server: connection.server)
        }
        return Int(count)
    }

    /// For a guarded filter: checks its recorded sizing against this handle's,
    /// and records it on first use of an existing filter. Does nothing unguarded.
    /// - Throws: ``PotteryError/Code/valueError`` when the recorded sizing differs;
    ///   ``PotteryError/Code/wrongType`` when the key holds another type.
    public func checkSizing() throws(PotteryError) {
        try check(writing: false)
    }

    /// Deletes the filter (`UNLINK`), and its sizing record when guarded. pottery: `bf.clear()`.
    ///
    /// Unlike pottery, a key holding another Redis type is left alone.
    /// - Throws: ``PotteryError/Code/wrongType`` then.
    public func clear() throws(PotteryError) {
        guard let guardedBy else { return try storage.clear() }
        do {
            try connection.evaluate(BloomFilterScripts.clear, keys: [key, guardedBy])
        } catch {
            throw error.naming(key: key)
        }
    }

    // MARK: internals

    /// How long a staged batch waits for the next one before Redis drops it.
    static var stagingTTL: Int { 600_000 }

    /// Offsets per `BITFIELD` command: a larger batch is cut into several in one `MULTI`.
    static var offsetsPerCall: Int { 100_000 }

    /// The k offsets of each element, in order.
    private func encodedOffsets(_ elements: [Element]) throws(PotteryError) -> [Int] {
        var offsets: [Int] = []
        offsets.reserveCapacity(elements.count * sizing.numHashes)
        var buffer: [UInt8] = []
        for element in elements {
            try storage.encode(element, into: &buffer)
            sizing.appendOffsets(ofEncoded: buffer, to: &offsets)
        }
        return offsets
    }

    /// Whether to move a bitmap rather than offsets. Measured here
    /// (BENCHMARKS.md, "Bloom writes"): Redis spends about half a microsecond
    /// per `BITFIELD` operation, plus parsing its four arguments, while a
    /// bitmap of up to a few megabytes is sent, stored and ORed (`BITOP`) at
    /// about a nanosecond a byte, so writes break even near 1,024 bytes of
    /// bitmap per offset; `BITOP` grows faster than its size beyond that
    /// (1.2 MB: 0.2-0.5 ms; 12 MB: 60 ms), so writes never move more than
    /// 2 MB. Reads only receive the bitmap (`GETRANGE`): 512 bytes per offset.
    private func prefersBitmap(offsetCount: Int, maxOffset: Int, writing: Bool) -> Bool {
        let bytes = maxOffset / 8 + 1
        guard writing else { return bytes <= 512 * offsetCount }
        return bytes <= 1024 * offsetCount && bytes <= 2 << 20
    }

    /// Sets the bits at `offsets` of `target`, atomically, in one round trip of
    /// plain commands in `MULTI`/`EXEC` (a Lua script would spend about 2 µs a bit
    /// on `redis.call`, and copy a bitmap twice more). Dense bits: a bitmap built
    /// here is `SET` in a temporary key in `target`'s slot, and the guard script
    /// `BloomFilterScripts.orBitmap` ORs it in (`BITOP`) and deletes it, in the
    /// same `EXEC`. Scattered bits: `BITFIELD ... SET u1 OFFSET 1`, after the
    /// guard read under `WATCH` (`writeGuarded`). Either
    /// way a refused call writes nothing.
    private func write(offsets: [Int], to target: RedisKey, guardedBy sizingKey: RedisKey?, ttl: Int) throws(PotteryError) {
        guard let maxOffset = offsets.max() else { return }
        if prefersBitmap(offsetCount: offsets.count, maxOffset: maxOffset, writing: true) {
            let temporary = RandomKey.temporary(beside: target, on: connection)
            var set = RedisCommand("SET", key: temporary)
            set.append(zeroedBytes: maxOffset / 8 + 1) { bitmap in
                for offset in offsets { bitmap[offset >> 3] |= 0x80 >> UInt8(offset & 7) }
            }
            try orIn(temporary, to: target, guardedBy: sizingKey, ttl: ttl, after: set)
        } else {
            var unique = offsets.sorted()
            unique.removeDuplicates()
            try writeGuarded(Self.bitfieldSets(unique, of: target), to: target, guardedBy: sizingKey, ttl: ttl)
        }
    }

    /// ORs the bitmap at `staged` into `target` and deletes `staged`, after the
    /// guard (`BloomFilterScripts.orBitmap`); with `set`, the command that
    /// stages it first, in the same `MULTI`/`EXEC`.
    private func orIn(_ staged: RedisKey, to target: RedisKey, guardedBy sizingKey: RedisKey?, ttl: Int,
                      after set: RedisCommand? = nil) throws(PotteryError) {
        let script = BloomFilterScripts.orBitmap.command(
            keys: [target, staged] + (sizingKey.map { [$0] } ?? []),
            arguments: [sizingKey == nil ? [] : sizing.record, Array(String(ttl).utf8)])
        do {
            guard let set else { return try refusal(try connection.send(script)) }
            let replies = try connection.transaction(watching: []) { transaction in
                transaction.enqueue(set)
                transaction.enqueue(script)
            }.replies
            try replies[0].get()
            try refusal(replies[1])
        } catch {
            throw error.naming(key: key)
        }
    }

    /// `BITFIELD target SET u1 OFFSET 1 ...`, at most ``offsetsPerCall`` offsets a command.
    private static func bitfieldSets(_ offsets: [Int], of target: RedisKey) -> [RedisCommand] {
        var commands: [RedisCommand] = []
        var start = 0
        while start < offsets.count {
            let end = min(start + offsetsPerCall, offsets.count)
            var bitfield = RedisCommand("BITFIELD", key: target)
            bitfield.reserve(bytes: (end - start) * 16, arguments: (end - start) * 4)
            for offset in offsets[start..<end] {
                bitfield.append(bytes: BitfieldWords.set)
                bitfield.append(bytes: BitfieldWords.u1)
                bitfield.append(offset)
                bitfield.append(bytes: BitfieldWords.one)
            }
            commands.append(bitfield)
            start = end
        }
        return commands
    }

    /// Runs `writes` (then `PEXPIRE target ttl` when `ttl` > 0) in one
    /// `MULTI`/`EXEC`, after the guard: the type and sizing record read under
    /// `WATCH` of the record, the record set on first use.
    private func writeGuarded(_ writes: [RedisCommand], to target: RedisKey, guardedBy sizingKey: RedisKey?,
                              ttl: Int) throws(PotteryError) {
        let sizing = self.sizing
        let key = self.key
        let server = connection.server
        let result: (value: Void, replies: [RedisReply])
        do {
            result = try connection.transaction(watching: sizingKey.map { [$0] } ?? []) { transaction throws(PotteryError) in
                if let sizingKey {
                    let reads = try transaction.pipeline([RedisCommand("TYPE", key: target), RedisCommand("GET", key: sizingKey),
                                                          RedisCommand("STRLEN", key: target)])
                    let kind = String(decoding: try reads[0].get().bytes ?? [], as: UTF8.self)
                    guard kind == "string" || kind == "none" else {
                        throw PotteryError(.wrongType, "WRONGTYPE Operation against a key holding the wrong kind of value",
                                           key: key.description, server: server)
                    }
                    // Longer than this sizing's m bits fill: made with other sizing (pottery records none).
                    let length = Int(try reads[2].get().integer ?? 0)
                    if length > (sizing.size + 7) / 8 {
                        throw Self.lengthConflict(length: length, sizing: sizing, key: key, server: server)
                    }
                    let stored = try reads[1].get().bytes
                    // A record the filter outgrew is stale (pottery cleared and remade it): the call's sizing fits.
                    let outgrown = stored.flatMap { Self.shape(of: $0) }.map { length > ($0[1] + 7) / 8 } ?? false
                    if kind == "none" || stored == nil || outgrown {
                        var set = RedisCommand("SET", key: sizingKey)  // first use, or a stale record beside no filter
                        set.append(bytes: sizing.record)
                        transaction.enqueue(set)
                    } else if let stored, Self.shape(of: stored) == nil || Self.shape(of: stored) != Self.shape(of: sizing.record) {
                        throw Self.sizingConflict(stored: stored, guardedBy: sizingKey, sizing: sizing, key: key, server: server)
                    }
                }
                for write in writes { transaction.enqueue(write) }
                if ttl > 0 {
                    var expire = RedisCommand("PEXPIRE", key: target)
                    expire.append(ttl)
                    transaction.enqueue(expire)
                }
            }
        } catch {
            throw error.naming(key: key)
        }
        for reply in result.replies { try reply.get() }
    }

    /// `(num_hashes, size)` of a sizing record, as the scripts' guard compares them.
    static func shape(of record: [UInt8]) -> [Int]? {
        guard case .object(let object)? = try? PotteryJSON.decode(record),
              case .int(let k)? = object["num_hashes"], case .int(let m)? = object["size"] else { return nil }
        return [Int(k), Int(m)]
    }

    /// Runs one of ``BloomFilterScripts`` and throws the refusal it reports.
    private func run(_ script: RedisCommand) throws(PotteryError) {
        do {
            try refusal(try connection.send(script))
        } catch {
            throw error.naming(key: key)
        }
    }

    /// Checks (and on first use records) the sizing.
    private func check(writing: Bool) throws(PotteryError) {
        guard let guardedBy else { return }
        try run(BloomFilterScripts.check.command(keys: [key, guardedBy], arguments: [sizing.record, Array((writing ? "1" : "0").utf8)]))
    }

    /// Runs reads in one pipeline, after the sizing check when guarded; returns the reads' replies.
    private func guardedPipeline(_ reads: [RedisCommand]) throws(PotteryError) -> [RedisReply] {
        var commands = reads
        if let guardedBy {
            commands.insert(BloomFilterScripts.check.command(keys: [key, guardedBy], arguments: [sizing.record, Array("0".utf8)]), at: 0)
        }
        let replies: [RedisReply]
        do {
            replies = try connection.pipeline(commands)
            if guardedBy != nil { try refusal(replies[0].get()) }
            for reply in replies { try reply.get() }
        } catch {
            throw error.naming(key: key)
        }
        return Array(replies.dropFirst(guardedBy == nil ? 0 : 1))
    }

    /// Throws the sizing conflict a script reported as `{0, stored}`.
    private func refusal(_ reply: RedisReply) throws(PotteryError) {
        try reply.get()
        guard let parts = reply.array, parts.count >= 2, parts[0] == .integer(0) else { return }
        if parts.count == 3, let length = parts[2].integer {
            throw Self.lengthConflict(length: Int(length), sizing: sizing, key: key, server: connection.server)
        }
        throw Self.sizingConflict(stored: parts[1].bytes ?? [], guardedBy: guardedBy, sizing: sizing, key: key, server: connection.server)
    }

    /// The error for a guarded filter recorded with other sizing.
    static func sizingConflict(stored: [UInt8], guardedBy: RedisKey?, sizing: BloomFilterSizing, key: RedisKey, server: String) -> PotteryError {
        let stored = String(decoding: stored, as: UTF8.self)
        return PotteryError(.valueError, "the filter's sizing is recorded as \(stored) in \(guardedBy?.description ?? "its sizing key"), "
                            + "but this call uses \(sizing): its bits would be elsewhere. Use the recorded sizing, "
                            + "or clear the filter to size it anew", key: key.description, server: server)
    }

    /// The error for a filter longer than `sizing`'s bits fill: it was made with other sizing
    /// (pottery records none), so this sizing would read and write the wrong bits.
    static func lengthConflict(length: Int, sizing: BloomFilterSizing, key: RedisKey, server: String) -> PotteryError {
        PotteryError(.valueError, "\(key) holds \(length) bytes of bits, more than \(sizing) fills (\((sizing.size + 7) / 8) bytes): "
                     + "it was made with other sizing, whose bits are elsewhere. Use the sizing it was made with, "
                     + "or clear the filter to size it anew", key: key.description, server: server)
    }

    /// The bits at `offsets`, in order, in one round trip: `BITFIELD_RO ... GET u1`
    /// (in chunks), or the whole bitmap (`GETRANGE`) when that is cheaper.
    private func readBits(_ offsets: [Int]) throws(PotteryError) -> [Bool] {
        guard let maxOffset = offsets.max() else { return [] }
        if prefersBitmap(offsetCount: offsets.count, maxOffset: maxOffset, writing: false) {
            var getrange = storage.command("GETRANGE")
            getrange.append(0)
            getrange.append(maxOffset / 8)
            let bitmap = try guardedPipeline([getrange])[0].bytes ?? []
            return offsets.map { offset in
                let index = offset >> 3
                return index < bitmap.count && bitmap[index] & (0x80 >> UInt8(offset & 7)) != 0
            }
        }
        var commands: [RedisCommand] = []
        var start = 0
        while start < offsets.count {
            let end = min(start + Self.offsetsPerCall, offsets.count)
            var bitfield = storage.command("BITFIELD_RO")
            for offset in offsets[start..<end] {
                bitfield.append("GET")
                bitfield.append("u1")
                bitfield.append(offset)
            }
            commands.append(bitfield)
            start = end
        }
        var bits: [Bool] = []
        bits.reserveCapacity(offsets.count)
        for reply in try guardedPipeline(commands) {
            for bit in reply.array ?? [] { bits.append(bit == .integer(1)) }
        }
        guard bits.count == offsets.count else {
            throw PotteryError(.responseError, "BITFIELD_RO answered \(bits.count) bits for \(offsets.count)",
                               key: key.description, server: connection.server)
        }
        return bits
    }
}

extension Array where Element: Equatable {
    /// Removes adjacent duplicates (of a sorted array: all duplicates).
    fileprivate mutating func removeDuplicates() {
        guard count > 1 else { return }
        var kept = 1
        for index in 1..<count where self[index] != self[kept - 1] {
            self[kept] = self[index]
            kept += 1
        }
        removeLast(count - kept)
    }
}

/// The words of `BITFIELD ... SET u1 OFFSET 1`, as bytes once.
private enum BitfieldWords {
    static let set = Array("SET".utf8)
    static let u1 = Array("u1".utf8)
    static let one = Array("1".utf8)
}

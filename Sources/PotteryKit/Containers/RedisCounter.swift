/// A multiset kept in a Redis hash, byte-compatible with pottery's `RedisCounter`.
///
/// Each element is a hash field (`json.dumps(element, sort_keys=True)` bytes,
/// see ``PotteryJSON``) and its count the hash value, a JSON integer (`"3"`,
/// `"0"`, `"-2"`), so Python pottery on the same key reads and writes the same
/// counts. A missing key is an empty counter.
///
/// Arithmetic follows Python's `collections.Counter`: ``update(_:)`` adds one
/// per occurrence to the stored count, zero and negative counts are kept.
/// pottery 3.0.1 doubles the stored count when updating from an iterable
/// (`new = 2·old + m`); this type does not copy that bug.
///
/// pottery's operators are methods: `c + d`, `c - d`, `c | d`, `c & d` are
/// `adding(_:)`, `subtracting(_:)`, `union(_:)` and `intersection(_:)` (with another
/// counter or a `[Element: Int]`, returning a dictionary of the counts above zero);
/// `+c` and `-c` are ``positive()`` and ``negative()``; `c += d`, `c -= d`, `c |= d`,
/// `c &= d` are `formAdding(_:)`, `formSubtracting(_:)`, `formUnion(_:)` and
/// `formIntersection(_:)`.
///
/// A stored count that is not a JSON integer fitting `Int` is a data error
/// (``PotteryError/Code/typeError``, or ``PotteryError/Code/decodeError`` for
/// bytes that are not JSON) naming the key; a write that meets one modifies nothing.
///
/// - Important: a `RedisCounter` is a handle (see ``RedisContainer``).
public final class RedisCounter<Element: Codable & Hashable & Sendable>: RedisContainer, @unchecked Sendable {
    // Unchecked Sendable: a RedisContainer subclass (a checked Sendable class can have no superclass); its
    // stored properties are `let`s of Sendable types
    /// A handle on the hash at `key`. Sends nothing; the key may not exist yet.
    public init(_ connection: RedisConnection, key: RedisKey) {
        super.init(connection, key: key, redisType: "hash")
    }

    /// A counter on a new random key `pottery:<uuid4>`, deleted when this handle goes away.
    /// - Throws: ``PotteryError/Code/randomKeyError`` if no free key was found.
    public init(temporaryOn connection: RedisConnection) throws(PotteryError) {
        try super.init(temporaryOn: connection, redisType: "hash")
    }

    /// A counter of `elements` (each occurrence counts one), as pottery's
    /// `RedisCounter(iterable, key=...)`: written atomically, and only if the key
    /// does not exist yet.
    /// - Throws: ``PotteryError/Code/keyExists`` when the key exists (whatever its type).
    public convenience init(_ connection: RedisConnection, key: RedisKey, counting elements: [Element]) throws(PotteryError) {
        try self.init(connection, key: key, counts: elements.map { (element: $0, count: 1) })
    }

    /// A counter holding `counts` (repeated elements add up), as pottery's
    /// `RedisCounter(mapping, key=...)`: written atomically, only if the key does not exist yet.
    /// - Throws: ``PotteryError/Code/keyExists`` when the key exists (whatever its type).
    public convenience init(_ connection: RedisConnection, key: RedisKey, counts: [(element: Element, count: Int)]) throws(PotteryError) {
        self.init(connection, key: key)
        guard !counts.isEmpty else { return }
        let fields = try encodedDeltas(encodedCounts(counts))
        var hset = storage.command("HSET")
        for (field, count) in fields {
            hset.append(bytes: field)
            hset.append(bytes: PotteryJSON.encode(JSONValue.int(count)))
        }
        try storage.createWithData([hset])
    }

    /// The count of `element`, 0 when it is missing (`HGET`; writes nothing). pottery: `c[x]`.
    public func count(of element: Element) throws(PotteryError) -> Int {
        try countResult(storage.send(countCommand(element)))
    }

    // The command and the decoding of `count(of:)`, shared by its sync and async forms.
    func countCommand(_ element: Element) throws(PotteryError) -> RedisCommand {
        storage.command("HGET", try storage.encode(element))
    }

    func countResult(_ reply: RedisReply) throws(PotteryError) -> Int {
        reply.isNull ? 0 : try countValue(reply)
    }

    /// Stores `count` for `element` (`HSET`), zero and negative counts included. pottery: `c[x] = n`.
    public func set(_ count: Int, for element: Element) throws(PotteryError) {
        try storage.send(setCommand(count, for: element))
    }

    func setCommand(_ count: Int, for element: Element) throws(PotteryError) -> RedisCommand {
        storage.command("HSET", try storage.encode(element), PotteryJSON.encode(JSONValue.int(count)))
    }

    /// Removes `element` (`HDEL`); a missing element is no error, as in
    /// Python's `Counter`. Returns whether it was there. pottery: `del c[x]`.
    @discardableResult
    public func delete(_ element: Element) throws(PotteryError) -> Bool {
        try storage.integer(deleteCommand(element)) == 1
    }

    func deleteCommand(_ element: Element) throws(PotteryError) -> RedisCommand {
        storage.command("HDEL", try storage.encode(element))
    }

    /// Adds one per occurrence of each element. pottery: `c.update(iterable)`
    /// (without its double-count bug). Atomic; see ``update(counts:)``.
    ///
    /// As in pottery, which builds a Python `Counter` of the elements first, elements equal
    /// by Python's `==` and `hash()` are one element named by the first occurrence's bytes:
    /// `update([1, 1.0, true])` adds 3 to the field `1` (not to a stored `1.0` or `true`
    /// field). Arrays and objects, unhashable in Python, are one element only when their
    /// bytes are the same. This holds for every update, subtract and initial contents.
    public func update(_ elements: [Element]) throws(PotteryError) {
        try add(encodedOnes(elements), sign: 1)
    }

    /// Adds each count to the stored one (`new = old + n`), atomically
    /// (`WATCH; HMGET; MULTI; HSET; EXEC`, retried on conflict). pottery: `c.update(mapping)`.
    /// - Throws: a data error, modifying nothing, when a stored count is not an
    ///   integer or a sum overflows `Int`.
    public func update(counts: [(element: Element, count: Int)]) throws(PotteryError) {
        try add(encodedCounts(counts), sign: 1)
    }

    /// Subtracts one per occurrence of each element; counts may go to zero or
    /// below and are kept. pottery: `c.subtract(iterable)`.
    public func subtract(_ elements: [Element]) throws(PotteryError) {
        try add(encodedOnes(elements), sign: -1)
    }

    /// Subtracts each count from the stored one (`new = old - n`), atomically. pottery: `c.subtract(mapping)`.
    public func subtract(counts: [(element: Element, count: Int)]) throws(PotteryError) {
        try add(encodedCounts(counts), sign: -1)
    }

    /// The number of distinct elements, whatever their counts (`HLEN`). pottery: `len(c)`.
    public func count() throws(PotteryError) -> Int {
        try storage.integer(storage.command("HLEN"))
    }

    /// Deletes the hash (`UNLINK`). pottery: `c.clear()`.
    ///
    /// Unlike pottery, a key holding another Redis type is left alone.
    /// - Throws: ``PotteryError/Code/wrongType`` then.
    public func clear() throws(PotteryError) {
        try storage.clear()
    }

    /// Every element with its count, each once, in the order `HSCAN` returns
    /// them (the hash's order, as pottery reads it). pottery: `c.items()`.
    public func items() throws(PotteryError) -> [(element: Element, count: Int)] {
        var seen: Set<[UInt8]> = []
        var items: [(element: Element, count: Int)] = []
        try forEachRawBatch(count: 1000) { (batch: [([UInt8], RedisReply)]) throws(PotteryError) in
            for (field, count) in batch where seen.insert(field).inserted {
                items.append((try storage.decode(Element.self, field), try countValue(count)))
            }
        }
        return items
    }

    /// Streams the elements and counts in batches of about `count` (`HSCAN`),
    /// with bounded memory. An entry that cannot be decoded stops the walk
    /// after every entry before it was delivered.
    public func forEachBatch(count: Int = 1000, _ body: ([(element: Element, count: Int)]) throws(PotteryError) -> Void) throws(PotteryError) {
        let storage = self.storage
        try forEachRawBatch(count: count) { (batch: [([UInt8], RedisReply)]) throws(PotteryError) in
            try storage.deliver(batch.count, { (index) throws(PotteryError) -> (element: Element, count: Int) in
                (try storage.decode(Element.self, batch[index].0), try self.countValue(batch[index].1))
            }, to: body)
        }
    }

    /// The `n` most common elements (all when `n` is nil) with their counts,
    /// highest first; ties keep the order in which Redis returns the fields,
    /// as Python's `Counter.most_common` keeps insertion order. A negative `n`
    /// gives none. pottery: `c.most_common(n)`.
    public func mostCommon(_ n: Int? = nil) throws(PotteryError) -> [(element: Element, count: Int)] {
        // Swift's sort is not stable: sort by (count desc, position).
        let sorted = try items().enumerated()
            .sorted { $0.element.count != $1.element.count ? $0.element.count > $1.element.count : $0.offset < $1.offset }
            .map(\.element)
        guard let n else { return sorted }
        return Array(sorted.prefix(max(0, n)))
    }

    /// Each element repeated as many times as its count, elements with counts
    /// below one left out, in the hash's order. pottery: `list(c.elements())`.
    public func elements() throws(PotteryError) -> [Element] {
        var elements: [Element] = []
        for (element, count) in try items() where count > 0 {
            elements.append(contentsOf: repeatElement(element, count: count))
        }
        return elements
    }

    /// The sum of all counts, negative ones included. pottery: `c.total()`.
    /// - Throws: a data error when the sum overflows `Int`.
    public func total() throws(PotteryError) -> Int {
        var total = 0
        for (_, count) in try items() {
            let (sum, overflow) = total.addingReportingOverflow(count)
            if overflow { throw tooLarge() }
            total = sum
        }
        return total
    }

    /// The whole counter as a Swift dictionary. pottery: `c.to_counter()`.
    public func toDictionary() throws(PotteryError) -> [Element: Int] {
        var dictionary: [Element: Int] = [:]
        for (element, count) in try items() { dictionary[element] = count }
        return dictionary
    }

    // MARK: internals

    /// Walks `HSCAN`, handing over (field bytes, value reply) pairs.
    private func forEachRawBatch(count: Int, _ body: ([([UInt8], RedisReply)]) throws(PotteryError) -> Void) throws(PotteryError) {
        let storage = self.storage
        try storage.scan("HSCAN", count: count) { replies throws(PotteryError) in
            var batch: [([UInt8], RedisReply)] = []
            var index = 0
            while index + 1 < replies.count {
                if let field = replies[index].bytes { batch.append((field, replies[index + 1])) }
                index += 2
            }
            try body(batch)
            return true
        }
    }

    /// A stored count: a JSON integer fitting `Int`, else a data error naming the key.
    func countValue(_ reply: RedisReply) throws(PotteryError) -> Int {
        let value = try storage.decode(JSONValue.self, reply: reply)
        switch value {
        case .int(let count): return count
        case .bigInt: throw tooLarge()
        default:
            let bytes = reply.bytes ?? []
            throw PotteryError(.typeError, "stored count \(ContainerStorage.excerpt(bytes)) is not an integer",
                               key: key.description, server: connection.server)
        }
    }

    func tooLarge() -> PotteryError {
        PotteryError(.typeError, "a count does not fit a 64-bit integer", key: key.description, server: connection.server)
    }

    /// pottery's bytes of each element, each counted once.
    func encodedOnes(_ elements: [Element]) throws(PotteryError) -> [([UInt8], Int)] {
        try storage.encodeEach(elements).map { ($0, 1) }
    }

    /// pottery's bytes of each element, with its count.
    func encodedCounts(_ counts: [(element: Element, count: Int)]) throws(PotteryError) -> [([UInt8], Int)] {
        var encoded: [([UInt8], Int)] = []
        encoded.reserveCapacity(counts.count)
        for index in 0..<counts.count { encoded.append((try storage.encode(counts[index].element), counts[index].count)) }
        return encoded
    }

    /// Encodes the elements and sums the deltas of repeated ones, keeping the first occurrence's order.
    ///
    /// Repeated means equal by Python's `==` and `hash()`, as pottery first builds a Python
    /// `Counter` of the arguments: `1`, `1.0` and `true` (or `0`, `-0.0` and `false`) are one
    /// element, whose field is the first occurrence's encoding (`PotteryJSON.pythonHashKey`).
    /// Arrays and objects, which Python cannot hash, are repeated only when their bytes are.
    ///
    /// Takes the elements already encoded (``encodedOnes(_:)``, ``encodedCounts(_:)``):
    /// past that step nothing depends on `Element`, so unspecialized generic code (a
    /// counter used from another module) instantiates no generic metadata per call.
    private func encodedDeltas(_ encoded: [([UInt8], Int)], sign: Int = 1) throws(PotteryError) -> [([UInt8], Int)] {
        if encoded.count == 1 {  // nothing to merge: the usual single update
            let (delta, overflow) = encoded[0].1.multipliedReportingOverflow(by: sign)
            if overflow { throw tooLarge() }
            return [(encoded[0].0, delta)]
        }
        var order: [(field: [UInt8], key: [UInt8])] = []
        var sums: [[UInt8]: Int] = [:]
        for (field, count) in encoded {
            let key = PotteryJSON.pythonHashKey(field)
            let (delta, overflowDelta) = count.multipliedReportingOverflow(by: sign)
            if overflowDelta { throw tooLarge() }
            if let sum = sums[key] {
                let (next, overflow) = sum.addingReportingOverflow(delta)
                if overflow { throw tooLarge() }
                sums[key] = next
            } else {
                order.append((field, key))
                sums[key] = delta
            }
        }
        return order.map { ($0.field, sums[$0.key]!) }
    }

    /// `new = old + sign·n` for each element, atomically.
    ///
    /// One element is one `HINCRBY` (see `addOne`). Otherwise the usual case
    /// is one Lua script: it checks that every stored count is
    /// a plain decimal integer below 2^53 in magnitude, sums in Lua (exact
    /// there) and writes the sums with `HSET` as decimal text, the bytes of
    /// pottery's JSON. When a count is not such an integer, or a delta or sum
    /// reaches 2^53, the script
    /// writes nothing and the exact path runs: an optimistic transaction that
    /// reads the counts under `WATCH`, decodes and sums them here (throwing the
    /// precise data error), and writes one `HSET`.
    private func add(_ encoded: [([UInt8], Int)], sign: Int) throws(PotteryError) {
        guard let plan = try addPlan(encoded, sign: sign) else { return }
        if let single = plan.single, try addOne(single) { return }
        let reply: RedisReply
        do {
            reply = try connection.send(plan.script)
        } catch {
            throw error.naming(key: key)
        }
        if reply == .integer(1) { return }
        try addExactly(plan.deltas)
    }

    /// The commands of ``add(_:sign:)`` (shared by the sync and async forms):
    /// for one element a `HINCRBY`, then the script of the usual case, and the
    /// deltas for the exact path. `nil` for no counts.
    func addPlan(_ encoded: [([UInt8], Int)], sign: Int) throws(PotteryError) -> CounterAddPlan? {
        guard !encoded.isEmpty else { return nil }
        let deltas = try encodedDeltas(encoded, sign: sign)
        var single: RedisCommand?
        if deltas.count == 1 {
            var hincrby = storage.command("HINCRBY", deltas[0].0)
            hincrby.append(deltas[0].1)
            single = hincrby
        }
        return CounterAddPlan(key: key, single: single, deltas: deltas)
    }

    /// One element by one `HINCRBY`, atomic by itself: Redis adds only to a
    /// stored canonical decimal integer (the bytes of a JSON integer) and only
    /// when the sum fits 64 bits, and otherwise refuses, writing nothing.
    /// Returns `false` after such a refusal, for the exact path to decide.
    private func addOne(_ hincrby: RedisCommand) throws(PotteryError) -> Bool {
        do {
            try storage.send(hincrby)
            return true
        } catch where Self.refused(error) {
            return false
        }
    }

    /// Whether a `HINCRBY` was refused (not an integer, or an overflow), having written nothing.
    static func refused(_ error: PotteryError) -> Bool {
        error.code == .responseError && error.redisCode == "ERR"
    }

    /// `new = old + delta` in one optimistic transaction: the stored counts are
    /// read under `WATCH`, checked and summed here, and written with one `HSET`
    /// only if every one of them is an integer and no sum overflows.
    func addExactly(_ deltas: [([UInt8], Int)]) throws(PotteryError) {
        let storage = self.storage
        var hmget = storage.command("HMGET")
        for (field, _) in deltas { hmget.append(bytes: field) }
        try storage.transaction(watching: [key]) { transaction throws(PotteryError) in
            let reply = try transaction.send(hmget)
            guard let stored = reply.array, stored.count == deltas.count else {
                throw PotteryError(.responseError, "unexpected HMGET reply \(reply)", key: self.key.description, server: self.connection.server)
            }
            var hset = storage.command("HSET")
            for ((field, delta), old) in zip(deltas, stored) {
                let current = old.isNull ? 0 : try self.countValue(old)
                let (new, overflow) = current.addingReportingOverflow(delta)
                if overflow { throw self.tooLarge() }
                hset.append(bytes: field)
                hset.append(bytes: PotteryJSON.encode(JSONValue.int(new)))
            }
            transaction.enqueue(hset)
        }
    }
}

/// Scripts of ``RedisCounter`` (a generic type cannot hold static stored properties).
enum CounterScripts {
    /// Returns 1 after adding every delta; 0, having written nothing, when a
    /// stored count is not a canonical decimal integer or a count, delta or sum
    /// reaches 2^53 in magnitude (Lua numbers are doubles, exact below 2^53:
    /// the exact path decides). ARGV: field, delta, field, delta, ... (fields
    /// distinct). Reads each chunk of 1000 fields with one `HMGET` and writes
    /// it with one `HSET`: per element, two Redis calls less than `HGET` +
    /// `HINCRBY` (a third less server time for a batch of 1000; BENCHMARKS.md).
    static let increment = RedisScript("""
        local limit = 9007199254740992
        local n = #ARGV / 2
        local sums = {}
        local i = 1
        while i <= n do
          local j = math.min(i + 999, n)
          local fields = {}
          for k = i, j do fields[#fields + 1] = ARGV[2 * k - 1] end
          local olds = redis.call('HMGET', KEYS[1], unpack(fields))
          for k = i, j do
            local old = olds[k - i + 1]
            local value = 0
            if old then
              if old ~= '0' and not string.match(old, '^%-?[1-9]%d*$') then return 0 end
              if #old > 17 then return 0 end
              value = tonumber(old)
            end
            local delta = tonumber(ARGV[2 * k])
            local sum = value + delta
            if math.abs(value) >= limit or math.abs(delta) >= limit or math.abs(sum) >= limit then return 0 end
            sums[k] = string.format('%d', sum)
          end
          i = j + 1
        end
        i = 1
        while i <= n do
          local j = math.min(i + 999, n)
          local args = {}
          for k = i, j do
            args[#args + 1] = ARGV[2 * k - 1]
            args[#args + 1] = sums[k]
          end
          redis.call('HSET', KEYS[1], unpack(args))
          i = j + 1
        end
        return 1
        """)
}

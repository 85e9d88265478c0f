/// pottery's Counter operators as methods (a Swift operator cannot throw a typed error
/// conveniently): `c + d`, `c - d`, `c | d`, `c & d` are `adding(_:)`, `subtracting(_:)`,
/// `union(_:)`, `intersection(_:)`; `+c` and `-c` are `positive()` and `negative()`; `c += d`,
/// `c -= d`, `c |= d`, `c &= d` are `formAdding(_:)`, `formSubtracting(_:)`, `formUnion(_:)`,
/// `formIntersection(_:)`. `d` is another ``RedisCounter`` or a `[Element: Int]`.
///
/// Results follow Python's `collections.Counter`: only counts above zero are kept. Every
/// operation reads the counter (and the other one, when it is a ``RedisCounter`` on the same
/// server: one `MULTI`/`EXEC` of two `HGETALL`s) in one consistent read, as pottery's
/// `_watch` does. Elements are compared by their stored bytes (`1` and `1.0` stored apart stay
/// apart). A stored element or count that cannot be decoded is a data error, and a key of
/// another Redis type ``PotteryError/Code/wrongType``; an in-place form then changes nothing.
extension RedisCounter {
    // MARK: pottery's binary operators, returning a dictionary

    /// The sum of this counter's and `other`'s counts, keeping counts above zero. pottery: `c + other`.
    ///
    /// Both counters are read in one `MULTI`/`EXEC` when they share a server (on a
    /// cluster: a hash slot); otherwise `other` is read first, then this one.
    /// - Throws: ``PotteryError/Code/wrongType`` for a key of another Redis type, a data error
    ///   for a stored element or count that cannot be decoded or a sum that overflows `Int`.
    public func adding(_ other: RedisCounter<Element>) throws(PotteryError) -> [Element: Int] {
        try combined(.add, with: .counter(other))
    }

    /// The sum of this counter's counts and `other`'s, keeping counts above zero. pottery: `c + Counter(other)`.
    /// - Throws: as `adding(_:)` (of a counter).
    public func adding(_ other: [Element: Int]) throws(PotteryError) -> [Element: Int] {
        try combined(.add, with: .counts(other))
    }

    /// This counter's counts minus `other`'s, keeping counts above zero (an element only in
    /// `other` with a negative count appears negated). pottery: `c - other`.
    /// - Throws: as `adding(_:)` (of a counter).
    public func subtracting(_ other: RedisCounter<Element>) throws(PotteryError) -> [Element: Int] {
        try combined(.subtract, with: .counter(other))
    }

    /// This counter's counts minus those of `other`, keeping counts above zero. pottery: `c - Counter(other)`.
    /// - Throws: as `adding(_:)` (of a counter).
    public func subtracting(_ other: [Element: Int]) throws(PotteryError) -> [Element: Int] {
        try combined(.subtract, with: .counts(other))
    }

    /// The larger of the two counts of each element, keeping counts above zero. pottery: `c | other`.
    /// - Throws: as `adding(_:)` (of a counter).
    public func union(_ other: RedisCounter<Element>) throws(PotteryError) -> [Element: Int] {
        try combined(.union, with: .counter(other))
    }

    /// The larger of this counter's and `other`'s count of each element, keeping counts above
    /// zero. pottery: `c | Counter(other)`.
    /// - Throws: as `adding(_:)` (of a counter).
    public func union(_ other: [Element: Int]) throws(PotteryError) -> [Element: Int] {
        try combined(.union, with: .counts(other))
    }

    /// The smaller of the two counts of each element, keeping counts above zero. pottery: `c & other`.
    /// - Throws: as `adding(_:)` (of a counter).
    public func intersection(_ other: RedisCounter<Element>) throws(PotteryError) -> [Element: Int] {
        try combined(.intersection, with: .counter(other))
    }

    /// The smaller of this counter's and `other`'s count of each element, keeping counts above
    /// zero. pottery: `c & Counter(other)`.
    /// - Throws: as `adding(_:)` (of a counter).
    public func intersection(_ other: [Element: Int]) throws(PotteryError) -> [Element: Int] {
        try combined(.intersection, with: .counts(other))
    }

    // MARK: pottery's unary operators

    /// The counts above zero, in one read (`HGETALL`). pottery: `+c`.
    /// - Throws: ``PotteryError/Code/wrongType`` for a key of another Redis type, or a data error.
    public func positive() throws(PotteryError) -> [Element: Int] {
        try dictionary(CounterAlgebra.sign(readCounts(storage.send(allCommand())), negative: false, overflow: tooLarge))
    }

    /// The counts below zero, negated (so above zero), in one read (`HGETALL`). pottery: `-c`.
    /// - Throws: ``PotteryError/Code/wrongType`` for a key of another Redis type, or a data error
    ///   (also for a count of `Int.min`, whose negation does not fit).
    public func negative() throws(PotteryError) -> [Element: Int] {
        try dictionary(CounterAlgebra.sign(readCounts(storage.send(allCommand())), negative: true, overflow: tooLarge))
    }

    // MARK: pottery's in-place operators

    /// Adds `other`'s counts to this counter's, then deletes every count at or below zero,
    /// in one `MULTI`/`EXEC` under `WATCH` (retried on conflict). pottery: `c += other`.
    ///
    /// `other` is read under the same `WATCH` when it shares this counter's server (on a
    /// cluster: hash slot), else once before.
    /// - Throws: as `adding(_:)` (of a counter); nothing is changed then.
    public func formAdding(_ other: RedisCounter<Element>) throws(PotteryError) {
        try formCombined(.add, with: .counter(other))
    }

    /// Adds `other`'s counts, then deletes every count at or below zero, atomically. pottery: `c += Counter(other)`.
    /// - Throws: as `formAdding(_:)` (of a counter).
    public func formAdding(_ other: [Element: Int]) throws(PotteryError) {
        try formCombined(.add, with: .counts(other))
    }

    /// Subtracts `other`'s counts, then deletes every count at or below zero, atomically. pottery: `c -= other`.
    /// - Throws: as `formAdding(_:)` (of a counter).
    public func formSubtracting(_ other: RedisCounter<Element>) throws(PotteryError) {
        try formCombined(.subtract, with: .counter(other))
    }

    /// Subtracts the counts of `other`, then deletes every count at or below zero, atomically. pottery: `c -= Counter(other)`.
    /// - Throws: as `formAdding(_:)` (of a counter).
    public func formSubtracting(_ other: [Element: Int]) throws(PotteryError) {
        try formCombined(.subtract, with: .counts(other))
    }

    /// Keeps the larger of the two counts of each element, then deletes every count at or
    /// below zero, atomically. pottery: `c |= other`.
    /// - Throws: as `formAdding(_:)` (of a counter).
    public func formUnion(_ other: RedisCounter<Element>) throws(PotteryError) {
        try formCombined(.union, with: .counter(other))
    }

    /// Keeps the larger of this counter's and `other`'s count of each element, then deletes
    /// every count at or below zero, atomically. pottery: `c |= other` (pottery 3.0.1 raises
    /// `KeyError` for a plain dict; this follows Python's `Counter`).
    /// - Throws: as `formAdding(_:)` (of a counter).
    public func formUnion(_ other: [Element: Int]) throws(PotteryError) {
        try formCombined(.union, with: .counts(other))
    }

    /// Keeps the smaller of the two counts of each element, then deletes every count at or
    /// below zero, atomically. pottery: `c &= other`.
    /// - Throws: as `formAdding(_:)` (of a counter).
    public func formIntersection(_ other: RedisCounter<Element>) throws(PotteryError) {
        try formCombined(.intersection, with: .counter(other))
    }

    /// Keeps the smaller of this counter's and `other`'s count of each element, then deletes
    /// every count at or below zero, atomically. pottery: `c &= other` (pottery 3.0.1 raises
    /// `KeyError` for a plain dict; this follows Python's `Counter`).
    /// - Throws: as `formAdding(_:)` (of a counter).
    public func formIntersection(_ other: [Element: Int]) throws(PotteryError) {
        try formCombined(.intersection, with: .counts(other))
    }

    // MARK: internals

    /// The other operand: a counter in Redis, or counts in this process.
    enum Operand {
        case counter(RedisCounter<Element>)
        case counts([Element: Int])
    }

    /// `self op other` from one consistent read.
    func combined(_ operation: CounterAlgebra.Operation, with other: Operand) throws(PotteryError) -> [Element: Int] {
        let mine: CounterAlgebra.Counts
        let theirs: CounterAlgebra.Counts
        switch other {
        case .counts(let counts):
            theirs = try encodedCounts(counts)
            mine = try readCounts(storage.send(allCommand()))
        case .counter(let counter) where sharesServer(with: counter):
            let replies = try storage.transaction(watching: []) { transaction throws(PotteryError) in
                transaction.enqueue(self.allCommand())
                transaction.enqueue(counter.allCommand())
            }.replies
            guard replies.count == 2 else { throw unexpectedReply() }
            mine = try readCounts(replies[0])
            theirs = try counter.readCounts(replies[1])
        case .counter(let counter):
            theirs = try counter.readCounts(counter.storage.send(counter.allCommand()))
            mine = try readCounts(storage.send(allCommand()))
        }
        return try dictionary(CounterAlgebra.combine(operation, mine, theirs, overflow: tooLarge))
    }

    /// `self op= other`: reads under `WATCH`, writes the changed counts with `HSET` and
    /// deletes the others with `HDEL` in one `MULTI`/`EXEC`.
    func formCombined(_ operation: CounterAlgebra.Operation, with other: Operand) throws(PotteryError) {
        var together: RedisCounter<Element>?
        var theirs = CounterAlgebra.Counts()
        switch other {
        case .counts(let counts): theirs = try encodedCounts(counts)
        case .counter(let counter) where sharesServer(with: counter): together = counter
        case .counter(let counter): theirs = try counter.readCounts(counter.storage.send(counter.allCommand()))
        }
        let storage = self.storage
        try storage.transaction(watching: together.map { [key, $0.key] } ?? [key]) { transaction throws(PotteryError) in
            let reads = [self.allCommand()] + (together.map { [$0.allCommand()] } ?? [])
            let replies = try transaction.pipeline(reads)
            guard replies.count == reads.count else { throw self.unexpectedReply() }
            let mine = try self.readCounts(replies[0])
            if let together { theirs = try together.readCounts(replies[1]) }
            let result = try CounterAlgebra.combine(operation, mine, theirs, overflow: self.tooLarge)
            var sets: [[UInt8]] = []
            for (field, count) in result.pairs where mine.counts[field] != count {
                sets.append(field)
                sets.append(PotteryJSON.encode(JSONValue.int(count)))
            }
            let deletions = mine.fields.filter { result.counts[$0] == nil }
            for command in storage.chunkedCommands("HSET", sets) + storage.chunkedCommands("HDEL", deletions) {
                transaction.enqueue(command)
            }
        }
    }

    /// `HGETALL` of this counter.
    func allCommand() -> RedisCommand { storage.command("HGETALL") }

    /// The counts of an `HGETALL` reply, every element and count checked; an error reply is thrown naming this key.
    func readCounts(_ reply: RedisReply) throws(PotteryError) -> CounterAlgebra.Counts {
        let answer: RedisReply
        do {
            answer = try reply.get()
        } catch {
            throw error.naming(key: key)
        }
        guard let flat = answer.array else { throw unexpectedReply() }
        var counts = CounterAlgebra.Counts()
        var index = 0
        while index + 1 < flat.count {
            guard let field = flat[index].bytes else { throw unexpectedReply() }
            _ = try storage.decode(Element.self, field)
            counts.set(field, try countValue(flat[index + 1]))
            index += 2
        }
        return counts
    }

    /// Counts of this process, encoded as this counter stores its elements.
    private func encodedCounts(_ counts: [Element: Int]) throws(PotteryError) -> CounterAlgebra.Counts {
        var encoded = CounterAlgebra.Counts()
        for (element, count) in counts { encoded.set(try storage.encode(element), count) }
        return encoded
    }

    /// Decodes a result; two fields decoding to one Swift value (strings that are
    /// canonically equivalent, a non-canonical field) cannot both be kept and are a `TypeError`.
    func dictionary(_ counts: CounterAlgebra.Counts) throws(PotteryError) -> [Element: Int] {
        var dictionary: [Element: Int] = [:]
        dictionary.reserveCapacity(counts.fields.count)
        for (field, count) in counts.pairs {
            let element = try storage.decode(Element.self, field)
            guard dictionary.updateValue(count, forKey: element) == nil else {
                throw PotteryError(.typeError, "stored elements \(ContainerStorage.excerpt(field)) and another are one Swift "
                                   + "\(Element.self): use RedisCounter<JSONValue> to keep them apart",
                                   key: key.description, server: connection.server)
            }
        }
        return dictionary
    }

    /// Whether `other` lives on this counter's server and database (on a cluster: in its hash slot).
    private func sharesServer(with other: RedisCounter<Element>) -> Bool {
        other.connection.configuration.serverIdentity == connection.configuration.serverIdentity
            && connection.sharesSlot([key, other.key])
    }

    private func unexpectedReply() -> PotteryError {
        PotteryError(.responseError, "unexpected HGETALL reply", key: key.description, server: connection.server)
    }
}

/// The async forms, which never block the cooperative pool (as ``RedisDict/async``):
/// one-command calls share the sync forms' command building and decoding and
/// go through the connection's async pipeline (an update is a `HINCRBY` or one
/// script; its rare exact path, a `WATCH` transaction, runs on PotteryKit's I/O threads);
/// the readings of the whole counter (`HSCAN`) run the sync method there too.
extension RedisCounter {
    /// The async forms of this counter's calls: `try await counter.async.update(xs)`.
    public var async: AsyncRedisCounter<Element> { AsyncRedisCounter(counter: self) }
}

/// The async forms of a ``RedisCounter``'s calls (``RedisCounter/async``).
public struct AsyncRedisCounter<Element: Codable & Hashable & Sendable>: Sendable {
    /// The counter.
    public let counter: RedisCounter<Element>

    /// ``RedisCounter/count(of:)`` without blocking the cooperative pool.
    public func count(of element: Element) async throws -> Int {
        try counter.countResult(await counter.storage.sendAsync(counter.countCommand(element)))
    }

    /// ``RedisCounter/set(_:for:)`` without blocking the cooperative pool.
    public func set(_ count: Int, for element: Element) async throws {
        try await counter.storage.sendAsync(counter.setCommand(count, for: element))
    }

    /// ``RedisCounter/delete(_:)`` without blocking the cooperative pool.
    @discardableResult
    public func delete(_ element: Element) async throws -> Bool {
        try await counter.storage.integerAsync(counter.deleteCommand(element)) == 1
    }

    /// ``RedisCounter/update(_:)`` without blocking the cooperative pool.
    public func update(_ elements: [Element]) async throws {
        try await add(counter.encodedOnes(elements), sign: 1)
    }

    /// ``RedisCounter/update(counts:)`` without blocking the cooperative pool.
    public func update(counts: [(element: Element, count: Int)]) async throws {
        try await add(counter.encodedCounts(counts), sign: 1)
    }

    /// ``RedisCounter/subtract(_:)`` without blocking the cooperative pool.
    public func subtract(_ elements: [Element]) async throws {
        try await add(counter.encodedOnes(elements), sign: -1)
    }

    /// ``RedisCounter/subtract(counts:)`` without blocking the cooperative pool.
    public func subtract(counts: [(element: Element, count: Int)]) async throws {
        try await add(counter.encodedCounts(counts), sign: -1)
    }

    /// ``RedisCounter/count()`` without blocking the cooperative pool.
    public func count() async throws -> Int {
        try await counter.storage.integerAsync(counter.storage.command("HLEN"))
    }

    /// ``RedisCounter/clear()`` without blocking the cooperative pool.
    public func clear() async throws {
        try await counter.storage.sendAsync(counter.storage.clearCommand())
    }

    /// ``RedisCounter/items()`` without blocking the cooperative pool.
    public func items() async throws -> [(element: Element, count: Int)] {
        try await IOThreadPool.shared.run { [counter] () throws(PotteryError) in try counter.items() }
    }

    /// ``RedisCounter/mostCommon(_:)`` without blocking the cooperative pool.
    public func mostCommon(_ n: Int? = nil) async throws -> [(element: Element, count: Int)] {
        try await IOThreadPool.shared.run { [counter] () throws(PotteryError) in try counter.mostCommon(n) }
    }

    /// ``RedisCounter/elements()`` without blocking the cooperative pool.
    public func elements() async throws -> [Element] {
        try await IOThreadPool.shared.run { [counter] () throws(PotteryError) in try counter.elements() }
    }

    /// ``RedisCounter/total()`` without blocking the cooperative pool.
    public func total() async throws -> Int {
        try await IOThreadPool.shared.run { [counter] () throws(PotteryError) in try counter.total() }
    }

    /// ``RedisCounter/toDictionary()`` without blocking the cooperative pool.
    public func toDictionary() async throws -> [Element: Int] {
        try await IOThreadPool.shared.run { [counter] () throws(PotteryError) in try counter.toDictionary() }
    }

    /// ``RedisCounter/forEachBatch(count:_:)`` without blocking the cooperative
    /// pool: the walk runs on a thread of its own, one batch in flight at a
    /// time, and `body` runs in this task. A throwing body or a cancelled
    /// task (`CancellationError`) stops the walk at its next batch.
    public func forEachBatch(count: Int = 1000, _ body: ([(element: Element, count: Int)]) async throws -> Void) async throws {
        try await BatchHandoff.forEachBatch({ [counter] deliver throws(PotteryError) in
            try counter.forEachBatch(count: count, deliver)
        }, body)
    }

    // MARK: pottery's operators (one consistent read, or a WATCH transaction, on the I/O threads)

    /// `RedisCounter.adding(_:)` without blocking the cooperative pool. pottery: `c + other`.
    public func adding(_ other: RedisCounter<Element>) async throws -> [Element: Int] {
        try await run { counter throws(PotteryError) in try counter.combined(.add, with: .counter(other)) }
    }

    /// `RedisCounter.adding(_:)` of counts, without blocking the cooperative pool. pottery: `c + Counter(other)`.
    public func adding(_ other: [Element: Int]) async throws -> [Element: Int] {
        try await run { counter throws(PotteryError) in try counter.combined(.add, with: .counts(other)) }
    }

    /// `RedisCounter.subtracting(_:)` without blocking the cooperative pool. pottery: `c - other`.
    public func subtracting(_ other: RedisCounter<Element>) async throws -> [Element: Int] {
        try await run { counter throws(PotteryError) in try counter.combined(.subtract, with: .counter(other)) }
    }

    /// `RedisCounter.subtracting(_:)` of counts, without blocking the cooperative pool. pottery: `c - Counter(other)`.
    public func subtracting(_ other: [Element: Int]) async throws -> [Element: Int] {
        try await run { counter throws(PotteryError) in try counter.combined(.subtract, with: .counts(other)) }
    }

    /// `RedisCounter.union(_:)` without blocking the cooperative pool. pottery: `c | other`.
    public func union(_ other: RedisCounter<Element>) async throws -> [Element: Int] {
        try await run { counter throws(PotteryError) in try counter.combined(.union, with: .counter(other)) }
    }

    /// `RedisCounter.union(_:)` of counts, without blocking the cooperative pool. pottery: `c | Counter(other)`.
    public func union(_ other: [Element: Int]) async throws -> [Element: Int] {
        try await run { counter throws(PotteryError) in try counter.combined(.union, with: .counts(other)) }
    }

    /// `RedisCounter.intersection(_:)` without blocking the cooperative pool. pottery: `c & other`.
    public func intersection(_ other: RedisCounter<Element>) async throws -> [Element: Int] {
        try await run { counter throws(PotteryError) in try counter.combined(.intersection, with: .counter(other)) }
    }

    /// `RedisCounter.intersection(_:)` of counts, without blocking the cooperative pool. pottery: `c & Counter(other)`.
    public func intersection(_ other: [Element: Int]) async throws -> [Element: Int] {
        try await run { counter throws(PotteryError) in try counter.combined(.intersection, with: .counts(other)) }
    }

    /// ``RedisCounter/positive()`` without blocking the cooperative pool. pottery: `+c`.
    public func positive() async throws -> [Element: Int] {
        try await run { counter throws(PotteryError) in try counter.positive() }
    }

    /// ``RedisCounter/negative()`` without blocking the cooperative pool. pottery: `-c`.
    public func negative() async throws -> [Element: Int] {
        try await run { counter throws(PotteryError) in try counter.negative() }
    }

    /// `RedisCounter.formAdding(_:)` without blocking the cooperative pool. pottery: `c += other`.
    public func formAdding(_ other: RedisCounter<Element>) async throws {
        try await run { counter throws(PotteryError) in try counter.formCombined(.add, with: .counter(other)) }
    }

    /// `RedisCounter.formAdding(_:)` of counts, without blocking the cooperative pool. pottery: `c += Counter(other)`.
    public func formAdding(_ other: [Element: Int]) async throws {
        try await run { counter throws(PotteryError) in try counter.formCombined(.add, with: .counts(other)) }
    }

    /// `RedisCounter.formSubtracting(_:)` without blocking the cooperative pool. pottery: `c -= other`.
    public func formSubtracting(_ other: RedisCounter<Element>) async throws {
        try await run { counter throws(PotteryError) in try counter.formCombined(.subtract, with: .counter(other)) }
    }

    /// `RedisCounter.formSubtracting(_:)` of counts, without blocking the cooperative pool. pottery: `c -= Counter(other)`.
    public func formSubtracting(_ other: [Element: Int]) async throws {
        try await run { counter throws(PotteryError) in try counter.formCombined(.subtract, with: .counts(other)) }
    }

    /// `RedisCounter.formUnion(_:)` without blocking the cooperative pool. pottery: `c |= other`.
    public func formUnion(_ other: RedisCounter<Element>) async throws {
        try await run { counter throws(PotteryError) in try counter.formCombined(.union, with: .counter(other)) }
    }

    /// `RedisCounter.formUnion(_:)` of counts, without blocking the cooperative pool. pottery: `c |= other`.
    public func formUnion(_ other: [Element: Int]) async throws {
        try await run { counter throws(PotteryError) in try counter.formCombined(.union, with: .counts(other)) }
    }

    /// `RedisCounter.formIntersection(_:)` without blocking the cooperative pool. pottery: `c &= other`.
    public func formIntersection(_ other: RedisCounter<Element>) async throws {
        try await run { counter throws(PotteryError) in try counter.formCombined(.intersection, with: .counter(other)) }
    }

    /// `RedisCounter.formIntersection(_:)` of counts, without blocking the cooperative pool. pottery: `c &= other`.
    public func formIntersection(_ other: [Element: Int]) async throws {
        try await run { counter throws(PotteryError) in try counter.formCombined(.intersection, with: .counts(other)) }
    }

    /// Runs a sync call of the counter on PotteryKit's I/O threads.
    private func run<T: Sendable>(_ body: @escaping @Sendable (RedisCounter<Element>) throws(PotteryError) -> T) async throws -> T {
        try await IOThreadPool.shared.run { [counter] () throws(PotteryError) in try body(counter) }
    }

    /// The sync form's `add`: its script through the async pipeline, the exact path on the I/O threads.
    private func add(_ encoded: [([UInt8], Int)], sign: Int) async throws {
        guard let plan = try counter.addPlan(encoded, sign: sign) else { return }
        if let single = plan.single {
            do {
                try await counter.storage.sendAsync(single)
                return
            } catch let error as PotteryError where RedisCounter<Element>.refused(error) {
                // Not an integer, or an overflow: the script and the exact path decide.
            }
        }
        if try await counter.storage.sendAsync(plan.script) == .integer(1) { return }
        try await IOThreadPool.shared.run { [counter] () throws(PotteryError) in try counter.addExactly(plan.deltas) }
    }
}

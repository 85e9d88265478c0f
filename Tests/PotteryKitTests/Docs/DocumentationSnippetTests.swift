import Foundation
import PotteryKit
import Testing

/// The Swift examples of the README and the DocC catalogue compile against
/// today's API: each ```swift block is copied verbatim into a function below
/// (never called: their URLs name other machines), and a test checks that
/// every block still appears here, so an example cannot drift from the API
/// unnoticed. (Behaviour is the containers' and locks' own suites' job.)
@Suite struct DocumentationSnippetTests {
    static let documents = ["README.md", "Sources/PotteryKit/PotteryKit.docc/PotteryKit.md",
                            "Sources/PotteryKit/PotteryKit.docc/GettingStarted.md",
                            "Sources/PotteryKit/PotteryKit.docc/RunningOnRedisCluster.md"]
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The ```swift blocks of `text`, each without `import PotteryKit` and blank edges.
    static func swiftBlocks(of text: String) -> [String] {
        text.components(separatedBy: "```swift\n").dropFirst().map { block in
            let code = block.components(separatedBy: "```").first ?? ""
            return code.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { $0 != "import PotteryKit" }
                .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// This file with every line's leading indentation removed.
    static func thisFile() throws -> String {
        let text = try String(contentsOfFile: #filePath, encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.drop(while: { $0 == " " }) }.joined(separator: "\n")
    }

    @Test(arguments: documents) func everySwiftExampleIsCompiledHere(_ document: String) throws {
        let text = try String(contentsOfFile: Self.root.appendingPathComponent(document).path, encoding: .utf8)
        let blocks = Self.swiftBlocks(of: text)
        #expect(!blocks.isEmpty, "\(document) has no Swift example")
        let compiled = try Self.thisFile()
        for block in blocks {
            let unindented = block.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.drop(while: { $0 == " " }) }.joined(separator: "\n")
            #expect(compiled.contains(unindented), "\(document)'s example is not compiled by this file:\n\(block)")
        }
    }
}

// MARK: the examples, verbatim (compiled, never run)

private func work() {}

private func readmeBloomAndHyperLogLog(_ connection: RedisConnection) throws {
    let seen = try BloomFilter<String>(connection, key: "seen", numElements: 100, falsePositives: 0.01)
    try seen.update(["rajiv", "raj"])          // one round trip for any number of elements
    let found = try seen.containsMany(["rajiv", "dan"])    // [true, false]
    let visitors = HyperLogLog<String>(connection, key: "visitors")
    try visitors.update(["alice", "bob"])
    let count = try visitors.count()                       // 2
    let (_, ms) = ContextTimer.measure { _ in work() }   // pottery's ContextTimer: milliseconds, monotonic clock
    _ = (found, count, ms)
}

private func readmeCache(_ connection: RedisConnection) throws {
    let cache = RedisCache(connection, key: "expensive", timeout: .seconds(60))
    let square = cache.memoize { (n: Int) -> Int in n * n }   // pottery's @redis_cache
    let nine = try square(3)                // a miss: computed, then stored in the hash
    let again = try square(3)               // a hit: one round trip, in this process or another
    let info = try square.cacheInfo()       // hits 1, misses 1, currsize 1
    let prices = try CachedOrderedDict<String, Double>(connection, key: "prices", dictKeys: ["tea", "coffee"])
    for item in prices.misses { try prices.set(2.5, for: item) }   // written through to Redis
    _ = (nine, again, info)
}

private func readmeLibrary() throws {
    let tel = RedisDict<String, Int>(try RedisConnection(url: "redis://localhost:6379/0"), key: "tel")
    try tel.set(4098, for: "jack")
    let jack = try tel.get("jack")   // Optional(4098)

    let masters = try ["redis://db1:6379", "redis://db2:6379", "redis://db3:6379"].map { try RedisConnection(url: $0) }
    let printer = Redlock(key: "printer", masters: masters)
    try printer.withLock(timeout: .seconds(5), watchdog: true) { lease in
        // critical section; lease.isLost turns true if the lease could not be kept
    }
    let squares = RedisList<Int>(try RedisConnection(url: "redis://localhost:6379/0"), key: "squares")
    try squares.extend([1, 4, 9, 16, 25])
    let odd = try squares.elements(in: ListSlice(start: 1, stop: -1, step: 2))   // [4, 16]
    let letters = try RedisDeque<String>(squares.connection, key: "letters", maxlen: 3)
    try letters.appendLeft("z")             // the last item falls off once three are held
    try letters.rotate(-1)
    let words = RedisCounter<String>(squares.connection, key: "words")
    try words.update(["a", "b", "a"])      // atomic: one script (or one HINCRBY)
    let top = try words.mostCommon(1)       // [("a", 2)]
    let sum = try words.adding(["b": 2, "c": -1])   // ["a": 2, "b": 3]: pottery's words + Counter(...)
    try words.formSubtracting(["a": 2])     // words -= ...: one MULTI/EXEC, counts at or below zero deleted
    let jobs = RedisSimpleQueue<Int>(try RedisConnection(url: "redis://localhost:6379/0"), key: "jobs")
    try jobs.put(contentsOf: [1, 2, 3])        // one round trip
    let next = try jobs.get(timeout: .seconds(5))   // seconds, as Python's queue.SimpleQueue
    let ids = NextID(key: "orders", masters: masters)
    let id = try ids.next()                 // one round trip when uncontended
    let block = try ids.next(count: 1000)   // 1000 consecutive IDs in one quorum round
    _ = (jack, odd, top, sum, next, id, block)
}

private func readmeAsync(_ redis: RedisConnection) async throws {
    let tel = RedisDict<String, Int>(redis, key: "tel")
    try await tel.async.set(4098, for: "jack")
    let seen = RedisSet<String>(redis, key: "seen")
    try await seen.async.add(["a", "b"])
    let letters = try RedisDeque<String>(redis, key: "letters", maxlen: 3)
    try await letters.async.appendLeft("z")
    let job = try await RedisSimpleQueue<Int>(redis, key: "jobs").async.get(timeout: .seconds(5))
    _ = job
}

private func doccLandingPage() throws {
    let redis = try RedisConnection(url: "redis://localhost:6379/0")
    let tel = RedisDict<String, Int>(redis, key: "tel")
    try tel.set(4098, for: "jack")

    let masters = try ["redis://db1:6379", "redis://db2:6379", "redis://db3:6379"].map { try RedisConnection(url: $0) }
    let lock = Redlock(key: "nightly-backup", masters: masters)
    try lock.withLock(watchdog: true) { lease in
        // at most one holder across every machine
    }
}

private func doccGettingStarted(_ masters: [RedisConnection]) throws {
    let redis = try RedisConnection(url: "redis://localhost:6379/0")

    let tel = RedisDict<String, Int>(redis, key: "tel")
    try tel.set(4098, for: "jack")
    let jack = try tel.get("jack")          // 4098
    let squares = RedisList<Int>(redis, key: "squares")
    try squares.extend([1, 4, 9, 16, 25])
    _ = jack

    let lock = Redlock(key: "report", masters: masters)
    try lock.withLock(timeout: .seconds(30), watchdog: true) { lease in
        // lease.isLost turns true if the lock could not be kept
    }
}

private func doccCluster() throws {
    let redis = try RedisConnection(url: "redis+cluster://:secret@10.0.0.1:7000,10.0.0.2:7000")
    let tel = RedisDict<String, Int>(redis, key: "tel")
    try tel.set(4098, for: "jack")   // sent to the master serving the slot of "tel"
}

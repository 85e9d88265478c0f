// Container modes of pottery-bench, for scripts/bench-containers.sh: each
// container operation through PotteryKit, next to bench-anchor's plain
// Redis commands and Python pottery doing the same work.
//
// Elements are the strings "v0"..."v9999" (stored as the JSON "v<i>", the
// bytes bench-anchor sends). Every chunk starts from a fresh key (filled,
// untimed, with 1000 elements for the pops and gets); only chunks are timed:
// 1000 single operations, or 10 batches of 1000 elements.
import PotteryKit

/// One container benchmark: untimed set-up before each chunk, and the timed chunk (returns its elements).
struct ContainerBenchmark {
    let prepare: () throws -> Void
    let chunk: () throws -> Int
}

/// The element strings: `items[i]` is "v<i>".
let items = (0..<10_000).map { "v\($0)" }

/// The container modes' names, single operations then batches.
let containerModes: Set<String> = [
    "dict-set", "dict-get", "set-add", "list-append", "list-pop", "deque-appendleft", "deque-appendleft-maxlen",
    "deque-popleft",
    "counter-update", "queue-put", "queue-get",
    "dict-update", "set-add-many", "list-extend", "counter-update-many", "queue-put-many",
]

/// The benchmark for `mode` on `key` (`nil`: not a container mode).
func containerBenchmark(_ mode: String, connection: RedisConnection, key: RedisKey) throws -> ContainerBenchmark? {
    let first = Array(items.prefix(1000))
    let batches = (0..<10).map { Array(items[$0 * 1000..<($0 + 1) * 1000]) }
    let pairBatches = batches.map { $0.map { (key: $0, value: $0) } }
    let dict = RedisDict<String, String>(connection, key: key)
    let set = RedisSet<String>(connection, key: key)
    let list = RedisList<String>(connection, key: key)
    let deque = try RedisDeque<String>(connection, key: key)
    let boundedDeque = try RedisDeque<String>(connection, key: key, maxlen: 100)
    let counter = RedisCounter<String>(connection, key: key)
    let queue = RedisSimpleQueue<String>(connection, key: key)
    let reset = { try connection.send(RedisCommand("DEL", key: key)) }
    func single(_ body: @escaping (String) throws -> Void, fill: (() throws -> Void)? = nil) -> ContainerBenchmark {
        ContainerBenchmark(prepare: {
            _ = try reset()
            try fill?()
        }, chunk: {
            for item in first { try body(item) }
            return first.count
        })
    }
    func batch(_ body: @escaping (Int) throws -> Void) -> ContainerBenchmark {
        ContainerBenchmark(prepare: { _ = try reset() }, chunk: {
            for index in batches.indices { try body(index) }
            return batches.count * 1000
        })
    }
    switch mode {
    case "dict-set": return single { try dict.set($0, for: $0) }
    case "dict-get": return single({ _ = try dict.get($0) }, fill: { try dict.update(first.map { (key: $0, value: $0) }) })
    case "set-add": return single { _ = try set.add($0) }
    case "list-append": return single { try list.append($0) }
    case "list-pop": return single({ _ in try list.pop() }, fill: { try list.extend(first) })
    case "deque-appendleft": return single { try deque.appendLeft($0) }
    case "deque-appendleft-maxlen": return single { try boundedDeque.appendLeft($0) }
    case "deque-popleft": return single({ _ in try deque.popLeft() }, fill: { try list.extend(first) })
    case "counter-update": return single { try counter.update([$0]) }
    case "queue-put": return single { try queue.put($0) }
    case "queue-get": return single({ _ in _ = try queue.get() }, fill: { try queue.put(contentsOf: first) })
    case "dict-update": return batch { try dict.update(pairBatches[$0]) }
    case "set-add-many": return batch { _ = try set.add(batches[$0]) }
    case "list-extend": return batch { try list.extend(batches[$0]) }
    case "counter-update-many": return batch { try counter.update(batches[$0]) }
    case "queue-put-many": return batch { try queue.put(contentsOf: batches[$0]) }
    default: return nil
    }
}

/// Runs `benchmark` until `budget` of timed chunks; returns the elements and the timed duration.
func measure(_ benchmark: ContainerBenchmark, budget: Duration) throws -> (operations: Int, timed: Duration) {
    let clock = ContinuousClock()
    var operations = 0
    var timed = Duration.zero
    while timed < budget {
        try benchmark.prepare()
        let start = clock.now
        operations += try benchmark.chunk()
        timed += clock.now - start
    }
    return (operations, timed)
}

/// Measures a container mode on `connection` for `seconds` of timed chunks and prints pottery-bench's JSON line.
func runContainerMode(_ mode: String, seconds: Double, connection: RedisConnection, tag: String) throws {
    let key = RedisKey("bench:" + mode + ":" + tag)
    guard let benchmark = try containerBenchmark(mode, connection: connection, key: key) else { return }
    let (operations, timed) = try measure(benchmark, budget: .milliseconds(Int64(seconds * 1000)))
    _ = try connection.send(RedisCommand("DEL", key: key))
    let took = Double(timed.components.seconds) + Double(timed.components.attoseconds) / 1e18
    print("{\"mode\": \"\(mode)\", \"operations\": \(operations), \"seconds\": \(took), "
          + "\"per_second\": \(Double(operations) / took)}")
}

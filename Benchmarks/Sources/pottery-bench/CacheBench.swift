// Throughput of a function memoized in a RedisCache, for scripts/bench-cache.sh.
//
//   pottery-bench cache-hit|cache-miss SECONDS URL
//       cache-hit: the same argument every call (after one untimed miss): a
//       lookup (HGET and the expiry reset, one script) and the result decoded.
//       cache-miss: a new argument every call: the lookup, the function, the store.
import PotteryKit

let cacheModes: Set<String> = ["cache-hit", "cache-miss"]

func runCache(mode: String, seconds: Double, url: String) throws {
    let connection = try RedisConnection(url: url)
    let cache = RedisCache(connection, key: RedisKey("bench:cache:" + String(Int.random(in: 0..<1_000_000))))
    let square = cache.memoize { (n: Int) in n * n }
    let clock = ContinuousClock()
    let budget = Duration.milliseconds(Int64(seconds * 1000))
    _ = try square(7)
    var calls = 0
    let start = clock.now
    while clock.now - start < budget {
        let result = try square(mode == "cache-hit" ? 7 : 1000 + calls)
        precondition(result > 0)
        calls += 1
    }
    let elapsed = clock.now - start
    let took = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print("{\"mode\": \"\(mode)\", \"operations\": \(calls), \"seconds\": \(took), \"per_second\": \(Double(calls) / took)}")
    try cache.clear()
}

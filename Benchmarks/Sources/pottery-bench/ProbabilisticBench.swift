// Throughput of BloomFilter and HyperLogLog, and the Bloom filter's measured
// false-positive rate, for scripts/bench-probabilistic.sh.
//
//   pottery-bench bloom-add|bloom-contains|hll-update SECONDS URL [N]
//       batches of 1,000 elements for SECONDS; Bloom filters sized for N
//       elements (default 100,000) at 1%, guarded as pottery-cli uses them.
//   pottery-bench hll-update-batch SECONDS URL N
//       HyperLogLog updates in batches of N elements.
//   pottery-bench bloom-fpr 0 URL [N]
//       adds N elements (default 100,000) to a filter sized for N at 1%,
//       then tests 10·N others: the measured false-positive rate.
import Glibc
import PotteryKit

let probabilisticModes: Set<String> = ["bloom-add", "bloom-contains", "hll-update", "hll-update-batch", "bloom-fpr"]

func runProbabilistic(mode: String, seconds: Double, url: String, n: Int) throws(PotteryError) {
    let connection = try RedisConnection(url: url)
    let tag = String(Int.random(in: 0..<1_000_000))
    let clock = ContinuousClock()
    let budget = Duration.milliseconds(Int64(seconds * 1000))
    let batch = mode == "hll-update-batch" ? n : 1000
    var elements = 0
    // The elements are made before the clock starts (both here and in the Python
    // side of the script): the measurement is the library's calls, not string formatting.
    let pool = (0..<max(2, 200_000 / batch)).map { index in (index * batch..<(index + 1) * batch).map { "element-\($0)" } }
    func batchOf(_ first: Int) -> [String] { pool[(first / batch) % pool.count] }
    switch mode {
    case "bloom-add", "bloom-contains":
        let filter = try BloomFilter<String>(connection, key: RedisKey("bench:bloom:" + tag), numElements: n, falsePositives: 0.01,
                                             guardsSizing: true)
        if mode == "bloom-contains" { try filter.update((0..<n).map { "element-\($0)" }) }
        let measured = clock.now
        while clock.now - measured < budget {
            if mode == "bloom-add" { try filter.update(batchOf(elements)) } else { _ = try filter.containsMany(batchOf(elements % (2 * n))) }
            elements += batch
        }
        report(mode, elements, since: measured, clock)
        try filter.clear()
    case "hll-update", "hll-update-batch":
        let hll = HyperLogLog<String>(connection, key: RedisKey("bench:hll:" + tag))
        let measured = clock.now
        while clock.now - measured < budget {
            try hll.update(batchOf(elements))
            elements += batch
        }
        report(mode, elements, since: measured, clock)
        try hll.clear()
    case "bloom-fpr":
        let filter = try BloomFilter<String>(connection, key: RedisKey("bench:fpr:" + tag), numElements: n, falsePositives: 0.01)
        var added = 0
        while added < n {
            try filter.update((added..<min(added + 10_000, n)).map { "member-\($0)" })
            added += 10_000
        }
        var missed = 0
        var falsePositives = 0
        for first in stride(from: 0, to: n, by: 10_000) {
            missed += try filter.containsMany((first..<min(first + 10_000, n)).map { "member-\($0)" }).filter { !$0 }.count
        }
        for first in stride(from: 0, to: 10 * n, by: 10_000) {
            falsePositives += try filter.containsMany((first..<first + 10_000).map { "stranger-\($0)" }).filter { $0 }.count
        }
        print("{\"mode\": \"bloom-fpr\", \"num_elements\": \(n), \"false_positives\": 0.01, \"size\": \(filter.size), "
              + "\"num_hashes\": \(filter.numHashes), \"members_missed\": \(missed), \"probes\": \(10 * n), "
              + "\"false_positive_hits\": \(falsePositives), \"rate\": \(Double(falsePositives) / Double(10 * n))}")
        try filter.clear()
    default:
        break
    }
}

private func report(_ mode: String, _ elements: Int, since start: ContinuousClock.Instant, _ clock: ContinuousClock) {
    let elapsed = clock.now - start
    let took = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print("{\"mode\": \"\(mode)\", \"elements\": \(elements), \"seconds\": \(took), \"per_second\": \(Double(elements) / took)}")
}

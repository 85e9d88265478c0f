// pottery-bench: throughput of PotteryKit's primitives, for scripts/bench-primitives.sh.
//
//   pottery-bench MODE SECONDS URL[,URL...] [N]
//
// MODE: set-loop (one SET at a time on the first URL: the anchor), redlock
// (acquire+release cycles), semaphore (RedisSemaphore acquire+release cycles
// on the first URL, limit N), nextid (next()), nextid-block (next(count: N)),
// nextid-contend (next() until SECONDS pass; reports failures too),
// dict-get-sync (RedisDict.get one at a time), dict-get-async (N tasks doing
// RedisDict.get on one shared connection; N defaults to 100); the container
// modes of Containers.swift (dict-set, list-pop, queue-put-many, ...) on the
// first URL; bloom-add, bloom-contains, hll-update, hll-update-batch, bloom-fpr
// (ProbabilisticBench.swift); cache-hit, cache-miss (CacheBench.swift).
// Prints one JSON object: {"mode", "masters", "operations", "failures", "seconds", "per_second"}
// (container modes: {"mode", "operations", "seconds", "per_second"}).
import Glibc
import PotteryKit

signal(SIGPIPE, SIG_IGN)

func fail(_ message: String) -> Never {
    _ = (message + "\n").withCString { write(STDERR_FILENO, $0, strlen($0)) }
    exit(2)
}
let arguments = CommandLine.arguments
guard arguments.count >= 4, let seconds = Double(arguments[2]) else {
    fail("usage: pottery-bench MODE SECONDS URL[,URL...] [N]")
}
let mode = arguments[1]
// A redis+cluster:// URL lists its seeds with commas: it is one URL.
let urls = arguments[3].hasPrefix("redis+cluster://") ? [arguments[3]] : arguments[3].split(separator: ",").map(String.init)
let n = arguments.count > 4 ? Int(arguments[4]) ?? 1000 : 1000
if cacheModes.contains(mode) {  // CacheBench.swift
    do { try runCache(mode: mode, seconds: seconds, url: urls[0]) } catch { fail("\(error)") }
    exit(0)
}
if probabilisticModes.contains(mode) {  // ProbabilisticBench.swift
    do { try runProbabilistic(mode: mode, seconds: seconds, url: urls[0], n: arguments.count > 4 ? n : 100_000) } catch { fail("\(error)") }
    exit(0)
}
let masters = urls.map { try! RedisConnection(url: $0) }
let clock = ContinuousClock()
let budget = Duration.milliseconds(Int64(seconds * 1000))
let tag = String(Int.random(in: 0..<1_000_000))

if containerModes.contains(mode) {
    try! runContainerMode(mode, seconds: seconds, connection: masters[0], tag: tag)
    exit(0)
}

var operations = 0
var failures = 0
let start = clock.now
switch mode {
case "set-loop":
    var set = RedisCommand("SET", key: RedisKey("bench:set:" + tag))
    set.append("v")
    while clock.now - start < budget {
        try! masters[0].send(set)
        operations += 1
    }
case "redlock":
    let lock = Redlock(key: "bench:" + tag, masters: masters)
    while clock.now - start < budget {
        if try! lock.acquire(blocking: false) {
            try! lock.release()
            operations += 1
        } else {
            failures += 1
        }
    }
case "semaphore":
    let semaphore = RedisSemaphore(key: "bench:" + tag, limit: n, connection: masters[0])
    while clock.now - start < budget {
        if let permit = try! semaphore.acquire(blocking: false) {
            try! semaphore.release(permit)
            operations += 1
        } else {
            failures += 1
        }
    }
case "nextid", "nextid-contend":
    let ids = NextID(key: mode == "nextid" ? "bench:" + tag : "bench:contended", masters: masters)
    while clock.now - start < budget {
        do {
            _ = try ids.next()
            operations += 1
        } catch {
            failures += 1
        }
    }
case "nextid-block":
    let ids = NextID(key: "bench:block:" + tag, masters: masters)
    while clock.now - start < budget {
        operations += try! ids.next(count: n).count
    }
case "dict-get-sync":
    let dict = RedisDict<String, Int>(masters[0], key: RedisKey("bench:dict:" + tag))
    try! dict.set(1, for: "field")
    while clock.now - start < budget {
        _ = try! dict.get("field")
        operations += 1
    }
case "dict-get-async":
    let dict = RedisDict<String, Int>(masters[0], key: RedisKey("bench:dict:" + tag))
    try! dict.set(1, for: "field")
    let tasks = arguments.count > 4 ? n : 100
    operations = await withTaskGroup(of: Int.self) { group in
        for _ in 0..<tasks {
            group.addTask {
                var done = 0
                while clock.now - start < budget {
                    _ = try! await dict.async.get("field")
                    done += 1
                }
                return done
            }
        }
        var total = 0
        for await done in group { total += done }
        return total
    }
default:
    fail("unknown mode \(mode)")
}
let elapsed = clock.now - start
let took = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print("{\"mode\": \"\(mode)\", \"masters\": \(masters.count), \"operations\": \(operations), \"failures\": \(failures), "
      + "\"seconds\": \(took), \"per_second\": \(Double(operations) / took)}")

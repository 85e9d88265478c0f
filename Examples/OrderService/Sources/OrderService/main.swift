// An async "order service" on PotteryKit: worker tasks draw order numbers
// from NextID and record the orders in a RedisDict through its async forms;
// a nightly-style job runs under a Redlock with a watchdog, so no two
// instances of the service run it at once.
//
//   swift run --package-path Examples/OrderService OrderService [REDIS_URL] [ORDERS]
import PotteryKit

let arguments = CommandLine.arguments
let url = arguments.count > 1 ? arguments[1] : "redis://localhost:6379/0"
let orderCount = arguments.count > 2 ? Int(arguments[2]) ?? 50 : 50

let redis = try RedisConnection(url: url)
let orders = RedisDict<Int, String>(redis, key: "example:orders")
let ids = NextID(key: "example:order-ids", masters: [redis])
let report = Redlock(key: "example:report", masters: [redis], autoReleaseTime: .seconds(2))

// Workers: 10 tasks share one connection; their commands travel together.
let numbers = try await withThrowingTaskGroup(of: [Int].self) { group in
    for worker in 0..<10 {
        group.addTask {
            var mine: [Int] = []
            for _ in stride(from: worker, to: orderCount, by: 10) {
                let number = try await ids.next()
                try await orders.async.set("order \(number) by worker \(worker)", for: number)
                mine.append(number)
            }
            return mine
        }
    }
    var all: [Int] = []
    for try await batch in group { all += batch }
    return all
}

// The report: one holder at a time across every instance; the watchdog keeps the lock
// while it runs, and the task is cancelled if the lock is lost.
let stored = try await report.withLock(timeout: .seconds(10), watchdog: true) { _ in
    try await orders.async.count()
}

let unique = Set(numbers).count == numbers.count
print("{\"orders\": \(numbers.count), \"unique\": \(unique), \"stored\": \(stored)}")

import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// Waiting `get`s: longer than the I/O timeout, across dropped connections and
/// idle-closing servers, and consumers racing for one queue.
@Suite struct RedisSimpleQueueWaitTests {
    let server = RedisServer.shared

    /// Runs `body` on a thread of its own; `finish` waits for its result (at most 30 s).
    func background<T: Sendable>(_ body: @escaping @Sendable () -> T) -> () -> T? {
        let box = ResultBox<T>()
        let thread = Thread { box.set(body()) }
        thread.start()
        return { box.wait(upTo: .seconds(30)) }
    }

    @Test func aWaitLongerThanTheIOTimeoutKeepsItsConnection() throws {
        var configuration = try RedisConfiguration(url: server.url)
        configuration.ioTimeout = .milliseconds(300)
        let connection = RedisConnection(configuration)
        let key = uniqueKey()
        let queue = RedisSimpleQueue<String>(connection, key: key)
        var clientID = RedisCommand("CLIENT")
        clientID.append("ID")
        let before = try connection.send(clientID).integer
        let empty = #expect(throws: PotteryError.self) { try queue.get(timeout: .seconds(1)) }
        #expect(empty?.code == .queueEmpty, "\(String(describing: empty))")
        let producer = RedisSimpleQueue<String>(server.connection(), key: key)
        let finish = background { usleep(800_000); return Result { () throws(PotteryError) in try producer.put("late") } }
        #expect(try queue.get() == "late")
        #expect(try finish()?.get() != nil)
        // The same socket throughout: no wait was taken for a dead server.
        #expect(try connection.send(clientID).integer == before)
        try producer.clear()
    }

    @Test func aConnectionDroppedWhileWaitingIsReopenedAndNothingIsLost() throws {
        let key = uniqueKey()
        let consumerConnection = server.connection()
        // A name of its own: other tests on the shared server have clients waiting in XREAD too.
        let name = "queue-drop-" + String(UInt32.random(in: 0...UInt32.max))
        var setName = RedisCommand("CLIENT")
        setName.append("SETNAME")
        setName.append(name)
        try consumerConnection.send(setName)
        let consumer = RedisSimpleQueue<String>(consumerConnection, key: key)
        let finish = background { Result { () throws(PotteryError) in try consumer.get(timeout: .seconds(20)) } }
        let admin = server.connection()
        var killed = false
        for _ in 0..<200 where !killed {
            usleep(20_000)
            var list = RedisCommand("CLIENT")
            list.append("LIST")
            let text = String(decoding: try admin.send(list).bytes ?? [], as: UTF8.self)
            for line in text.split(separator: "\n") where line.contains("cmd=xread") && line.contains(" name=\(name) ") {
                guard let id = line.split(separator: " ").first(where: { $0.hasPrefix("id=") })?.dropFirst(3) else { continue }
                var kill = RedisCommand("CLIENT")
                kill.append("KILL")
                kill.append("ID")
                kill.append(String(id))
                #expect(try admin.send(kill) == .integer(1))
                killed = true
            }
        }
        #expect(killed)
        try RedisSimpleQueue<String>(admin, key: key).put("after the drop")
        #expect(try finish()?.get() == "after the drop")
        #expect(try RedisSimpleQueue<String>(admin, key: key).qsize() == 0)
        try RedisSimpleQueue<String>(admin, key: key).clear()
    }

    @Test func aServerClosingIdleConnectionsDoesNotEndAWait() throws {
        let idleClosing = try RedisServer(config: ["timeout 1"])
        let key = uniqueKey()
        let consumer = RedisSimpleQueue<Int>(idleClosing.connection(), key: key)
        #expect(try consumer.qsize() == 0)
        usleep(2_500_000)  // the server closes the idle socket
        let producer = RedisSimpleQueue<Int>(idleClosing.connection(), key: key)
        let finish = background { usleep(2_200_000); return Result { () throws(PotteryError) in try producer.put(42) } }
        #expect(try consumer.get() == 42)
        #expect(try finish()?.get() != nil)
    }

    /// Producers and consumers (threads, each with its own connection) on one
    /// queue: every element is received exactly once.
    @Test func racingConsumersReceiveEachElementExactlyOnce() throws {
        let key = uniqueKey()
        let producers = 2, perProducer = 400, consumers = 4
        let received = ResultBox<[Int]>()
        received.set([])
        let producersDone = ResultBox<Int>()
        producersDone.set(0)
        let failures = ResultBox<[PotteryError]>()
        failures.set([])
        let group = DispatchGroup()
        for index in 0..<(producers + consumers) {
            DispatchQueue.global().async(group: group) {
                let queue = RedisSimpleQueue<Int>(server.connection(), key: key)
                if index < producers {
                    for batch in stride(from: 0, to: perProducer, by: 50) {
                        do throws(PotteryError) {
                            try queue.put(contentsOf: (batch..<batch + 50).map { index * perProducer + $0 })
                        } catch {
                            failures.update { $0!.append(error) }
                        }
                    }
                    producersDone.update { $0! += 1 }
                    return
                }
                var mine: [Int] = []
                while true {
                    let done = producersDone.wait(upTo: .zero) == producers
                    do throws(PotteryError) {
                        mine.append(try queue.get(timeout: .milliseconds(200)))
                    } catch where error.code == .queueEmpty {
                        if done { break }
                    } catch {
                        failures.update { $0!.append(error) }
                        break
                    }
                }
                received.update { $0! += mine }
            }
        }
        #expect(group.wait(timeout: .now() + 60) == .success)
        #expect(failures.wait(upTo: .zero)?.isEmpty == true, "\(String(describing: failures.wait(upTo: .zero)))")
        let all = received.wait(upTo: .zero) ?? []
        #expect(all.count == producers * perProducer)
        #expect(Set(all) == Set(0..<producers * perProducer))
        #expect(try RedisSimpleQueue<Int>(server.connection(), key: key).qsize() == 0)
        try RedisSimpleQueue<Int>(server.connection(), key: key).clear()
    }
}

/// A value set from another thread.
final class ResultBox<T>: @unchecked Sendable {
    private let condition = NSCondition()
    private var value: T?

    func set(_ newValue: T) {
        condition.lock()
        value = newValue
        condition.broadcast()
        condition.unlock()
    }

    func update(_ change: (inout T?) -> Void) {
        condition.lock()
        change(&value)
        condition.broadcast()
        condition.unlock()
    }

    func wait(upTo limit: Duration) -> T? {
        let until = Date().addingTimeInterval(Double(limit.components.seconds) + Double(limit.components.attoseconds) / 1e18)
        condition.lock()
        defer { condition.unlock() }
        while value == nil, condition.wait(until: until) {}
        return value
    }
}

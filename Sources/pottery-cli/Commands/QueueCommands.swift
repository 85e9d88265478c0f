import PotteryKit

/// `queue` verbs: thin calls into `RedisSimpleQueue<JSONValue>`.
enum QueueCommands {
    static let structure = StructureSpec(
        "queue", summary: "pottery 3.0.1's RedisSimpleQueue: a Redis stream used as a Python queue.SimpleQueue (items are JSON)",
        verbs: [
            VerbSpec("put", [.key, .element("ELEM", .oneOrMore)],
                     summary: "appends the ELEMs in order, in one round trip (q.put(ELEM) for each)",
                     prints: "null (Python's None)",
                     handler: put),
            VerbSpec("get", [.key], options: [LockCommands.timeoutOption, LockCommands.noWaitOption],
                     summary: "removes and gives the oldest element (q.get()); waits as long as necessary unless --timeout or --no-wait",
                     prints: "the element; exit 1 with QueueEmptyError when the queue stayed empty",
                     details: [
                        "--timeout S is in seconds, as Python's queue.SimpleQueue (pottery 3.0.1 takes it as",
                        "milliseconds by mistake); --timeout 0 is --no-wait. Each element goes to exactly one",
                        "consumer, Python pottery's included. A get stopped by SIGINT, SIGTERM or SIGHUP while it",
                        "waits has taken nothing; once an element is taken it is printed before the signal acts.",
                        "An entry that is not pottery's (one field, item, holding JSON) is a data error (exit 4)",
                        "and stays in the queue.",
                     ],
                     handler: get),
            VerbSpec("qsize", [.key],
                     summary: "the number of elements (q.qsize())",
                     prints: "an integer",
                     handler: qsize),
            VerbSpec("empty", [.key],
                     summary: "whether the queue has no element (q.empty())",
                     prints: "true (exit 0) or false (exit 1)",
                     handler: empty),
        ])

    typealias Queue = RedisSimpleQueue<JSONValue>

    private static func queue(_ invocation: Invocation) -> Queue {
        Queue(invocation.connection, key: invocation.key)
    }

    static func put(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try queue(invocation).put(contentsOf: invocation.elementList("ELEM"))
        return invocation.print(.null)
    }

    static func get(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let (blocking, timeout) = try LockCommands.waiting(invocation)
        let wait: Duration? = blocking ? timeout : .zero
        let deadline = wait.map { ContinuousClock.now + $0 }
        let queue = queue(invocation)
        HeldSignals.deliver()
        while true {
            // Waiting takes nothing: a signal may end the process here.
            guard let entry = try queue.oldestEntry(timeout: deadline.map { max(.zero, $0 - .now) }) else {
                throw PotteryError(.queueEmpty, Queue.emptyMessage(waited: wait), key: queue.key.description,
                                   server: queue.connection.server)
            }
            let taken = try HeldSignals.during { () throws(PotteryError) -> Bool in
                guard try queue.claim(entry) else { return false }  // another consumer was first
                invocation.output.write(entry.element)
                invocation.output.flush()
                return true
            }
            if taken { return .success }
        }
    }

    static func qsize(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        invocation.print(.int(try queue(invocation).qsize()))
    }

    static func empty(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        invocation.answer(try queue(invocation).isEmpty())
    }
}

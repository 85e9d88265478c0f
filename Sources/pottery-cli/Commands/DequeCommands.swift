import PotteryKit

/// `deque` verbs: the `list` verbs (``ListCommands``) over `RedisDeque<JSONValue>`,
/// plus the deque's own. pottery keeps `maxlen` per object, not in Redis, so
/// every verb that adds takes `--maxlen N`.
enum DequeCommands {
    static let structure = StructureSpec(
        "deque", summary: "pottery's RedisDeque: a Redis list used as a Python collections.deque (items are JSON; maxlen is per call, not stored)",
        verbs: ListCommands.verbs(bounded: true) + [
            VerbSpec("appendleft", [.key, .element("ELEM")], options: [ListCommands.maxlenOption],
                     summary: "adds ELEM at the front (d.appendleft(ELEM))",
                     prints: "null (Python's None)", handler: appendLeft),
            VerbSpec("extendleft", [.key, .element("ELEM", .oneOrMore)], options: [ListCommands.maxlenOption],
                     summary: "adds each ELEM at the front in turn, so they end up reversed, in one command (d.extendleft([ELEM...]))",
                     prints: "null (Python's None)", handler: extendLeft),
            VerbSpec("popleft", [.key],
                     summary: "removes and gives the first item (d.popleft())",
                     prints: "the item; exit 1 with IndexError when the deque is empty", handler: popLeft),
            VerbSpec("rotate", [.key, .text("N", .optional)],
                     summary: "rotates N steps to the right, left when N is negative (default 1), atomically (d.rotate(N))",
                     prints: "null (Python's None)", handler: rotate),
        ])

    /// The deque of the invocation, bounded by `--maxlen` when given.
    static func deque(_ invocation: Invocation) throws(PotteryError) -> RedisDeque<JSONValue> {
        let maxlen = try OptionValues.integer(invocation, "maxlen", in: 0...Int.max)
        return try RedisDeque(invocation.connection, key: invocation.key, maxlen: maxlen)
    }

    static func appendLeft(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try deque(invocation).appendLeft(invocation.element("ELEM"))
        return invocation.print(.null)
    }

    static func extendLeft(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let elements = invocation.elementList("ELEM")
        let deque = try deque(invocation)
        if elements.isEmpty { _ = try deque.count() } else { try deque.extendLeft(elements) }
        return invocation.print(.null)
    }

    static func popLeft(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        invocation.print(try deque(invocation).popLeft())
    }

    static func rotate(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let n = try invocation.optionalText("N").map { (text) throws(PotteryError) in try ListCommands.integer(text, "N", invocation) } ?? 1
        let deque = try deque(invocation)
        if n == 0 { _ = try deque.count() } else { try deque.rotate(n) }  // rotate 0 still reports a wrong type
        return invocation.print(.null)
    }
}

/// A first-in, first-out queue kept in a Redis stream, byte-compatible with
/// pottery 3.0.1's `RedisSimpleQueue`.
///
/// Each element is one stream entry with one field, `item`, holding the
/// element's `json.dumps(element, sort_keys=True)` bytes (see ``PotteryJSON``):
/// `XADD key * item <JSON>`. Python producers and Swift (or pottery-cli)
/// consumers share one queue, and the reverse. A missing key is an empty queue.
///
/// Semantics follow Python's `queue.SimpleQueue`: ``get(timeout:)`` takes its
/// timeout in **seconds** (a `Duration`) and, without one, waits as long as
/// necessary. pottery 3.0.1 passes its timeout in seconds as `XREAD BLOCK`
/// milliseconds, and its `get()` on an empty queue blocks only until the
/// client's socket timeout; this type does not copy that bug.
///
/// **Each element is delivered once.** A `get` looks at the oldest entry (an
/// `XREAD`, which removes nothing, blocking while the queue is empty), then
/// claims it with `XDEL`: only the one consumer whose `XDEL` deleted the
/// entry returns it; the others look again. Consumers racing for one queue,
/// pottery's included (its `WATCH`/`XDEL` transaction fails when another
/// consumer deleted first), never receive the same element twice. A consumer
/// stopped while it waits (a timeout, a signal, a dropped connection) has
/// taken nothing. An entry not in pottery's shape (exactly one field,
/// `item`, holding JSON of `Element`) is a data error, and it stays in the
/// queue: nothing is lost.
///
/// A long wait is made of server-side blocks of at most ``waitSlice``, each a
/// call with its own deadline (the block plus the connection's `ioTimeout`),
/// so waiting never trips the ordinary I/O timeout; a connection the server
/// drops while waiting is reopened and the wait goes on.
///
/// - Important: a `RedisSimpleQueue` is a handle (see ``RedisContainer``). A
///   waiting `get` holds its connection for the whole wait: give each
///   concurrent consumer its own ``RedisConnection``.
public final class RedisSimpleQueue<Element: Codable & Sendable>: RedisContainer, @unchecked Sendable {
    // Unchecked Sendable: a RedisContainer subclass (a checked Sendable class can have no superclass); its
    // stored properties are `let`s of Sendable types
    /// The longest single server-side block of a waiting `get`.
    public static var waitSlice: Duration { .seconds(5) }

    /// A handle on the stream at `key`. Sends nothing; the key may not exist yet.
    public init(_ connection: RedisConnection, key: RedisKey) {
        super.init(connection, key: key, redisType: "stream")
    }

    /// A queue on a new random key `pottery:<uuid4>`, deleted when this handle goes away.
    /// - Throws: ``PotteryError/Code/randomKeyError`` if no free key was found.
    public init(temporaryOn connection: RedisConnection) throws(PotteryError) {
        try super.init(temporaryOn: connection, redisType: "stream")
    }

    /// The number of elements (`XLEN`). pottery: `q.qsize()`.
    ///
    /// Other clients may change it before the answer is used.
    public func qsize() throws(PotteryError) -> Int {
        try storage.integer(storage.command("XLEN"))
    }

    /// Whether the queue has no element (`XLEN` is 0). pottery: `q.empty()`.
    public func isEmpty() throws(PotteryError) -> Bool {
        try qsize() == 0
    }

    /// Appends `element` (`XADD key * item <JSON>`). pottery: `q.put(item)`
    /// (which never blocks, as here).
    public func put(_ element: Element) throws(PotteryError) {
        var xadd = xaddCommand()
        try storage.append(element, to: &xadd)  // encoded in place
        try storage.send(xadd)
    }

    /// Appends `elements` in order, in one round trip. Every element is
    /// encoded before anything is sent, so an element that cannot be encoded
    /// stores nothing; each batch of ``putBatchSize`` elements is stored by one
    /// script, all or nothing (a key of another Redis type stores nothing); a
    /// single element by one `XADD`.
    /// pottery: `q.put(item)` for each.
    public func put(contentsOf elements: [Element]) throws(PotteryError) {
        try put(encoded: storage.encodeEach(elements))
    }

    private func put(encoded: [[UInt8]]) throws(PotteryError) {
        let commands = putCommands(encoded: encoded)
        if encoded.count == 1 {  // one plain XADD
            try storage.send(commands[0])
            return
        }
        guard !commands.isEmpty else { return }
        for reply in try connection.pipeline(commands) { _ = try reply.get() }
    }

    /// The commands of ``put(contentsOf:)``, every element encoded first
    /// (shared by the sync and async forms): one plain `XADD` for a single
    /// element, already atomic and about 4x cheaper for the server than the
    /// put script around it (BENCHMARKS.md); otherwise the put scripts.
    func putCommands(_ elements: [Element]) throws(PotteryError) -> [RedisCommand] {
        putCommands(encoded: try storage.encodeEach(elements))
    }

    /// ``putCommands(_:)`` of elements already encoded.
    func putCommands(encoded: [[UInt8]]) -> [RedisCommand] {
        if encoded.count == 1 {
            var xadd = xaddCommand()
            xadd.append(bytes: encoded[0])
            return [xadd]
        }
        var commands: [RedisCommand] = []
        var start = 0
        while start < encoded.count {
            let end = min(start + Self.putBatchSize, encoded.count)
            commands.append(QueueScripts.put.command(keys: [key], arguments: Array(encoded[start..<end])))
            start = end
        }
        return commands
    }

    /// `XADD key * item`, waiting for the element's bytes.
    private func xaddCommand() -> RedisCommand {
        var xadd = storage.command("XADD")
        xadd.append("*")
        xadd.append(bytes: Self.itemField)
        return xadd
    }

    /// How many elements one put script stores.
    public static var putBatchSize: Int { 1000 }

    /// Removes and returns the oldest element, as Python's
    /// `queue.SimpleQueue.get(block=True, timeout=timeout)`: without a
    /// timeout it waits as long as necessary; with one it waits at most that
    /// long (`.zero`: one look, as ``getNoWait()``). pottery: `q.get(timeout=...)`.
    /// - Throws: ``PotteryError/Code/queueEmpty`` when no element came in
    ///   time; ``PotteryError/Code/valueError`` for a negative timeout; a data
    ///   error, removing nothing, when the oldest entry is not pottery's.
    public func get(timeout: Duration? = nil) throws(PotteryError) -> Element {
        // Never cancelled, so never nil.
        try get(timeout: timeout, slice: Self.waitSlice) { false }!
    }

    /// ``get(timeout:)`` waiting in server-side blocks of at most `slice`,
    /// which returns `nil`, having taken nothing, once `isCancelled` answers
    /// `true` before an element is claimed (the async form's cancellation).
    func get(timeout: Duration?, slice: Duration, isCancelled: () -> Bool) throws(PotteryError) -> Element? {
        let deadline = try Self.deadline(after: timeout)
        while true {
            let remaining = deadline.map { max(.zero, $0 - .now) }
            let stored = try oldestStoredEntry(timeout: remaining, slice: slice, isCancelled: isCancelled)
            if isCancelled() { return nil }
            guard let stored else {
                throw PotteryError(.queueEmpty, Self.emptyMessage(waited: timeout), key: key.description, server: connection.server)
            }
            let element = try storage.decode(Element.self, stored.item)  // before the claim: one that fails stays queued
            if try claim(id: stored.id) { return element }
        }
    }

    /// Removes and returns the oldest element if there is one, without
    /// waiting. pottery: `q.get_nowait()`.
    /// - Throws: ``PotteryError/Code/queueEmpty`` when the queue is empty.
    public func getNoWait() throws(PotteryError) -> Element {
        try get(timeout: .zero)
    }

    /// Deletes the stream (`UNLINK`). Not in pottery's `RedisSimpleQueue`; as
    /// the other containers' `clear()`, a key holding another Redis type is left alone.
    /// - Throws: ``PotteryError/Code/wrongType`` then.
    public func clear() throws(PotteryError) {
        try storage.clear()
    }

    /// What a ``PotteryError/Code/queueEmpty`` error says after waiting `waited` (`nil`: for ever).
    public static func emptyMessage(waited: Duration?) -> String {
        guard let waited, waited > .zero else { return "the queue is empty" }
        return "the queue stayed empty for \(waited)"
    }

    /// `now + timeout`, `nil` for no timeout; a negative timeout is a usage error, as in Python.
    static func deadline(after timeout: Duration?) throws(PotteryError) -> ContinuousClock.Instant? {
        guard let timeout else { return nil }
        guard timeout >= .zero else {
            throw PotteryError(.valueError, "'timeout' must be a non-negative number, got \(timeout)")
        }
        return .now + timeout
    }
}

/// Scripts of ``RedisSimpleQueue`` (a generic type cannot hold static stored properties).
enum QueueScripts {
    /// `XADD KEYS[1] * item ARGV[i]` for each argument, in order; the first
    /// failing `XADD` (a key of another type) stops the script with nothing written.
    static let put = RedisScript("""
        for i = 1, #ARGV do
          redis.call('XADD', KEYS[1], '*', 'item', ARGV[i])
        end
        return #ARGV
        """)
}

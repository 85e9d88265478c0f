/// A double-ended queue kept in a Redis list, byte-compatible with pottery's
/// `RedisDeque` (stored exactly as a ``RedisList``; every list method works).
///
/// `maxlen` belongs to this handle, not to Redis, as in pottery: two handles
/// may use one key with different bounds. With a `maxlen`, every insertion
/// trims the other end in the same script, so the list never holds more than
/// `maxlen` items afterwards, as `collections.deque` drops items
/// (`append` drops from the front, `appendLeft` from the back). A stored list
/// already longer than `maxlen` (another handle made it so) is never trimmed:
/// a bounded push refuses it with ``PotteryError/Code/indexError``
/// ("persistent RedisDeque beyond its maximum size", as pottery refuses to open
/// it) and changes nothing. `maxlen` 0 keeps nothing, as Python does (pottery
/// 3.0.1 keeps what `appendleft` adds).
///
/// - Important: a `RedisDeque` is a handle (see ``RedisContainer``).
public final class RedisDeque<Element: Codable & Sendable>: RedisList<Element>, @unchecked Sendable {
    // Unchecked Sendable: a RedisContainer subclass (a checked Sendable class can have no superclass); its
    // stored properties are `let`s of Sendable types
    /// A handle on the list at `key`, bounded to `maxlen` items when given. Sends nothing.
    /// - Throws: ``PotteryError/Code/valueError`` for a negative `maxlen`
    ///   (Python: `ValueError: maxlen must be non-negative`).
    public init(_ connection: RedisConnection, key: RedisKey, maxlen: Int? = nil) throws(PotteryError) {
        if let maxlen, maxlen < 0 {
            throw PotteryError(.valueError, "maxlen must be non-negative", key: key.description)
        }
        super.init(connection, key: key, bound: maxlen, pythonName: "deque")
    }

    /// A deque holding the last `maxlen` of `contents` (all without a bound),
    /// as pottery's `RedisDeque(contents, maxlen, key=...)`: written
    /// atomically, and only if the key does not exist yet.
    /// - Throws: ``PotteryError/Code/keyExists`` when the key exists (whatever
    ///   its type); ``PotteryError/Code/valueError`` for a negative `maxlen`.
    public convenience init(_ connection: RedisConnection, key: RedisKey, contents: [Element], maxlen: Int? = nil) throws(PotteryError) {
        try self.init(connection, key: key, maxlen: maxlen)
        let kept = maxlen.map { Array(contents.suffix($0)) } ?? contents
        guard !kept.isEmpty else { return }
        try storage.createWithData([push("RPUSH", encoded: storage.encodeEach(kept))])
    }

    /// The most items this handle keeps, or `nil`. pottery: `d.maxlen`.
    public var maxlen: Int? { bound }

    /// Adds `element` at the front (`LPUSH`, trimmed from the back when
    /// bounded). pottery: `d.appendleft(x)`.
    public func appendLeft(_ element: Element) throws(PotteryError) {
        try pushOne("LPUSH", element)
    }

    /// Adds each element at the front in turn, so they end up reversed
    /// (`extendLeft([a, b, c])` gives `c, b, a, ...`), in one command. pottery: `d.extendleft(xs)`.
    public func extendLeft(_ elements: [Element]) throws(PotteryError) {
        let items = try storage.encodeEach(elements)
        guard !items.isEmpty else { return }
        try pushBounded("LPUSH", encoded: items)
    }

    /// Removes and returns the first item (`LPOP`). pottery: `d.popleft()`.
    /// - Throws: ``PotteryError/Code/indexError`` when empty.
    @discardableResult
    public func popLeft() throws(PotteryError) -> Element {
        try popFirstResult(storage.send(storage.command("LPOP")))
    }

    // The decoding of `popLeft`'s `LPOP` reply, shared by its sync and async forms.
    func popFirstResult(_ reply: RedisReply, restoring: Bool = true) throws(PotteryError) -> Element {
        if reply.isNull { throw indexError("pop from an empty deque") }
        return try storage.decodePopped(Element.self, reply: reply, restore: restoring ? Self.popFirstRestore : nil)
    }

    /// What puts back an element `LPOP` took.
    static var popFirstRestore: String { "LPUSH" }

    /// Rotates `n` steps to the right (left when negative), as
    /// `collections.deque.rotate`: any `n`, also beyond the length, on any
    /// deque, an empty one included (no change). Atomic, one script; moves
    /// the shorter side, so O(min(k, len - k)). pottery: `d.rotate(n)`.
    public func rotate(_ n: Int = 1) throws(PotteryError) {
        guard n != 0 else { return }
        try run(ListScripts.rotate, [Array(String(n).utf8)])
    }
}

/// A set kept in a Redis set, byte-compatible with pottery's `RedisSet`.
///
/// Each element is a set member stored as `json.dumps(x, sort_keys=True)`
/// bytes (see ``PotteryJSON``). Membership is decided by Redis on those bytes,
/// so `1`, `1.0` and `true` are three different members, as in pottery.
///
/// - Important: a `RedisSet` is a handle (see ``RedisContainer``): two
///   handles on one key see the same data.
public final class RedisSet<Element: Codable & Hashable & Sendable>: RedisContainer, @unchecked Sendable {
    // Unchecked Sendable: a RedisContainer subclass (a checked Sendable class can have no superclass); its
    // stored properties are `let`s of Sendable types
    /// A handle on the set at `key`. Sends nothing.
    public init(_ connection: RedisConnection, key: RedisKey) {
        super.init(connection, key: key, redisType: "set")
    }

    /// A set on a new random key `pottery:<uuid4>`, deleted when this handle goes away.
    public init(temporaryOn connection: RedisConnection) throws(PotteryError) {
        try super.init(temporaryOn: connection, redisType: "set")
    }

    /// A set holding `contents`, written atomically and only if the key does
    /// not exist yet, as pottery's `RedisSet(iterable, key=...)`.
    /// - Throws: ``PotteryError/Code/keyExists`` when the key exists.
    public convenience init(_ connection: RedisConnection, key: RedisKey, contents: [Element]) throws(PotteryError) {
        self.init(connection, key: key)
        guard !contents.isEmpty else { return }
        try storage.createWithData([try command("SADD", contents)])
    }

    /// Adds `elements` in one `SADD` (a batch above 10,000 elements in several,
    /// atomically in one `MULTI`/`EXEC`); returns how many were new. pottery:
    /// `s.add(x)`, `s.update(iterable)`.
    @discardableResult
    public func add(_ elements: [Element]) throws(PotteryError) -> Int {
        try add(encoded: storage.encodeEach(elements))
    }

    /// Adds one element; returns whether it was new.
    @discardableResult
    public func add(_ element: Element) throws(PotteryError) -> Bool {
        try storage.integer(storage.command("SADD", encoding: element)) == 1  // encoded in place
    }

    private func add(encoded members: [[UInt8]]) throws(PotteryError) -> Int {
        guard !members.isEmpty else { return 0 }
        return try storage.sendAtomically(storage.chunkedCommands("SADD", members)).reduce(0) { $0 + Int($1.integer ?? 0) }
    }

    /// Removes `element` (`SREM`). pottery: `s.remove(x)`.
    /// - Throws: ``PotteryError/Code/keyError`` when it is not a member.
    public func remove(_ element: Element) throws(PotteryError) {
        if try discard([element]) == 0 { throw try notMember(element) }
    }

    /// The error of ``remove(_:)`` for a missing member.
    func notMember(_ element: Element) throws(PotteryError) -> PotteryError {
        let shown = String(decoding: try storage.encode(element), as: UTF8.self)
        return PotteryError(.keyError, shown, key: key.description, server: connection.server)
    }

    /// Removes those of `elements` that are members, in one `SREM`; returns how many. pottery: `s.discard(x)`.
    @discardableResult
    public func discard(_ elements: [Element]) throws(PotteryError) -> Int {
        guard !elements.isEmpty else { return 0 }
        return try storage.integer(try command("SREM", elements))
    }

    /// Whether `element` is a member (`SISMEMBER`). pottery: `x in s`.
    public func contains(_ element: Element) throws(PotteryError) -> Bool {
        try storage.integer(containsCommand(element)) == 1
    }

    // The command of `contains`, shared by its sync and async forms.
    func containsCommand(_ element: Element) throws(PotteryError) -> RedisCommand {
        storage.command("SISMEMBER", try storage.encode(element))
    }

    /// Membership of each element, in one `SMISMEMBER`. pottery: `s.contains_many(*xs)`.
    public func containsMany(_ elements: [Element]) throws(PotteryError) -> [Bool] {
        guard !elements.isEmpty else { return [] }
        return containsManyResult(try storage.send(try command("SMISMEMBER", elements)))
    }

    func containsManyResult(_ reply: RedisReply) -> [Bool] {
        (reply.array ?? []).map { $0 == .integer(1) }
    }

    /// The number of members (`SCARD`). pottery: `len(s)`.
    public func count() throws(PotteryError) -> Int {
        try storage.integer(storage.command("SCARD"))
    }

    /// Removes and returns an arbitrary member (`SPOP`). pottery: `s.pop()`.
    /// - Throws: ``PotteryError/Code/keyError`` when the set is empty.
    public func pop() throws(PotteryError) -> Element {
        try popResult(storage.send(storage.command("SPOP")))
    }

    // The decoding of `pop`'s `SPOP` reply, shared by its sync and async forms.
    // (The async form puts undecodable bytes back itself: `restoring` false.)
    func popResult(_ reply: RedisReply, restoring: Bool = true) throws(PotteryError) -> Element {
        if reply.isNull {
            throw PotteryError(.keyError, "pop from an empty set", key: key.description, server: connection.server)
        }
        return try storage.decodePopped(Element.self, reply: reply, restore: restoring ? Self.popRestore : nil)
    }

    /// What puts back a member `SPOP` took.
    static var popRestore: String { "SADD" }

    /// Deletes the set (`UNLINK`). pottery: `s.clear()`.
    ///
    /// Unlike pottery, a key holding another Redis type is left alone.
    /// - Throws: ``PotteryError/Code/wrongType`` then.
    public func clear() throws(PotteryError) {
        try storage.clear()
    }

    /// Streams the members in batches of about `count` (`SSCAN`), with bounded memory.
    ///
    /// A member that is not pottery JSON stops the walk with a
    /// ``PotteryError/Code/decodeError``, after every member before it was delivered.
    public func forEachBatch(count: Int = 1000, _ body: ([Element]) throws(PotteryError) -> Void) throws(PotteryError) {
        let storage = self.storage
        try storage.scan("SSCAN", count: count) { replies throws(PotteryError) in
            try storage.deliver(replies.count, { (index) throws(PotteryError) in
                try storage.decode(Element.self, reply: replies[index])
            }, to: body)
            return true
        }
    }

    /// Every member, each once (`SSCAN`). pottery: `list(s)`.
    public func members() throws(PotteryError) -> [Element] {
        try decode(try memberBytes())
    }

    /// The raw member bytes, each once (`SSCAN`).
    func memberBytes(in transaction: RedisTransaction? = nil) throws(PotteryError) -> [[UInt8]] {
        var seen: Set<[UInt8]> = []
        var members: [[UInt8]] = []
        try storage.scan("SSCAN", count: 1000, in: transaction) { replies throws(PotteryError) in
            for reply in replies {
                if let bytes = reply.bytes, seen.insert(bytes).inserted { members.append(bytes) }
            }
            return true
        }
        return members
    }

    func decode(_ members: some Sequence<[UInt8]>) throws(PotteryError) -> [Element] {
        var elements: [Element] = []
        for member in members { elements.append(try storage.decode(Element.self, member)) }
        return elements
    }

    /// `name key element…` with each element's pottery bytes.
    func command(_ name: String, _ elements: [Element]) throws(PotteryError) -> RedisCommand {
        var command = storage.command(name)
        for index in 0..<elements.count { command.append(bytes: try storage.encode(elements[index])) }
        return command
    }
}

extension RedisSet where Element: Hashable {
    /// The members as a Swift `Set` (`SSCAN`). pottery: `s.to_set()`.
    ///
    /// Members equal in Swift become one element. `String` equality is
    /// canonical equivalence, so `"\u{E9}"` and `"e\u{301}"`, two members in
    /// Redis and in Python, are one element of a `Set<String>`. ``members()``
    /// keeps every member, and so does a `Set<JSONValue>` (strings compared
    /// by code point, as Python compares them).
    public func toSet() throws(PotteryError) -> Set<Element> {
        Set(try members())
    }
}

/// A list kept in a Redis list, byte-compatible with pottery's `RedisList`.
///
/// Each item is stored as `json.dumps(x, sort_keys=True)` bytes (see
/// ``PotteryJSON``), so Python pottery on the same key reads and writes the
/// same items. Indices and slices are Python's: negative indices count from
/// the end, slices (``ListSlice``) take steps. A missing key is an empty list.
///
/// Every method talks to Redis and `throws`. Mutations that take more than
/// one Redis command (insert in the middle, slice assignment and deletion,
/// pop at an index, remove, reverse, sort) are atomic: one Lua script, or an
/// optimistic `WATCH`/`MULTI` transaction that is retried on conflict.
/// Methods marked O(n) read or rewrite much of the list, as those for which
/// pottery warns with `InefficientAccessWarning`.
///
/// - Important: a `RedisList` is a handle (see ``RedisContainer``).
public class RedisList<Element: Codable & Sendable>: RedisContainer, @unchecked Sendable {
    // Unchecked Sendable: a RedisContainer subclass (a checked Sendable class can have no superclass); its
    // stored properties are `let`s of Sendable types
    /// The most items a deque keeps (`nil`: unbounded). See ``RedisDeque``.
    let bound: Int?
    /// `list` or `deque`, as Python names the type in its messages.
    let pythonName: String

    /// A handle on the list at `key`. Sends nothing; the key may not exist yet.
    public convenience init(_ connection: RedisConnection, key: RedisKey) {
        self.init(connection, key: key, bound: nil, pythonName: "list")
    }

    /// A list on a new random key `pottery:<uuid4>`, deleted when this handle goes away.
    /// - Throws: ``PotteryError/Code/randomKeyError`` if no free key was found.
    public init(temporaryOn connection: RedisConnection) throws(PotteryError) {
        bound = nil
        pythonName = "list"
        try super.init(temporaryOn: connection, redisType: "list")
    }

    /// A list holding `contents`, as pottery's `RedisList(contents, key=...)`:
    /// written atomically (one `RPUSH`), and only if the key does not exist yet.
    /// - Throws: ``PotteryError/Code/keyExists`` when the key exists (whatever its type).
    public convenience init(_ connection: RedisConnection, key: RedisKey, contents: [Element]) throws(PotteryError) {
        self.init(connection, key: key)
        guard !contents.isEmpty else { return }
        try storage.createWithData([push("RPUSH", encoded: storage.encodeEach(contents))])
    }

    init(_ connection: RedisConnection, key: RedisKey, bound: Int?, pythonName: String) {
        self.bound = bound
        self.pythonName = pythonName
        super.init(connection, key: key, redisType: "list")
    }

    /// The number of items (`LLEN`). pottery: `len(l)`.
    public func count() throws(PotteryError) -> Int {
        try storage.integer(storage.command("LLEN"))
    }

    /// The item at a Python index (`LINDEX`; O(n) away from the ends). pottery: `l[i]`.
    /// - Throws: ``PotteryError/Code/indexError`` when out of range.
    public func element(at index: Int) throws(PotteryError) -> Element {
        try elementResult(storage.send(elementCommand(index)))
    }

    // The command and the decoding of `element(at:)`, shared by its sync and async forms.
    func elementCommand(_ index: Int) -> RedisCommand {
        var lindex = storage.command("LINDEX")
        lindex.append(index)
        return lindex
    }

    func elementResult(_ reply: RedisReply) throws(PotteryError) -> Element {
        if reply.isNull { throw indexError("\(pythonName) index out of range") }
        return try storage.decode(Element.self, reply: reply)
    }

    /// Replaces the item at a Python index (`LSET`; O(n) away from the ends). pottery: `l[i] = x`.
    /// - Throws: ``PotteryError/Code/indexError`` when out of range (also on a missing key).
    public func set(_ element: Element, at index: Int) throws(PotteryError) {
        let lset = try setCommand(element, at: index)
        do {
            try storage.send(lset)
        } catch {
            throw setError(error)
        }
    }

    // The command of `set(_:at:)` and the meaning of its errors, shared by its sync and async forms.
    func setCommand(_ element: Element, at index: Int) throws(PotteryError) -> RedisCommand {
        var lset = storage.command("LSET")
        lset.append(index)
        lset.append(bytes: try storage.encode(element))
        return lset
    }

    func setError(_ error: PotteryError) -> PotteryError {
        guard error.code == .responseError, error.redisCode == "ERR" else { return error }
        return indexError("\(pythonName) assignment index out of range")
    }

    /// Adds `element` at the end (`RPUSH`; for a bounded deque, trimmed from
    /// the front in the same script). pottery: `l.append(x)`.
    public func append(_ element: Element) throws(PotteryError) {
        try pushOne("RPUSH", element)
    }

    /// Adds `elements` at the end in one command, in order (a batch above
    /// 10,000 elements on an unbounded list in several, atomically in one
    /// `MULTI`/`EXEC`). pottery: `l.extend(xs)`.
    public func extend(_ elements: [Element]) throws(PotteryError) {
        let items = try storage.encodeEach(elements)
        guard !items.isEmpty else { return }
        guard bound == nil, items.count > ContainerStorage.chunkSize else { return try pushBounded("RPUSH", encoded: items) }
        try storage.sendAtomically(storage.chunkedCommands("RPUSH", items))
    }

    /// Inserts `element` before a Python index, clamped to the ends as
    /// Python's `list.insert` clamps it (`insert(-1, x)` goes before the
    /// last item). O(n) in the middle. pottery: `l.insert(i, x)`, which
    /// puts every negative index at the front; this follows Python.
    /// - Throws: ``PotteryError/Code/indexError`` when a bounded deque is full.
    public func insert(_ element: Element, at index: Int) throws(PotteryError) {
        try run(ListScripts.insert, insertArguments(element, at: index))
    }

    func insertArguments(_ element: Element, at index: Int) throws(PotteryError) -> [[UInt8]] {
        [Array(String(index).utf8), try storage.encode(element), tombstone(), boundArgument]
    }

    /// Removes and returns the item at a Python index, the last by default
    /// (`RPOP`/`LPOP` at the ends, a script in the middle: O(n)). pottery: `l.pop(i)`.
    /// - Throws: ``PotteryError/Code/indexError`` when empty or out of range.
    @discardableResult
    public func pop(at index: Int? = nil) throws(PotteryError) -> Element {
        guard let index else { return try popLastResult(storage.send(storage.command("RPOP"))) }
        let reply = try run(ListScripts.removeAt, removeAtArguments(index, "pop"))
        return try storage.decode(Element.self, reply: reply)
    }

    // The decoding of `pop()`'s `RPOP` reply, shared by its sync and async forms
    // (the async form puts undecodable bytes back itself: `restoring` false).
    func popLastResult(_ reply: RedisReply, restoring: Bool = true) throws(PotteryError) -> Element {
        if reply.isNull { throw indexError(pythonName == "list" ? "pop from empty list" : "pop from an empty deque") }
        return try storage.decodePopped(Element.self, reply: reply, restore: restoring ? Self.popLastRestore : nil)
    }

    /// What puts back an element `RPOP` took.
    static var popLastRestore: String { "RPUSH" }

    /// The arguments of ``ListScripts/removeAt`` (`mode`: `pop` or `del`).
    func removeAtArguments(_ index: Int, _ mode: String) -> [[UInt8]] {
        [Array(String(index).utf8), tombstone(), Array(mode.utf8)]
    }

    /// Deletes the item at a Python index (O(n) in the middle). pottery: `del l[i]`.
    /// - Throws: ``PotteryError/Code/indexError`` when out of range.
    public func remove(at index: Int) throws(PotteryError) {
        try run(ListScripts.removeAt, removeAtArguments(index, "del"))
    }

    /// Reverses the list in place, atomically (one script; O(n)). pottery: `l.reverse()`.
    public func reverse() throws(PotteryError) {
        try run(ListScripts.reverse, [])
    }

    /// Deletes the list (`UNLINK`). pottery: `l.clear()`.
    ///
    /// Unlike pottery, a key holding another Redis type is left alone.
    /// - Throws: ``PotteryError/Code/wrongType`` then.
    public func clear() throws(PotteryError) {
        try storage.clear()
    }

    // MARK: internals

    /// The bound as a script argument (empty when unbounded).
    var boundArgument: [UInt8] { bound.map { Array(String($0).utf8) } ?? [] }

    /// `RPUSH`/`LPUSH`, plain or (for a bounded deque) trimmed in one script.
    func pushBounded(_ side: String, encoded items: [[UInt8]]) throws(PotteryError) {
        let command = pushBoundedCommand(side, encoded: items)
        if bound == nil { try storage.send(command) } else { try run(command) }
    }

    /// The one command of ``pushBounded(_:encoded:)``: a plain push, or for a bounded
    /// deque the script (whose errors go through ``scriptError(_:)``).
    func pushBoundedCommand(_ side: String, encoded items: [[UInt8]]) -> RedisCommand {
        guard let bound else { return push(side, encoded: items) }
        var arguments: [[UInt8]] = [Array(side.utf8), Array(String(bound).utf8)]
        arguments.append(contentsOf: items)
        return ListScripts.pushBounded.command(keys: [key], arguments: arguments)
    }

    /// ``pushBounded(_:encoded:)`` of one element; unbounded, a plain push with the
    /// element encoded in place.
    func pushOne(_ side: String, _ element: Element) throws(PotteryError) {
        guard bound == nil else { return try pushBounded(side, encoded: [storage.encode(element)]) }
        try storage.send(storage.command(side, encoding: element))
    }

    /// `side key item…` (`RPUSH`/`LPUSH`) of items already encoded.
    func push(_ side: String, encoded items: [[UInt8]]) -> RedisCommand {
        var command = storage.command(side)
        for item in items { command.append(bytes: item) }
        return command
    }

    /// A marker for an item about to be removed: a random UUID4, which is not
    /// JSON and so never a pottery item (pottery uses the same).
    func tombstone() -> [UInt8] {
        Array(RandomKey.uuid4().utf8)
    }

    /// Runs a list script; its `INDEXERROR`/`VALUEERROR` replies become
    /// ``PotteryError/Code/indexError`` and ``PotteryError/Code/valueError``.
    @discardableResult
    func run(_ script: RedisScript, _ arguments: [[UInt8]]) throws(PotteryError) -> RedisReply {
        try run(script.command(keys: [key], arguments: arguments))
    }

    /// Sends a list script's command (``RedisScript/command(keys:arguments:)``), its errors as ``run(_:_:)``'s.
    @discardableResult
    func run(_ command: RedisCommand) throws(PotteryError) -> RedisReply {
        do {
            return try connection.send(command)
        } catch {
            throw scriptError(error)
        }
    }

    /// ``run(_:_:)`` from a task, through the connection's async pipeline.
    @discardableResult
    func runAsync(_ script: RedisScript, _ arguments: [[UInt8]]) async throws -> RedisReply {
        try await runAsync(script.command(keys: [key], arguments: arguments))
    }

    /// ``run(_:)`` from a task, through the connection's async pipeline.
    @discardableResult
    func runAsync(_ command: RedisCommand) async throws -> RedisReply {
        do {
            return try await connection.async.send(command)
        } catch let error as PotteryError {
            throw scriptError(error)
        }
    }

    /// What a list script's error reply means: `INDEXERROR`/`VALUEERROR` as Python's errors.
    func scriptError(_ error: PotteryError) -> PotteryError {
        let text = error.serverText ?? ""
        let message = String(text.drop { $0 != " " }.dropFirst())
        switch error.redisCode {
        case "INDEXERROR": return indexError(message.replacingList(with: pythonName))
        case "VALUEERROR": return PotteryError(.valueError, message, key: key.description, server: connection.server)
        default: return error.naming(key: key)
        }
    }

    func indexError(_ message: String) -> PotteryError {
        PotteryError(.indexError, message, key: key.description, server: connection.server)
    }
}

private extension String {
    /// Python's message for a list, reworded for a deque.
    func replacingList(with name: String) -> String {
        guard name != "list", hasPrefix("list ") || hasSuffix(" list") else { return self }
        if self == "pop from empty list" { return "pop from an empty \(name)" }
        return hasPrefix("list ") ? name + dropFirst(4) : dropLast(4) + " " + name
    }
}

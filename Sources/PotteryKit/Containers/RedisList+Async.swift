/// A ``RedisList`` or ``RedisDeque`` handle: what gives both their async view
/// (``RedisListHandle/async``), typed by the handle, so that a deque's view
/// also has the deque's own calls (``AsyncRedisList/appendLeft(_:)``).
public protocol RedisListHandle: AnyObject, Sendable {
    /// The element type.
    associatedtype Element: Codable & Sendable
    /// This handle as a ``RedisList`` (itself).
    var redisList: RedisList<Element> { get }
}

extension RedisList: RedisListHandle {
    /// This handle as a ``RedisList`` (itself).
    public var redisList: RedisList<Element> { self }
}

/// The async forms, which never block the cooperative pool (as ``RedisDict/async``):
/// one-command calls (`LLEN`, `LINDEX`, pushes, pops, and the one-script
/// calls: insert, slices, reverse, rotate) share the sync forms' command
/// building and decoding and go through the connection's async pipeline; the
/// others (searches under `WATCH`, sorting, batch walks) run the sync method
/// on PotteryKit's I/O threads.
extension RedisListHandle {
    /// The async forms of this list's calls: `try await list.async.append(x)`.
    public var async: AsyncRedisList<Self> { AsyncRedisList(handle: self) }
}

/// The async forms of a ``RedisList``'s or ``RedisDeque``'s calls (``RedisListHandle/async``).
public struct AsyncRedisList<Handle: RedisListHandle>: Sendable {
    /// The element type.
    public typealias Element = Handle.Element

    /// The list or deque.
    public let handle: Handle

    private var list: RedisList<Element> { handle.redisList }

    /// ``RedisList/count()`` without blocking the cooperative pool.
    public func count() async throws -> Int {
        try await list.storage.integerAsync(list.storage.command("LLEN"))
    }

    /// ``RedisList/element(at:)`` without blocking the cooperative pool.
    public func element(at index: Int) async throws -> Element {
        try list.elementResult(await list.storage.sendAsync(list.elementCommand(index)))
    }

    /// ``RedisList/set(_:at:)`` without blocking the cooperative pool.
    public func set(_ element: Element, at index: Int) async throws {
        let lset = try list.setCommand(element, at: index)
        do {
            try await list.storage.sendAsync(lset)
        } catch let error as PotteryError {
            throw list.setError(error)
        }
    }

    /// ``RedisList/append(_:)`` without blocking the cooperative pool.
    public func append(_ element: Element) async throws {
        try await extend([element])
    }

    /// ``RedisList/extend(_:)`` without blocking the cooperative pool.
    public func extend(_ elements: [Element]) async throws {
        guard !elements.isEmpty else { return }
        try await push("RPUSH", elements)
    }

    /// ``RedisList/insert(_:at:)`` without blocking the cooperative pool.
    public func insert(_ element: Element, at index: Int) async throws {
        try await list.runAsync(ListScripts.insert, list.insertArguments(element, at: index))
    }

    /// ``RedisList/pop(at:)`` without blocking the cooperative pool.
    @discardableResult
    public func pop(at index: Int? = nil) async throws -> Element {
        guard let index else {
            let reply = try await list.storage.sendAsync(list.storage.command("RPOP"))
            return try await list.storage.popped(reply, restore: RedisList<Element>.popLastRestore) { () throws(PotteryError) in
                try list.popLastResult(reply, restoring: false)
            }
        }
        let reply = try await list.runAsync(ListScripts.removeAt, list.removeAtArguments(index, "pop"))
        return try list.storage.decode(Element.self, reply: reply)
    }

    /// ``RedisList/remove(at:)`` without blocking the cooperative pool.
    public func remove(at index: Int) async throws {
        try await list.runAsync(ListScripts.removeAt, list.removeAtArguments(index, "del"))
    }

    /// ``RedisList/reverse()`` without blocking the cooperative pool.
    public func reverse() async throws {
        try await list.runAsync(ListScripts.reverse, [])
    }

    /// ``RedisList/clear()`` without blocking the cooperative pool.
    public func clear() async throws {
        try await list.storage.sendAsync(list.storage.clearCommand())
    }

    /// ``RedisList/toArray()`` without blocking the cooperative pool.
    public func toArray() async throws -> [Element] {
        try list.elementsResult(await list.storage.sendAsync(list.toArrayCommand()))
    }

    /// ``RedisList/elementsEqual(_:)`` without blocking the cooperative pool.
    public func elementsEqual(_ array: [Element]) async throws -> Bool where Element: Equatable {
        try await toArray() == array
    }

    /// ``RedisList/elements(in:)`` without blocking the cooperative pool.
    public func elements(in slice: ListSlice) async throws -> [Element] {
        try list.elementsResult(await list.runAsync(ListScripts.getSlice, slice.arguments(key: list.key)))
    }

    /// ``RedisList/replace(_:with:)`` without blocking the cooperative pool.
    public func replace(_ slice: ListSlice, with elements: [Element]) async throws {
        try await list.runAsync(ListScripts.assignSlice, list.replaceArguments(slice, with: elements))
    }

    /// ``RedisList/removeElements(in:)`` without blocking the cooperative pool.
    @discardableResult
    public func removeElements(in slice: ListSlice) async throws -> Int {
        Int(try await list.runAsync(ListScripts.deleteSlice, list.removeArguments(slice)).integer ?? 0)
    }

    /// ``RedisList/index(of:start:stop:)`` without blocking the cooperative pool.
    public func index(of element: Element, start: Int = 0, stop: Int? = nil) async throws -> Int {
        try await IOThreadPool.shared.run { [list] () throws(PotteryError) in try list.index(of: element, start: start, stop: stop) }
    }

    /// ``RedisList/count(of:)`` without blocking the cooperative pool.
    public func count(of element: Element) async throws -> Int {
        try await IOThreadPool.shared.run { [list] () throws(PotteryError) in try list.count(of: element) }
    }

    /// ``RedisList/remove(_:)`` without blocking the cooperative pool.
    public func remove(_ element: Element) async throws {
        try await IOThreadPool.shared.run { [list] () throws(PotteryError) in try list.remove(element) }
    }

    /// ``RedisList/sort(reverse:)`` without blocking the cooperative pool.
    public func sort(reverse: Bool = false) async throws {
        try await IOThreadPool.shared.run { [list] () throws(PotteryError) in try list.sort(reverse: reverse) }
    }

    /// ``RedisList/forEachBatch(count:_:)`` without blocking the cooperative
    /// pool: the walk runs on a thread of its own, one batch in flight at a
    /// time, and `body` runs in this task. A throwing body or a cancelled
    /// task (`CancellationError`) stops the walk at its next batch.
    public func forEachBatch(count: Int = 1000, _ body: ([Element]) async throws -> Void) async throws {
        try await BatchHandoff.forEachBatch({ [list] deliver throws(PotteryError) in
            try list.forEachBatch(count: count, deliver)
        }, body)
    }

    /// `RPUSH`/`LPUSH` of ``RedisList/extend(_:)`` and ``RedisDeque/extendLeft(_:)``.
    private func push(_ side: String, _ elements: [Element]) async throws {
        let command = list.pushBoundedCommand(side, encoded: try list.storage.encodeEach(elements))
        if list.bound == nil { try await list.storage.sendAsync(command) } else { try await list.runAsync(command) }
    }
}

extension AsyncRedisList {
    /// ``RedisDeque/appendLeft(_:)`` without blocking the cooperative pool.
    public func appendLeft<E>(_ element: Element) async throws where Handle == RedisDeque<E> {
        try await extendLeft([element])
    }

    /// ``RedisDeque/extendLeft(_:)`` without blocking the cooperative pool.
    public func extendLeft<E>(_ elements: [Element]) async throws where Handle == RedisDeque<E> {
        guard !elements.isEmpty else { return }
        try await push("LPUSH", elements)
    }

    /// ``RedisDeque/popLeft()`` without blocking the cooperative pool.
    @discardableResult
    public func popLeft<E>() async throws -> Element where Handle == RedisDeque<E> {
        let reply = try await list.storage.sendAsync(list.storage.command("LPOP"))
        return try await list.storage.popped(reply, restore: RedisDeque<E>.popFirstRestore) { () throws(PotteryError) in
            try handle.popFirstResult(reply, restoring: false)
        }
    }

    /// ``RedisDeque/rotate(_:)`` without blocking the cooperative pool.
    public func rotate<E>(_ n: Int = 1) async throws where Handle == RedisDeque<E> {
        guard n != 0 else { return }
        try await list.runAsync(ListScripts.rotate, [Array(String(n).utf8)])
    }
}

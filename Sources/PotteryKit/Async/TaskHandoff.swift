/// A value one of our threads hands to a suspended task: stored under a pthread
/// mutex before the task is resumed and taken under it afterwards. The value
/// could ride on the continuation itself, but ThreadSanitizer does not see a
/// continuation's resumption as synchronisation (swiftlang/swift#57803) and
/// would report the task's reads of what the thread built as races; a mutex it
/// sees. The cost is one uncontended lock on each side.
final class TaskHandoff<Value: Sendable>: @unchecked Sendable {  // unchecked: state only touched under `condition`
    private let condition = ThreadCondition()
    // Guarded by `condition`.
    private var value: Value?
    private var waiter: CheckedContinuation<Void, Never>?

    init() {}

    /// Runs `start` (which arranges for ``resume(returning:)`` to be called,
    /// from any thread) and suspends the calling task until it is.
    func wait(after start: () -> Void) async -> Value {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = condition.withLock {
                if value != nil { return true }
                waiter = continuation
                return false
            }
            if ready { continuation.resume() }
            start()
        }
        return condition.withLock {
            defer { value = nil }
            return value!
        }
    }

    /// Hands `value` to the waiting task (once).
    func resume(returning value: Value) {
        let waiter = condition.withLock {
            self.value = value
            defer { self.waiter = nil }
            return self.waiter
        }
        waiter?.resume()
    }
}

/// What the scoped forms of a lock and a semaphore share once the lease is
/// taken: run the body, with a watchdog if asked, and give the lease back
/// whatever happens (the body's error wins over a failed release).
enum LeasedWork {
    /// The synchronous form: `onLost` is called from the watchdog's thread.
    static func run<Lease: RenewableLease, R>(
        _ lease: Lease, watchdog: Bool, onLost: @escaping @Sendable (PotteryError) -> Void,
        release: () throws(PotteryError) -> Void, _ body: (Lease) throws -> R
    ) throws -> R {
        let dog = watchdog ? LeaseWatchdog(lease, onLost: onLost) : nil
        let value: R
        do {
            value = try body(lease)
        } catch {
            dog?.stop()
            try? release()
            throw error
        }
        dog?.stop()
        try release()
        return value
    }

    /// The async form: the body runs in a task of its own, **cancelled** when
    /// the lease is lost or the caller is cancelled.
    static func run<Lease: RenewableLease, R: Sendable>(
        _ lease: Lease, watchdog: Bool, release: @escaping @Sendable () async throws -> Void,
        _ body: @escaping @Sendable (Lease) async throws -> R
    ) async throws -> R {
        let work = Task { try await body(lease) }
        let dog = watchdog ? LeaseWatchdog(lease, onLost: { _ in work.cancel() }) : nil
        let outcome = await withTaskCancellationHandler {
            await work.result
        } onCancel: {
            work.cancel()
        }
        dog?.stop()
        switch outcome {
        case .success(let value):
            try await release()
            return value
        case .failure(let error):
            try? await release()
            throw error
        }
    }
}

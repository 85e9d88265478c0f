import Glibc
import PotteryKit

/// Runs a paged read (`SSCAN`, `HSCAN`, `SCAN`, `LRANGE` by ranges) one page
/// ahead on a thread of its own, so the next page's round trip overlaps the
/// decoding and printing of the current one.
///
/// `fetch` is called on the prefetching thread only, one page after another,
/// until it returns `nil` (the end) or throws; at most `depth` fetched pages
/// wait for the reader, so memory stays bounded. The reader takes pages in
/// order with ``next()`` and must call ``finish()`` when it stops, early or
/// not: that stops the prefetching and waits for a fetch under way, so the
/// connection is free again when it returns.
final class PagePrefetcher<Page: Sendable>: @unchecked Sendable {
    typealias Fetch = @Sendable () throws(PotteryError) -> Page?

    private let fetch: Fetch
    private let depth: Int
    // Guarded by `mutex`.
    private var ready: [Result<Page?, PotteryError>] = []
    private var stopped = false
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var thread: pthread_t?

    init(depth: Int = 2, fetch: @escaping Fetch) {
        self.fetch = fetch
        self.depth = max(1, depth)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        finish()
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    /// Starts the prefetching thread. When no thread can be made, pages are
    /// fetched by ``next()`` itself, one at a time.
    func start() {
        thread = NativeThread.start { self.run() }
    }

    /// The next page in order, `nil` after the last; rethrows the error of the fetch that failed.
    func next() throws(PotteryError) -> Page? {
        guard thread != nil else { return try fetch() }
        pthread_mutex_lock(mutex)
        while ready.isEmpty { pthread_cond_wait(changed, mutex) }
        let result = ready.removeFirst()
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
        return try result.get()
    }

    /// Stops prefetching and waits for the thread (idempotent).
    func finish() {
        guard let running = thread else { return }
        pthread_mutex_lock(mutex)
        stopped = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
        pthread_join(running, nil)
        thread = nil
    }

    private func run() {
        while true {
            pthread_mutex_lock(mutex)
            while ready.count >= depth && !stopped { pthread_cond_wait(changed, mutex) }
            let stop = stopped
            pthread_mutex_unlock(mutex)
            if stop { return }
            let result: Result<Page?, PotteryError>
            do throws(PotteryError) {
                result = .success(try fetch())
            } catch {
                result = .failure(error)
            }
            pthread_mutex_lock(mutex)
            ready.append(result)
            pthread_cond_broadcast(changed)
            pthread_mutex_unlock(mutex)
            guard case .success(.some) = result else { return }
        }
    }
}

/// A POSIX thread running a closure (no Foundation in pottery-cli).
enum NativeThread {
    /// Starts `body` on a new thread; `nil` when the system refuses one.
    static func start(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        guard pthread_create(&thread, nil, nativeThreadEntry, context) == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            return nil
        }
        return thread
    }

    final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }
}

private func nativeThreadEntry(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    Unmanaged<NativeThread.Body>.fromOpaque(context!).takeRetainedValue().run()
    return nil
}

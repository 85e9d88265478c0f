import Foundation

/// Runs a call that might hang on its own thread and waits for it a bounded
/// time, so a hang fails the test instead of blocking the suite for ever.
public enum Watchdog {
    /// Runs `body` on a new thread and waits at most `limit` for it.
    ///
    /// - Returns: the body's value, or `nil` when it had not returned in time
    ///   (the thread is then left running; unfreeze whatever it waits on).
    public static func run<T: Sendable>(within limit: Duration, _ body: @escaping @Sendable () -> T) -> T? {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.set(body())
            done.signal()
        }
        thread.start()
        let (seconds, attoseconds) = limit.components
        let wait = DispatchTime.now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
        guard done.wait(timeout: wait) == .success else { return nil }
        return box.get()
    }

    private final class Box<T>: @unchecked Sendable {
        private let lock = NSLock()
        private var value: T?
        func set(_ newValue: T) { lock.lock(); value = newValue; lock.unlock() }
        func get() -> T? { lock.lock(); defer { lock.unlock() }; return value }
    }
}

/// A TCP socket on 127.0.0.1 that listens but never accepts, with its
/// accept queue already full: the kernel drops further connection attempts,
/// so connecting to ``port`` hangs until the client gives up. A local
/// stand-in for an unreachable host.
public final class UnansweredListener: @unchecked Sendable {
    /// The port that never answers.
    public let port: Int
    private let listener: Int32
    private let fillers: [Int32]

    /// Opens the listener and fills its queue.
    public init() throws {
        var (listener, address) = try LoopbackSocket.bound(listening: 0)
        let size = socklen_t(MemoryLayout<sockaddr_in>.size)
        // Backlog 0 still queues one connection: take that place (and a spare)
        // so the next handshake is never completed.
        var fillers: [Int32] = []
        for _ in 0..<2 {
            let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard filler >= 0 else { continue }
            fillers.append(filler)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, size) }
            }
        }
        usleep(20_000)  // let the fillers' handshakes settle
        self.listener = listener
        self.fillers = fillers
        self.port = LoopbackSocket.port(of: address)
    }

    deinit {
        for filler in fillers { close(filler) }
        close(listener)
    }
}

/// A loopback port that refuses every connection for as long as the process
/// runs: a socket bound to it that never listens. Unlike the port of a server
/// that was started and killed, no other server can take it meanwhile (tests
/// start many servers on random ports), so "nothing answers there" stays true.
public final class RefusingPort: @unchecked Sendable {
    /// The refusing port on 127.0.0.1.
    public let port: Int
    /// `redis://127.0.0.1:PORT/0`
    public var url: String { "redis://127.0.0.1:\(port)/0" }
    private let socketFD: Int32

    /// Binds a new socket to a free port, without listening.
    public init() throws {
        let (fd, address) = try LoopbackSocket.bound(listening: nil)
        socketFD = fd
        port = LoopbackSocket.port(of: address)
    }

    deinit { close(socketFD) }
}

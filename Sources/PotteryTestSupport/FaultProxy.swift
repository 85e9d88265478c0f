import Foundation
import Synchronization

/// A TCP proxy on 127.0.0.1 in front of a `redis-server` that forwards bytes
/// both ways and, on command, delays, stalls, truncates or resets them, so
/// network faults happen at a chosen byte instead of by luck.
///
/// One thread accepts; each accepted connection gets one thread that polls its
/// two sockets every few milliseconds and obeys the proxy's current ``Fault``
/// (a new fault applies to open connections too). Byte counts of a fault are
/// counted from when it is set, over all connections. Call ``stop()`` when done:
/// its threads keep the proxy alive until then.
public final class FaultProxy: @unchecked Sendable {
    /// What the proxy does to the traffic.
    public enum Fault: Sendable, Equatable {
        /// Forwards everything.
        case none
        /// Holds each chunk from the server this long before passing it on.
        case delayReplies(Duration)
        /// Forwards nothing either way (the bytes wait) until another fault is set.
        case stall
        /// Passes on this many more bytes from the server, then holds the rest.
        case stallReplies(afterBytes: Int)
        /// Passes on this many more bytes from the server, then closes the
        /// connection (FIN): a reply cut short.
        case truncateReplies(afterBytes: Int)
        /// Passes on this many more bytes from the server, then resets (RST).
        case resetReplies(afterBytes: Int)
        /// Passes on this many more bytes from the client, then resets both sides:
        /// the server sees a request cut short.
        case resetRequests(afterBytes: Int)
        /// Passes on the client's bytes up to (not including) the first `pattern`,
        /// then resets both sides: the server never sees the pattern.
        case resetBeforeRequest(containing: [UInt8])
        /// Closes every connection and every new one at once.
        case drop
    }

    /// The port clients connect to.
    public let port: Int
    /// `redis://127.0.0.1:PORT/0`
    public var url: String { "redis://127.0.0.1:\(port)/0" }

    private let upstreamPort: Int
    private let listener: Int32
    private let state = Mutex(State())

    private struct State {
        var fault: Fault = .none
        var budget = 0
        var resetGeneration = 0
        var accepted = 0
        var stopped = false
    }

    /// Starts forwarding from a free loopback port to `127.0.0.1:upstreamPort`.
    public init(upstreamPort: Int) throws {
        ignoreSIGPIPE()
        self.upstreamPort = upstreamPort
        let (listener, address) = try LoopbackSocket.bound(listening: 64)
        self.listener = listener
        self.port = LoopbackSocket.port(of: address)
        Thread { [self] in acceptLoop() }.start()
    }

    /// A proxy in front of `server`'s TCP port.
    public convenience init(to server: RedisServer) throws {
        try self.init(upstreamPort: server.port)
    }

    /// Sets the fault for open and new connections; its byte count starts now.
    public func set(_ fault: Fault) {
        state.withLock { state in
            state.fault = fault
            switch fault {
            case .stallReplies(let bytes), .truncateReplies(let bytes), .resetReplies(let bytes), .resetRequests(let bytes):
                state.budget = bytes
            default:
                state.budget = 0
            }
        }
    }

    /// Resets (RST) every connection open now; new ones are forwarded as before.
    public func resetAll() {
        state.withLock { $0.resetGeneration += 1 }
    }

    /// How many client connections the proxy has accepted.
    public var connectionsAccepted: Int { state.withLock { $0.accepted } }

    /// Stops accepting and ends every connection.
    public func stop() {
        let first = state.withLock { state -> Bool in
            defer { state.stopped = true }
            return !state.stopped
        }
        if first { shutdown(listener, Int32(SHUT_RDWR)) }
    }

    // MARK: - Accepting

    private func acceptLoop() {
        defer { close(listener) }
        while !state.withLock({ $0.stopped }) {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 20) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            let dropped = state.withLock { state -> Bool in
                state.accepted += 1
                return state.fault == .drop || state.stopped
            }
            guard !dropped, let upstream = connectUpstream() else {
                close(client)
                continue
            }
            Thread { [self] in relay(client: client, upstream: upstream) }.start()
        }
    }

    private func connectUpstream() -> Int32? {
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard upstream >= 0 else { return nil }
        var address = Self.loopback(port: upstreamPort)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(upstream)
            return nil
        }
        return upstream
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }

    // MARK: - Relaying one connection

    /// How the relay of one connection ends.
    private enum Ending { case close, reset }

    private func relay(client: Int32, upstream: Int32) {
        let generation = state.withLock { $0.resetGeneration }
        var toServer: [UInt8] = []
        var toClient: [UInt8] = []
        var seen: [UInt8] = []  // the tail of what went to the server, for patterns split across reads
        var ending: Ending = .close
        loop: while true {
            let (fault, stopped, resetNow) = state.withLock { ($0.fault, $0.stopped, $0.resetGeneration != generation) }
            if stopped || fault == .drop { break }
            if resetNow { ending = .reset; break }
            if fault != .stall {
                // Client to server.
                if !toServer.isEmpty {
                    let (count, end) = grantRequest(toServer, seen: seen, fault: fault)
                    if count > 0 {
                        guard Self.writeAll(upstream, toServer[0..<count]) else { break }
                        seen = Array((seen + toServer[0..<count]).suffix(64))
                        toServer.removeFirst(count)
                    }
                    if let end { ending = end; break }
                }
                // Server to client.
                if !toClient.isEmpty {
                    if case .delayReplies(let delay) = fault { Thread.sleep(forTimeInterval: Self.seconds(delay)) }
                    let (count, end) = grantReply(toClient.count, fault: fault)
                    if count > 0 {
                        guard Self.writeAll(client, toClient[0..<count]) else { break }
                        toClient.removeFirst(count)
                    }
                    if let end { ending = end; break }
                }
            }
            // Read more where nothing waits to be written (bounded buffers).
            var pollers = [pollfd(fd: client, events: toServer.isEmpty ? Int16(POLLIN) : 0, revents: 0),
                           pollfd(fd: upstream, events: toClient.isEmpty ? Int16(POLLIN) : 0, revents: 0)]
            guard poll(&pollers, 2, 5) >= 0 || errno == EINTR else { break }
            for (index, poller) in pollers.enumerated() where poller.revents != 0 {
                let isClient = index == 0
                if isClient ? !toServer.isEmpty : !toClient.isEmpty { continue }
                var chunk = [UInt8](repeating: 0, count: 65536)
                let got = read(poller.fd, &chunk, chunk.count)
                if got <= 0 {
                    // One side ended: pass on what the other side is owed, then close.
                    if isClient { _ = Self.writeAll(upstream, toServer[...]) } else { _ = Self.writeAll(client, toClient[...]) }
                    break loop
                }
                if isClient { toServer = Array(chunk[0..<got]) } else { toClient = Array(chunk[0..<got]) }
            }
        }
        if ending == .reset {
            Self.reset(client)
            Self.reset(upstream)
        } else {
            close(client)
            close(upstream)
        }
    }

    /// How many of `pending` client bytes may pass now, and whether the connection ends after them.
    private func grantRequest(_ pending: [UInt8], seen: [UInt8], fault: Fault) -> (Int, Ending?) {
        switch fault {
        case .resetRequests:
            return state.withLock { state in
                let count = min(state.budget, pending.count)
                state.budget -= count
                return (count, count < pending.count ? .reset : nil)
            }
        case .resetBeforeRequest(let pattern):
            // Only a match that reaches into the pending bytes counts (what was seen already went out).
            let from = max(0, seen.count - pattern.count + 1)
            guard let found = Self.firstIndex(of: pattern, in: seen + pending, from: from) else { return (pending.count, nil) }
            return (max(0, found - seen.count), .reset)
        default:
            return (pending.count, nil)
        }
    }

    /// How many of `count` server bytes may pass now, and whether the connection ends after them.
    private func grantReply(_ count: Int, fault: Fault) -> (Int, Ending?) {
        let ending: Ending?
        switch fault {
        case .stallReplies: ending = nil
        case .truncateReplies: ending = .close
        case .resetReplies: ending = .reset
        default: return (count, nil)
        }
        return state.withLock { state in
            let granted = min(state.budget, count)
            state.budget -= granted
            return (granted, granted < count ? ending : nil)
        }
    }

    private static func firstIndex(of pattern: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        guard !pattern.isEmpty, bytes.count - from >= pattern.count else { return nil }
        for start in from...(bytes.count - pattern.count) where bytes[start..<(start + pattern.count)].elementsEqual(pattern) {
            return start
        }
        return nil
    }

    private static func writeAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>) -> Bool {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    /// Closes with SO_LINGER 0: the peer gets a reset, not an orderly end.
    private static func reset(_ fd: Int32) {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close(fd)
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}

#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Turns a host name into the numeric addresses to try, in the resolver's
/// order, within the caller's time limit.
///
/// hiredis 0.14.1 gives up after the first address that refuses a connection
/// made with a timeout, so `localhost` resolving to `::1` first would fail
/// against a server bound to 127.0.0.1 only. We resolve the name ourselves and
/// let the caller try each address.
///
/// `getaddrinfo` cannot be given a timeout, and a slow DNS server can hold it
/// for many seconds. A numeric address needs no lookup; a name is looked up on
/// a thread of its own while the caller waits at most until its limit (the
/// call's deadline or connect timeout). A lookup still running is shared by
/// every caller asking for the same name, so repeated timeouts never pile up
/// threads.
enum HostResolver {
    /// The numeric addresses of `host`; `[host]` itself when resolution fails
    /// (hiredis then reports the error in its own words); `nil` when the
    /// lookup did not end by `limit`.
    static func addresses(of host: String, by limit: ContinuousClock.Instant) -> [String]? {
        if isNumeric(host) { return [host] }
        let lookup = inFlight.withLock { table -> Lookup in
            if let running = table[host] { return running }
            let started = Lookup()
            table[host] = started
            let substitute: (@Sendable () -> [String])? = substitutes.withLock { $0[host] }
            let resolve: @Sendable () -> [String] = substitute ?? { getAddresses(of: host) }
            BackgroundThread.start {
                let found = resolve()
                _ = inFlight.withLock { $0.removeValue(forKey: host) }
                started.finish(found)
            }
            return started
        }
        return lookup.wait(until: limit)
    }

    /// ``addresses(of:by:)`` waiting as long as the lookup takes.
    static func addresses(of host: String) -> [String] {
        isNumeric(host) ? [host] : getAddresses(of: host)
    }

    /// Lookups running now, by host name.
    private static let inFlight = Mutex<[String: Lookup]>([:])

    /// Test hook: names whose lookup runs this function instead of
    /// `getaddrinfo` (a slow resolver, made deterministic).
    static let substitutes = Mutex<[String: @Sendable () -> [String]]>([:])

    /// Whether `host` is an IPv4 or IPv6 address already.
    static func isNumeric(_ host: String) -> Bool {
        var buffer = in6_addr()
        return inet_pton(AF_INET, host, &buffer) == 1 || inet_pton(AF_INET6, host, &buffer) == 1
    }

    private static func getAddresses(of host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [host] }
        defer { freeaddrinfo(first) }
        var addresses: [String] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(current.pointee.ai_addr, current.pointee.ai_addrlen, &buffer, socklen_t(buffer.count),
                           nil, 0, NI_NUMERICHOST) == 0 {
                let address = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !addresses.contains(address) { addresses.append(address) }
            }
            node = current.pointee.ai_next
        }
        return addresses.isEmpty ? [host] : addresses
    }

    /// One running lookup: its result, once there, for every waiter.
    private final class Lookup: @unchecked Sendable {  // unchecked: `result` is only touched under `condition`
        private let condition = ThreadCondition()
        private var result: [String]?

        func finish(_ addresses: [String]) {
            condition.withLock {
                result = addresses
                condition.broadcast()
            }
        }

        /// The result, or `nil` when `limit` passes first.
        func wait(until limit: ContinuousClock.Instant) -> [String]? {
            condition.withLock {
                while result == nil {
                    if !condition.wait(until: limit) { break }
                }
                return result
            }
        }
    }
}

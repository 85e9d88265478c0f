#if canImport(Glibc)
import Glibc
#endif

/// Turns a host name into the numeric addresses to try, in the resolver's order.
///
/// hiredis 0.14.1 gives up after the first address that refuses a connection
/// made with a timeout, so `localhost` resolving to `::1` first would fail
/// against a server bound to 127.0.0.1 only. We resolve the name ourselves and
/// let the caller try each address.
enum HostResolver {
    /// The numeric addresses of `host`; `[host]` itself when resolution fails
    /// (hiredis then reports the error in its own words).
    static func addresses(of host: String) -> [String] {
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
}

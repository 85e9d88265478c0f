import Foundation

/// A TCP socket on a free port of 127.0.0.1: what the test stand-ins for
/// unreachable servers (``UnansweredListener``, ``RefusingPort``) and the
/// ``FaultProxy`` are built on.
enum LoopbackSocket {
    /// A socket bound to a free loopback port, listening with `backlog` unless
    /// it is `nil`.
    /// - Returns: the descriptor and its address (with the port chosen).
    static func bound(listening backlog: Int32?) throws -> (fd: Int32, address: sockaddr_in) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RedisServerError("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) }
        }
        guard bound == 0, backlog.map({ listen(fd, $0) == 0 }) ?? true else {
            close(fd)
            throw RedisServerError("bind/listen: \(String(cString: strerror(errno)))")
        }
        var length = size
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, address)
    }

    /// The port of a bound address.
    static func port(of address: sockaddr_in) -> Int { Int(UInt16(bigEndian: address.sin_port)) }
}

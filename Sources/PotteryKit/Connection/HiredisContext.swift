internal import CHiredis
#if canImport(Glibc)
import Glibc
#endif

/// The funnel: the only type that touches hiredis.
///
/// It owns one `redisContext`, appends commands as binary-safe argv (never a
/// format string), reads replies, copies each into a ``RedisReply`` and frees
/// the C reply exactly once. After any I/O error or timeout the context is
/// dead (a hiredis rule): the owner must drop this object and make a new one,
/// so a late reply can never be paired with a later command.
///
/// Not thread-safe; ``RedisConnection`` guards it.
final class HiredisContext {
    private let context: UnsafeMutablePointer<redisContext>
    private let server: String
    /// False once an I/O error, timeout or protocol error has happened.
    private(set) var isUsable = true

    /// Connects (TCP or unix socket) within the configuration's connect timeout,
    /// then applies its I/O timeout.
    init(_ configuration: RedisConfiguration) throws(PotteryError) {
        server = configuration.maskedURL
        let connectTimeout = Self.timeval(configuration.connectTimeout)
        var reasons: [String] = []
        var connected: UnsafeMutablePointer<redisContext>?
        let attempts: [(host: String, port: Int)?]
        switch configuration.endpoint {
        case .tcp(let host, let port):
            // Every address of the name in turn: hiredis itself stops at the first refusal.
            attempts = HostResolver.addresses(of: host).map { (host: $0, port: port) }
        case .unix:
            attempts = [nil]
        }
        for attempt in attempts {
            let made: UnsafeMutablePointer<redisContext>?
            if let attempt {
                made = redisConnectWithTimeout(attempt.host, Int32(attempt.port), connectTimeout)
            } else if case .unix(let path) = configuration.endpoint {
                made = redisConnectUnixWithTimeout(path, connectTimeout)
            } else {
                made = nil
            }
            guard let made else { reasons.append("cannot allocate a hiredis context"); continue }
            if made.pointee.err == 0 {
                connected = made
                break
            }
            reasons.append(String(cString: pottery_errstr(made)))
            redisFree(made)
        }
        guard let connected else {
            let reason = reasons.joined(separator: "; ")
            let timedOut = reason.contains("timed out") || reason.contains("temporarily unavailable")
            throw PotteryError(timedOut ? .timeout : .connectionError,
                               "cannot connect to \(server): \(reason)", server: server)
        }
        context = connected
        if let ioTimeout = configuration.ioTimeout {
            redisSetTimeout(context, Self.timeval(ioTimeout))
        }
    }

    deinit { redisFree(context) }

    /// Whether the server closed this idle connection (or sent something
    /// unasked): then it must not be reused.
    var isStale: Bool { pottery_context_is_stale(context) != 0 }

    /// Queues `command` in hiredis's output buffer (no I/O yet).
    func append(_ command: RedisCommand) throws(PotteryError) {
        let status = command.withArgv { argc, argv, argvlen in
            redisAppendCommandArgv(context, argc, argv, argvlen)
        }
        if status != REDIS_OK { throw failure(command) }
    }

    /// Flushes pending output and reads the next reply.
    func readReply(for command: RedisCommand) throws(PotteryError) -> RedisReply {
        var raw: UnsafeMutableRawPointer?
        let status = redisGetReply(context, &raw)
        guard status == REDIS_OK, let raw else {
            if let raw { freeReplyObject(raw) }
            throw failure(command)
        }
        defer { freeReplyObject(raw) }
        if command.isNamed("QUIT") { isUsable = false }  // the server closes after answering
        return Self.copy(raw.assumingMemoryBound(to: redisReply.self), command: command, server: server)
    }

    /// Marks the context dead and describes why hiredis failed.
    private func failure(_ command: RedisCommand) -> PotteryError {
        let savedErrno = errno
        isUsable = false
        let code = context.pointee.err
        var reason = String(cString: pottery_errstr(context))
        if reason.isEmpty { reason = "unknown hiredis error \(code)" }
        let key = command.firstKey?.description
        if code == REDIS_ERR_IO && (savedErrno == EAGAIN || savedErrno == EWOULDBLOCK) {
            return PotteryError(.timeout, "no answer from \(server) in time to \(command.name); its outcome is unknown",
                                key: key, server: server)
        }
        if code == REDIS_ERR_EOF {
            return PotteryError(.connectionError, "\(server) closed the connection during \(command.name) (\(reason))",
                                key: key, server: server)
        }
        return PotteryError(.connectionError, "I/O error with \(server) during \(command.name): \(reason)",
                            key: key, server: server)
    }

    /// Copies a hiredis reply tree into Swift values. Bulk strings are copied
    /// as bytes from `str` and `len` (they may hold NUL bytes).
    private static func copy(_ reply: UnsafePointer<redisReply>, command: RedisCommand, server: String) -> RedisReply {
        let r = reply.pointee
        switch r.type {
        case REDIS_REPLY_STRING:
            return .bulk(bytes(r.str, r.len))
        case REDIS_REPLY_STATUS:
            return .status(String(decoding: bytes(r.str, r.len), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            return .integer(r.integer)
        case REDIS_REPLY_NIL:
            return .null
        case REDIS_REPLY_ARRAY:
            var elements: [RedisReply] = []
            elements.reserveCapacity(Int(r.elements))
            for index in 0..<r.elements {
                elements.append(copy(pottery_reply_element(reply, index), command: command, server: server))
            }
            return .array(elements)
        case REDIS_REPLY_ERROR:
            let text = String(decoding: bytes(r.str, r.len), as: UTF8.self)
            return .error(RedisErrorReply.error(text, command: command, server: server))
        default:
            return .error(PotteryError(.responseError, "unknown reply type \(r.type)", server: server))
        }
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, _ length: Int) -> [UInt8] {
        guard let pointer, length > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: length))
    }

    private static func timeval(_ duration: Duration) -> Glibc.timeval {
        let (seconds, attoseconds) = duration.components
        return Glibc.timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}

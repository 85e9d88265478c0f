internal import CHiredis
#if canImport(Glibc)
import Glibc
#endif

/// The funnel: the only type that touches hiredis.
///
/// It owns one non-blocking `redisContext`. Commands are appended as
/// binary-safe argv (never a format string) to hiredis's output buffer;
/// ``ExchangeEngine`` moves bytes when `poll(2)` says the socket is ready, so
/// one thread can drive many servers against one deadline. Each reply is
/// copied into a ``RedisReply`` and the C reply freed exactly once. After any
/// I/O error, protocol error or timeout the context is dead: the owner drops
/// it, so a late reply can never be paired with a later command.
///
/// Not thread-safe; ``RedisConnection``'s lock guards it.
final class HiredisContext {
    private let context: UnsafeMutablePointer<redisContext>
    /// The masked URL of the server, for messages.
    let server: String
    /// The socket, for `poll(2)`.
    let fd: Int32
    /// False once an I/O error, timeout or protocol error has happened.
    @exclusivity(unchecked) private(set) var isUsable = true
    /// Commands whose replies nobody waits for, in the order sent (a temporary
    /// key's `UNLINK` from a `deinit`; the rest of a batch left behind once a
    /// quorum decided): their replies are read and dropped before the next
    /// exchange's. A dropped `NOSCRIPT` answer to an `EVALSHA` has its `EVAL`
    /// sent (and owed) in its place, so a script left behind still runs.
    @exclusivity(unchecked) private(set) var owed: [RedisCommand] = []

    /// How many replies are owed (``owed``).
    var repliesToDiscard: Int { owed.count }

    /// Adds commands just written whose replies will be dropped.
    func owe(_ commands: some Sequence<RedisCommand>) { owed.append(contentsOf: commands) }

    /// Takes the owed commands: the exchange starting now drops their replies first.
    func takeOwed() -> [RedisCommand] {
        if owed.isEmpty { return [] }
        defer { owed = [] }
        return owed
    }

    /// What to send after dropping `reply` to `command`: its `EVAL` when it was
    /// an `EVALSHA` the server did not know (`NOSCRIPT`), else nothing.
    static func fallback(afterDropping reply: RedisReply, to command: RedisCommand) -> RedisCommand? {
        guard case .error(let error) = reply, error.redisCode == "NOSCRIPT" else { return nil }
        return command.scriptFallback
    }

    /// Starts a non-blocking connect to one numeric address (or a unix
    /// socket). The connect completes when the socket polls writable; then
    /// call ``connectError()``.
    init(connectingTo target: ConnectTarget, server: String) throws(PotteryError) {
        self.server = server
        let made: UnsafeMutablePointer<redisContext>?
        switch target {
        case .tcp(let address, let port): made = redisConnectNonBlock(address, Int32(port))
        case .unix(let path): made = redisConnectUnixNonBlock(path)
        }
        guard let made else {
            throw PotteryError(.connectionError, "cannot connect to \(server): out of memory", server: server)
        }
        if made.pointee.err != 0 {
            let reason = String(cString: pottery_errstr(made))
            redisFree(made)
            throw PotteryError(.connectionError, "cannot connect to \(server): \(reason)", server: server)
        }
        context = made
        fd = pottery_fd(made)
    }

    deinit { redisFree(context) }

    /// After the socket polled writable while connecting: why the connect
    /// failed, or `nil` when it succeeded.
    func connectError() -> String? {
        var code = pottery_socket_error(fd)
        if code == 0 {
            if pottery_make_blocking(fd) == 0 { return nil }
            code = errno
        }
        isUsable = false
        return String(cString: strerror(code))
    }

    /// When this socket's last exchange got all its replies (`nil`: none yet).
    @exclusivity(unchecked) var answeredAt: MonotonicInstant?

    /// How long after a complete answer a socket owing nothing is reused
    /// without ``isStale(at:)``'s `poll(2)`: a loop of calls pays two system calls
    /// a call, as a C hiredis loop does, not three. Only an operator's `CLIENT
    /// KILL` can close a socket that soon (a `timeout` needs a second's
    /// silence, a restart longer); a call that then meets the closed socket
    /// fails as a close during the call does (its outcome unknown), and the
    /// next call reconnects.
    static let freshness: Duration = .milliseconds(1)

    /// Whether this socket answered everything less than ``freshness`` ago, so
    /// that ``isStale(at:)`` need not look at it.
    func isFresh(at now: MonotonicInstant) -> Bool {
        guard owed.isEmpty, let answeredAt else { return false }
        return now - answeredAt < Self.freshness
    }

    /// Whether the server closed this idle connection (or sent something
    /// unasked): then it must not be reused. Owed replies that have come are
    /// read and dropped first, so a connection owing one is checked too. A
    /// socket that answered within ``freshness`` of `now` is taken as open.
    func isStale(at now: MonotonicInstant) -> Bool {
        if checkedIdle {  // ``checkIdle(_:at:)`` polled it with others just now: nothing had come
            checkedIdle = false
            return false
        }
        if isFresh(at: now) { return false }
        guard dropArrivedReplies() else { return true }
        return repliesToDiscard == 0 && pottery_context_is_stale(context) != 0
    }

    /// Set by ``checkIdle(_:at:)`` for a socket that had nothing to read; the next ``isStale(at:)`` consumes it.
    @exclusivity(unchecked) private var checkedIdle = false

    /// ``isStale(at:)``'s check for several idle connections in one `poll(2)` rather
    /// than one each (a fan-out to five masters: one system call, not five).
    /// A socket with bytes waiting (closed, or owed replies come) is left to
    /// ``isStale(at:)``'s own check.
    static func checkIdle(_ contexts: [HiredisContext], at now: MonotonicInstant) {
        let contexts = contexts.filter { !$0.isFresh(at: now) }
        guard contexts.count > 1 else { return }
        var fds = contexts.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
        guard poll(&fds, nfds_t(fds.count), 0) >= 0 else { return }
        for (context, descriptor) in zip(contexts, fds) where descriptor.revents == 0 && context.repliesToDiscard == 0 {
            context.checkedIdle = true
        }
    }

    /// Reads and drops the owed replies (``repliesToDiscard``) already sent by
    /// the server. Returns `false` when the connection failed or was closed.
    private func dropArrivedReplies() -> Bool {
        do throws(PotteryError) {
            while let command = owed.first {
                if let reply = try nextReply(for: command) {
                    owed.removeFirst()
                    if let retry = Self.fallback(afterDropping: reply, to: command) {
                        try append(retry)
                        owed.append(retry)
                        _ = try write(for: retry)  // what the socket does not take now goes with the next exchange
                    }
                } else if try !read(for: command) {
                    return true  // not all come yet: still owed, read before the next replies
                }
            }
            return true
        } catch {
            return false
        }
    }

    /// Whether appended commands are still waiting to be written.
    var hasPendingOutput: Bool { pottery_has_output(context, outputSent) != 0 }

    /// How many bytes at the head of hiredis's output buffer are already written.
    @exclusivity(unchecked) private var outputSent = 0

    /// The SHA1s of the scripts this socket has sent as `EVAL` (which caches them on the server).
    @exclusivity(unchecked) private var loadedScripts: [[UInt8]] = []

    /// Queues `command` in hiredis's output buffer (no I/O yet). The first
    /// `EVALSHA` of a script on this socket goes as its `EVAL`, which also
    /// caches it: a fan-out that leaves a master behind never leaves a
    /// `NOSCRIPT` there (a new socket, as after a restart, starts over; a
    /// `SCRIPT FLUSH` under our feet is answered `NOSCRIPT`, then `EVAL`).
    func append(_ command: RedisCommand) throws(PotteryError) {
        if command.scriptSource != nil, command.count > 1 {
            let sha = command.argument(1)
            if !loadedScripts.contains(where: { $0.elementsEqual(sha) }), let eval = command.scriptFallback {
                loadedScripts.append(Array(sha))
                return try appendRESP(eval)
            }
        }
        try appendRESP(command)
    }

    private func appendRESP(_ command: RedisCommand) throws(PotteryError) {
        let count = command.respCount
        guard let out = pottery_output_reserve(context, count) else {
            throw failure("cannot queue \(command.name): out of memory", command)
        }
        out.withMemoryRebound(to: UInt8.self, capacity: count) { command.writeRESP(to: $0) }
        pottery_output_commit(context, count)
    }

    /// How many bytes have been written so far: a write that moves it is
    /// progress, even when the output buffer is not empty yet.
    @exclusivity(unchecked) private(set) var bytesWritten = 0

    /// Writes what the socket takes now. Returns whether the output buffer is empty.
    /// (`command`, for messages, is only evaluated on an error.)
    func write(for command: @autoclosure () -> RedisCommand?) throws(PotteryError) -> Bool {
        while hasPendingOutput {
            var sent = outputSent
            let written = pottery_write(context, &sent)
            outputSent = sent
            if written > 0 { bytesWritten += written }
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { return false }
                throw ioFailure(errno, command())
            }
        }
        return true
    }

    /// Reads what the socket holds now into the reply reader. Returns whether
    /// any bytes came.
    /// (`command`, for messages, is only evaluated on an error.)
    func read(for command: @autoclosure () -> RedisCommand?) throws(PotteryError) -> Bool {
        while true {
            let count = pottery_read(context)
            if count > 0 { return true }  // (the command is looked at only for an error: no copy of it here)
            if let came = try outcome(ofFailedRead: count, for: command()) { return came }
        }
    }

    /// ``read(for:)``, but waiting up to `timeout` (`nil`: for ever) for the
    /// first bytes in the read itself: one system call where `poll(2)` and a
    /// read are two. Returns `false` when nothing came in time. A signal that
    /// interrupts the wait does not start it over: the read goes on for what
    /// is left of `timeout` counted from `start` (when the wait began: the
    /// caller's last progress, so that no clock is read here on every call).
    func readWaiting(timeout: Duration?, since start: MonotonicInstant,
                     for command: @autoclosure () -> RedisCommand?) throws(PotteryError) -> Bool {
        if timeout != receiveTimeout { try setReceiveTimeout(timeout, for: command()) }
        while true {
            let count = pottery_read_waiting(context)
            if count > 0 { return true }
            if let came = try outcome(ofFailedRead: count, for: command()) { return came }
            guard let timeout else { continue }  // EINTR, waiting for ever: wait again
            let left = timeout - (MonotonicInstant.now - start)
            if left <= .zero { return false }
            try setReceiveTimeout(left, for: command())
        }
    }

    /// Sets how long ``readWaiting(timeout:since:for:)``'s read waits (`nil`: for ever).
    private func setReceiveTimeout(_ timeout: Duration?, for command: @autoclosure () -> RedisCommand?) throws(PotteryError) {
        let microseconds = timeout.map { duration -> Int64 in
            let (seconds, attoseconds) = duration.components
            let total = seconds.multipliedReportingOverflow(by: 1_000_000)
            if total.overflow || seconds < 0 { return seconds < 0 ? 1 : Int64.max / 2 }
            return max(1, total.partialValue + (attoseconds + 999_999_999_999) / 1_000_000_000_000)  // never 0: for ever
        } ?? 0
        guard pottery_set_receive_timeout(fd, microseconds) == 0 else { throw ioFailure(errno, command()) }
        receiveTimeout = timeout
    }

    /// What a read that brought no bytes means: `false` none yet, `nil`
    /// interrupted (read again); the end of the connection, bytes that are not
    /// RESP and socket errors are thrown.
    private func outcome(ofFailedRead count: Int, for command: @autoclosure () -> RedisCommand?) throws(PotteryError) -> Bool? {
        if count == 0 {
            let command = command()
            throw failure("\(server) closed the connection during \(command?.name ?? "a call")", command)
        }
        if count == -2 {
            let command = command()
            let reason = String(cString: pottery_reader_errstr(context))
            throw failure("\(server) sent bytes that are not RESP during \(command?.name ?? "a call"): \(reason)",
                          command, code: .responseError)
        }
        if errno == EINTR { return nil }
        if errno == EAGAIN || errno == EWOULDBLOCK { return false }
        throw ioFailure(errno, command())
    }

    /// The socket's receive timeout, as last set (`nil`: for ever, the default).
    @exclusivity(unchecked) private var receiveTimeout: Duration?

    /// The next complete reply already read, or `nil` when more bytes are needed.
    func nextReply(for command: RedisCommand) throws(PotteryError) -> RedisReply? {
        var raw: UnsafeMutableRawPointer?
        guard redisGetReplyFromReader(context, &raw) == REDIS_OK else {
            if let raw { freeReplyObject(raw) }
            let reason = String(cString: pottery_errstr(context))
            throw failure("\(server) sent bytes that are not RESP during \(command.name): \(reason)",
                          command, code: .responseError)
        }
        guard let raw else { return nil }
        defer { freeReplyObject(raw) }
        if command.isNamed("QUIT") { isUsable = false }  // the server closes after answering
        return Self.copy(raw.assumingMemoryBound(to: redisReply.self), command: command, server: server)
    }

    /// Marks the context dead: its outcome is unknown, a late reply may follow.
    func abandon() { isUsable = false }

    private func ioFailure(_ code: Int32, _ command: RedisCommand?) -> PotteryError {
        let reason = String(cString: strerror(code))
        let verb = command.map { " during \($0.name)" } ?? ""
        return failure("I/O error with \(server)\(verb): \(reason)", command)
    }

    /// Marks the context dead and makes the error.
    private func failure(_ message: String, _ command: RedisCommand?,
                         code: PotteryError.Code = .connectionError) -> PotteryError {
        isUsable = false
        return PotteryError(code, message, key: command?.firstKey?.description, server: server)
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
}

/// One place to connect to: a numeric address and port, or a unix socket.
enum ConnectTarget: Sendable {
    case tcp(address: String, port: Int)
    case unix(path: String)

    /// Every target of a configuration, in the order to try them: each
    /// address its host name resolves to (hiredis 0.14 stops at the first refusal).
    /// - Throws: a ``PotteryError/Code/timeout`` when the name is not resolved by `limit`.
    static func all(for configuration: RedisConfiguration, by limit: ContinuousClock.Instant) throws(PotteryError) -> [ConnectTarget] {
        switch configuration.endpoint {
        case .tcp(let host, let port):
            guard (1...65535).contains(port) else {
                throw PotteryError(.invalidURL, "port \(port) is out of range (1-65535)", server: configuration.maskedURL)
            }
            guard let addresses = HostResolver.addresses(of: host, by: limit) else {
                throw PotteryError(.timeout, "cannot connect to \(configuration.maskedURL): "
                                   + "the host name \(host) was not resolved in time", server: configuration.maskedURL)
            }
            return addresses.map { .tcp(address: $0, port: port) }
        case .unix(let path):
            return [.unix(path: path)]
        }
    }
}

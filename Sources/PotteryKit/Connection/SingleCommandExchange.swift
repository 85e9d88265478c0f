#if canImport(Glibc)
import Glibc
#endif

// A single command on a socket that is already open, idle and owes nothing:
// the common call of every container, lock and ID. It is what
// ``ExchangeEngine/run(_:)`` does for such a call (write, one read that waits
// up to the idle timeout or the deadline, a `NOSCRIPT` answered with the
// `EVAL`, the same errors, a socket whose outcome is unknown dropped),
// without the exchange's bookkeeping: no part object, no arrays of commands
// and replies, no result to wrap. Anything else (no socket yet, a stale one,
// owed replies, deferred commands, other callers queued, several commands, a
// cluster) takes the general exchange.

extension RedisConnection {
    /// Sends `command` alone on the live socket, the lock held by the caller,
    /// within `deadline` (`nil`: the idle timeout between steps of progress).
    /// Returns `nil`, having sent nothing, when the call needs the general
    /// exchange; else its reply, or why the exchange failed (the socket then dropped).
    func sendAlone(_ command: RedisCommand, deadline: MonotonicInstant? = nil) -> Result<RedisReply, PotteryError>? {
        let now = MonotonicInstant.now
        guard let context, context.isUsable, context.repliesToDiscard == 0, !hasDeferred,
              !context.isStale(at: now) else { return nil }
        do {
            return .success(try context.exchange(command, idleTimeout: configuration.ioTimeout, deadline: deadline, now: now))
        } catch {
            self.context = nil
            return .failure(error.naming(key: command.firstKey))
        }
    }
}

extension HiredisContext {
    /// Writes `command`, then waits for its reply, allowing `idleTimeout`
    /// (`nil`: for ever) between any two steps of progress, or, given a
    /// `deadline`, until then; `now` is the time the call began. An `EVALSHA`
    /// the server does not know (`NOSCRIPT`) is sent again as its `EVAL`.
    /// - Throws: on I/O errors and timeouts, after which this context is dead.
    func exchange(_ command: RedisCommand, idleTimeout: Duration?, deadline: MonotonicInstant?,
                  now: MonotonicInstant) throws(PotteryError) -> RedisReply {
        var reply = try roundTrip(command, idleTimeout: idleTimeout, deadline: deadline, since: now)
        if case .error(let error) = reply, error.redisCode == "NOSCRIPT", let retry = command.scriptFallback {
            reply = try roundTrip(retry, idleTimeout: idleTimeout, deadline: deadline, since: .now)
        }
        answeredAt = .now
        return reply
    }

    /// One command and its reply; `start` is when it began (the idle timeout counts from there).
    private func roundTrip(_ command: RedisCommand, idleTimeout: Duration?, deadline: MonotonicInstant?,
                           since start: MonotonicInstant) throws(PotteryError) -> RedisReply {
        try append(command)
        var lastProgress = start
        var written = bytesWritten
        while try !write(for: command) {
            // The socket's buffer is full (a large command): wait until it takes more, up to the
            // deadline, or the idle timeout since the last bytes went (a signal's EINTR restarts neither).
            let now = MonotonicInstant.now
            if bytesWritten != written {
                written = bytesWritten
                lastProgress = now
            }
            let limit = deadline ?? idleTimeout.map { lastProgress + $0 }
            if let limit, limit <= now { throw timedOut(waitingFor: command) }
            var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            if poll(&descriptor, 1, ExchangeEngine.milliseconds(until: limit, from: now)) < 0 && errno != EINTR {
                abandon()
                let reason = String(cString: strerror(errno))
                throw PotteryError(.connectionError, "poll failed: \(reason)", key: command.firstKey?.description, server: server)
            }
        }
        // The command goes to the reads by address: it is looked at only for an error's message,
        // and passed by value each read would copy it (a retain and a release of each of its buffers).
        return try withUnsafePointer(to: command) { (pending) throws(PotteryError) -> RedisReply in
            while true {
                guard try readWaiting(idleTimeout: idleTimeout, deadline: deadline, since: lastProgress, for: pending) else {
                    throw timedOut(waitingFor: command)
                }
                if let reply = try nextReply(for: command) { return reply }
                lastProgress = .now  // part of the reply came: progress
            }
        }
    }

    /// ``readWaiting(timeout:since:for:)`` up to `deadline`, else up to `idleTimeout`.
    /// Before a distant deadline the read waits the idle timeout, as a call
    /// without one does (the socket's receive timeout stays as it is: no
    /// system call to change it), and again until the deadline.
    private func readWaiting(idleTimeout: Duration?, deadline: MonotonicInstant?, since start: MonotonicInstant,
                             for command: UnsafePointer<RedisCommand>) throws(PotteryError) -> Bool {
        guard let deadline else { return try readWaiting(timeout: idleTimeout, since: start, for: command.pointee) }
        while true {
            let now = MonotonicInstant.now
            let remaining = deadline - now
            if remaining <= .zero { return false }
            if let idleTimeout, idleTimeout > .zero, idleTimeout <= remaining {
                if try readWaiting(timeout: idleTimeout, since: now, for: command.pointee) { return true }
                continue
            }
            return try readWaiting(timeout: remaining, since: now, for: command.pointee)
        }
    }

    /// Marks the context dead and says that `command` got no answer in time.
    private func timedOut(waitingFor command: RedisCommand) -> PotteryError {
        abandon()
        return Self.unanswered("no answer from \(server) in time", command: command, server: server)
    }

    /// The error of a command whose reply did not come: `what` happened, and the outcome is unknown.
    static func unanswered(_ what: String, command: RedisCommand?, server: String) -> PotteryError {
        let name = command.map { " to \($0.name)" } ?? ""
        return PotteryError(.timeout, "\(what)\(name); its outcome is unknown",
                            key: command?.firstKey?.description, server: server)
    }
}

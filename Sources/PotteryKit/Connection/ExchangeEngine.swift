#if canImport(Glibc)
import Glibc
#endif

/// Drives the sockets of one or more servers at once from the calling
/// thread: writes every batch, then `poll(2)`s all the sockets against one
/// clock until each part has its replies, failed, or ran out of time.
///
/// Why `poll(2)` rather than a thread per server: a round trip on loopback
/// costs tens of microseconds, about what handing work to another thread and
/// back costs; one thread writing N sockets and polling them pays one round
/// trip for N masters, and a dead or frozen master costs one deadline for the
/// whole call, never one per master.
enum ExchangeEngine {
    /// Runs `parts` (their connections' locks held by the caller) to the end.
    ///
    /// - Parameters:
    ///   - decided: asked after each step; once it answers `true` the parts
    ///     still waiting are abandoned at once (their outcome unknown; their
    ///     sockets kept, owing the replies, see ``ExchangePart/abandon()``), so
    ///     neither a frozen master nor a slow one holds up a quorum.
    static func run(_ parts: [ExchangePart], decided: (() -> Bool)? = nil) {
        var fds: [pollfd] = []
        var polled: [ExchangePart] = []
        while true {
            var now = MonotonicInstant.now
            var nextLimit: MonotonicInstant?
            fds.removeAll(keepingCapacity: true)
            polled.removeAll(keepingCapacity: true)
            for part in parts where !part.isFinished {
                if let limit = part.limit {
                    if limit <= now { part.expire(); continue }
                    nextLimit = nextLimit.map { min($0, limit) } ?? limit
                }
                fds.append(pollfd(fd: part.fd, events: part.events, revents: 0))
                polled.append(part)
            }
            if polled.isEmpty { return }
            if let decided, decided() {
                for part in polled { part.abandon() }
                return
            }
            let ready = poll(&fds, nfds_t(fds.count), milliseconds(until: nextLimit, from: now))
            if ready < 0 && errno != EINTR {
                let reason = String(cString: strerror(errno))
                for part in polled {
                    part.fail(PotteryError(.connectionError, "poll failed: \(reason)", server: part.connection.server))
                }
                return
            }
            now = MonotonicInstant.now
            if ready > 0 {
                for (index, part) in polled.enumerated() where fds[index].revents != 0 {
                    part.progress(fds[index].revents, now: now)
                }
            }
        }
    }

    /// Runs one part (its connection's lock held by the caller) to the end:
    /// ``run(_:decided:)`` for a single server, without its arrays (one
    /// `pollfd` on the stack): the path of every single-server call.
    static func run(_ part: ExchangePart) {
        while !part.isFinished {
            let now = MonotonicInstant.now
            if part.waitsForRepliesOnly(now: now) {  // all written: wait in the read, no poll first
                part.receiveWaiting()
                continue
            }
            var timeout: Int32 = -1
            if let limit = part.limit {
                if limit <= now { return part.expire() }
                timeout = milliseconds(until: limit, from: now)
            }
            var descriptor = pollfd(fd: part.fd, events: part.events, revents: 0)
            let ready = poll(&descriptor, 1, timeout)
            if ready < 0 && errno != EINTR {
                let reason = String(cString: strerror(errno))
                return part.fail(PotteryError(.connectionError, "poll failed: \(reason)", server: part.connection.server))
            }
            if ready > 0 { part.progress(descriptor.revents, now: MonotonicInstant.now) }
        }
    }

    /// `poll(2)`'s timeout: the milliseconds until `limit`, rounded up (a
    /// deadline 1 µs away waits 1 ms, never "for ever"); -1 for no limit.
    static func milliseconds(until limit: MonotonicInstant?, from now: MonotonicInstant) -> Int32 {
        guard let limit else { return -1 }
        let nanoseconds = limit.nanoseconds.subtractingSaturating(now.nanoseconds)
        if nanoseconds <= 0 { return 0 }
        return Int32(clamping: nanoseconds / 1_000_000 + (nanoseconds % 1_000_000 == 0 ? 0 : 1))
    }
}

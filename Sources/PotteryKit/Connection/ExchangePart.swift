/// One server's share of an exchange: the commands for it, the replies so
/// far, and where its socket stands (connecting, writing, reading, done).
///
/// Made and driven by ``ExchangeEngine`` while the connection's lock is held.
/// Its state is only ever touched by that one thread, one access at a time, so
/// its properties skip the runtime's exclusivity checks (`@exclusivity(unchecked)`:
/// about 16 per call, a tenth of a single command's client instructions).
final class ExchangePart {
    enum Phase { case connecting, writing, reading, finished }

    let connection: RedisConnection
    let commands: [RedisCommand]
    @exclusivity(unchecked) private(set) var phase: Phase = .connecting
    @exclusivity(unchecked) private(set) var context: HiredisContext?
    /// Commands sent before `commands` (AUTH/SELECT after a connect, deferred
    /// deletions); their replies are checked (`checkedPrefix` of them) or dropped.
    @exclusivity(unchecked) private var prefix: [RedisCommand] = []
    /// The connection's deferred commands this part carries: handed back
    /// (``RedisConnection/endPart(_:)``) when the part fails, to go with a later exchange.
    @exclusivity(unchecked) private(set) var deferred: [RedisCommand] = []
    @exclusivity(unchecked) private var checkedPrefix = 0
    @exclusivity(unchecked) private var targets: [ConnectTarget] = []
    /// Every command on the wire, in order, with where its reply goes.
    @exclusivity(unchecked) private var wire: [RedisCommand] = []
    /// The replies of the first `firstSent` commands of `wire` (`prefix`
    /// first, then `commands`: with no prefix, the result itself), appended
    /// as they come; a `NOSCRIPT` retry's reply replaces its command's.
    @exclusivity(unchecked) private var replies: [RedisReply] = []
    /// How many commands went on the wire first: those after them are `NOSCRIPT` retries.
    @exclusivity(unchecked) private var firstSent = 0
    /// The connection's owed commands (``HiredisContext/owed``), on the wire before
    /// `wire`: their replies come first and are dropped; `discarded` of them so far.
    @exclusivity(unchecked) private var discarding: [RedisCommand] = []
    @exclusivity(unchecked) private var discarded = 0
    @exclusivity(unchecked) private(set) var result: Result<[RedisReply], PotteryError>?
    @exclusivity(unchecked) private var connectLimit: MonotonicInstant?
    @exclusivity(unchecked) private var lastProgress: MonotonicInstant
    private let deadline: MonotonicInstant?
    /// Whether no byte of `commands` can have reached a server (the part failed
    /// before writing, e.g. connection refused): a cluster client may send them elsewhere.
    @exclusivity(unchecked) private(set) var sentNothing = true

    init(connection: RedisConnection, commands: [RedisCommand], deadline: MonotonicInstant?,
         now: MonotonicInstant) {
        self.connection = connection
        self.commands = commands
        self.deadline = deadline
        self.lastProgress = now
    }

    var isFinished: Bool { phase == .finished }

    /// The instant by which this part must move on, or `nil` for never.
    var limit: MonotonicInstant? {
        switch phase {
        case .finished: return nil
        case .connecting: return connectLimit
        case .writing, .reading:
            let idle = connection.configuration.ioTimeout.map { lastProgress + $0 }
            guard let deadline else { return idle }
            return deadline
        }
    }

    /// The `poll(2)` events this part waits for now.
    var events: Int16 {
        switch phase {
        case .connecting: return Int16(POLLOUT)
        case .writing: return Int16(POLLOUT | POLLIN)
        case .reading: return Int16(POLLIN)
        case .finished: return 0
        }
    }

    var fd: Int32 { context?.fd ?? -1 }

    /// Starts: reuses the live context (writing at once) or starts connecting.
    /// With `reconnect` false (inside a transaction, after its `WATCH`) a lost
    /// context is an error: a new socket would not carry the `WATCH`.
    func begin(existing: HiredisContext?, deferred: [RedisCommand], reconnect: Bool = true, now: MonotonicInstant) {
        prefix = deferred
        self.deferred = deferred
        if let existing, existing.isUsable, !existing.isStale(at: now) {
            context = existing
            startWriting(now: now)
            return
        }
        guard reconnect else {
            let server = connection.server
            return finish(.failure(PotteryError(
                .connectionError, "the connection to \(server) was lost inside a transaction, and its WATCH with it; "
                    + "nothing was committed", key: commands.first?.firstKey?.description, server: server)))
        }
        let connectBy = now + connection.configuration.connectTimeout
        let limit = deadline.map { min($0, connectBy) } ?? connectBy
        connectLimit = limit
        do throws(PotteryError) {
            targets = try ConnectTarget.all(for: connection.configuration, by: limit.continuous)
        } catch {
            return finish(.failure(error))
        }
        connectNext(reasons: [], now: now)
    }

    /// The socket is ready for `revents`.
    func progress(_ revents: Int16, now: MonotonicInstant) {
        do throws(PotteryError) {
            switch phase {
            case .connecting:
                guard let context else { return }
                if let reason = context.connectError() {
                    connectNext(reasons: [reason], now: now)
                } else {
                    startWriting(now: now)
                }
            case .writing, .reading:
                if phase == .writing { try flush(now: now) }
                if !isFinished, revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 { try receive(now: now) }
            case .finished:
                return
            }
        } catch {
            finish(.failure(error))
        }
    }

    /// Whether this part only waits for replies and may wait in the read itself
    /// (``receiveWaiting()``, its timeout the socket's idle timeout): with no
    /// deadline, or with one that the idle timeout cannot overrun from `now`
    /// (a lock's 10 s deadline and the default 5 s idle timeout).
    func waitsForRepliesOnly(now: MonotonicInstant) -> Bool {
        guard phase == .reading else { return false }
        guard let deadline else { return true }
        guard let idle = connection.configuration.ioTimeout else { return false }
        return now + idle <= deadline
    }

    /// Waits for the next replies in the read itself (up to the idle timeout) and
    /// collects them. When nothing came in time: without a deadline the part
    /// expires (idle too long); with one, it goes on until its deadline.
    func receiveWaiting() {
        guard let context else { return }
        do throws(PotteryError) {
            if try context.readWaiting(timeout: connection.configuration.ioTimeout, since: lastProgress, for: self.pendingCommand) {
                lastProgress = .now
                try collect(from: context)
            } else if deadline == nil {
                expire()
            }
        } catch {
            finish(.failure(error))
        }
    }

    /// Gives up on this part because `limit` passed.
    func expire() {
        switch phase {
        case .connecting:
            let server = connection.server
            finish(.failure(PotteryError(.timeout, "cannot connect to \(server): timed out", server: server)))
        case .writing, .reading:
            finish(.failure(unanswered("no answer from \(connection.server) in time")))
        case .finished:
            return
        }
    }

    /// Ends this part with `error`.
    func fail(_ error: PotteryError) { finish(.failure(error)) }

    /// Gives up on this part because the exchange's outcome was decided without it.
    ///
    /// A socket that is connected keeps its place: the replies still owed
    /// are counted on the context and dropped, in order, by its next
    /// exchange (RESP answers in order), so a slow master is not reconnected
    /// every call. Past ``maxOwedReplies`` it is closed instead.
    func abandon() {
        guard !isFinished else { return }
        var error = unanswered("\(connection.server) did not answer before the others decided the outcome")
        error.wasAbandoned = true
        result = .failure(error)
        if let context, phase != .connecting {
            context.owe(discarding[discarded...])
            context.owe(wire[received...])
            if context.repliesToDiscard > Self.maxOwedReplies { context.abandon() }
        } else {
            context?.abandon()
        }
        phase = .finished
    }

    /// How many unanswered replies a connection may owe before it is closed rather than kept.
    static let maxOwedReplies = 256

    private func unanswered(_ what: String) -> PotteryError {
        HiredisContext.unanswered(what, command: pendingCommand ?? commands.first, server: connection.server)
    }

    private var pendingCommand: RedisCommand? {
        received < wire.count ? wire[received] : nil
    }

    private func connectNext(reasons: [String], now: MonotonicInstant) {
        var reasons = reasons
        context = nil
        while !targets.isEmpty {
            let target = targets.removeFirst()
            do {
                context = try HiredisContext(connectingTo: target, server: connection.server)
                phase = .connecting
                return
            } catch {
                reasons.append(error.message)
            }
        }
        let server = connection.server
        let why = reasons.joined(separator: "; ")
        let message = why.hasPrefix("cannot connect") ? why : "cannot connect to \(server): \(why)"
        finish(.failure(PotteryError(.connectionError, message, server: server)))
    }

    private func startWriting(now: MonotonicInstant) {
        guard let context else { return }
        if connectLimit != nil {  // a new socket: authenticate and select first
            let setup = connection.setupCommands()
            prefix = setup + prefix
            checkedPrefix = setup.count
        }
        discarding = context.takeOwed()
        discarded = 0
        wire = prefix.isEmpty ? commands : prefix + commands  // one command alone: no new array
        sentNothing = false
        firstSent = wire.count
        retrySlots = []
        replies = []
        replies.reserveCapacity(wire.count)
        phase = .writing
        do throws(PotteryError) {
            let wire = self.wire
            for index in wire.indices { try context.append(wire[index]) }
            // Silence counts from the first write: formatting a large batch is not the server's time.
            let formatted = max(now, MonotonicInstant.now)
            lastProgress = formatted
            try flush(now: formatted)
        } catch {
            finish(.failure(error))
        }
    }

    private func flush(now: MonotonicInstant) throws(PotteryError) {
        guard let context else { return }
        let before = context.bytesWritten
        if try context.write(for: self.commands.first) {
            phase = .reading
            if wire.isEmpty && discarding.isEmpty { complete() }  // an empty batch: no reply to wait for
        }
        if context.bytesWritten != before { lastProgress = now }  // the server is taking bytes: not silence
    }

    private func receive(now: MonotonicInstant) throws(PotteryError) {
        guard let context else { return }
        // Read, collecting every complete reply, until the last reply is in (no
        // further read to find the socket empty: a system call costs microseconds)
        // or the socket has nothing more for now.
        while try context.read(for: self.pendingCommand) {
            lastProgress = now
            try collect(from: context)
            if isFinished { return }
        }
        try collect(from: context)
    }

    private func collect(from context: HiredisContext) throws(PotteryError) {
        while discarded < discarding.count {
            let command = discarding[discarded]
            guard let reply = try context.nextReply(for: command) else { return }
            discarded += 1
            if let retry = HiredisContext.fallback(afterDropping: reply, to: command) {
                // A script left behind by an earlier exchange met NOSCRIPT: it runs after all, its
                // reply dropped in turn (after this batch's, where the socket puts it).
                retrySlots.append(Self.droppedSlot)
                wire.append(retry)
                try context.append(retry)
                if try !context.write(for: retry) { phase = .writing }
            }
        }
        while received < wire.count {
            let index = received
            guard let reply = try context.nextReply(for: wire[index]) else { return }
            received += 1
            if case .error(let error) = reply, error.redisCode == "NOSCRIPT", let retry = wire[index].scriptFallback {
                // The server forgot the script (SCRIPT FLUSH, restart): send its source at once; the
                // reply takes the same place. (Commands after it in this batch have run before it.)
                retrySlots.append(index < firstSent ? index : retrySlots[index - firstSent])  // (dropped stays dropped)
                if index < firstSent { replies.append(.null) }  // its place, until the retry answers
                wire.append(retry)
                try context.append(retry)
                if try !context.write(for: retry) { phase = .writing }
                continue
            }
            if index < firstSent {
                replies.append(reply)  // replies come in the order sent
            } else if retrySlots[index - firstSent] != Self.droppedSlot {
                replies[retrySlots[index - firstSent]] = reply
            }
        }
        complete()
    }

    /// Where the reply of each `NOSCRIPT` retry (`wire[firstSent...]`) goes, in `replies`
    /// (``droppedSlot``: nowhere, the retry of a dropped reply's script).
    @exclusivity(unchecked) private var retrySlots: [Int] = []
    @exclusivity(unchecked) private var received = 0
    private static let droppedSlot = -1

    private func complete() {
        for reply in replies.prefix(checkedPrefix) {
            if case .error(var error) = reply {
                // RedisErrorReply already words `ERR ... password` replies as refused credentials.
                if error.code == .authenticationError, !error.message.contains("refused the credentials") {
                    error.message = "\(connection.server) refused the credentials: " + error.message
                }
                context?.abandon()
                return finish(.failure(error))
            }
        }
        finish(.success(prefix.isEmpty ? replies : Array(replies[prefix.count...])))
    }

    private func finish(_ outcome: Result<[RedisReply], PotteryError>) {
        switch outcome {
        case .failure: context?.abandon()  // its outcome is unknown: never reuse it
        case .success: context?.answeredAt = lastProgress
        }
        result = outcome
        phase = .finished
    }
}

#if canImport(Glibc)
import Glibc
#endif

import PotteryKit

/// `lock` verbs: pottery's Redlock over the masters (`--master`,
/// `$POTTERY_MASTERS`, else `--url`). Each call is a new process, so a lease
/// is named by its token (`--token T`), as `lock acquire` printed it.
enum LockCommands {
    static let timeoutOption = OptionSpec(
        name: "timeout", value: .text("S"),
        summary: "give up after S seconds of trying (default: wait as long as necessary)")
    static let noWaitOption = OptionSpec(name: "no-wait", value: .none, summary: "make one attempt only")
    static let autoReleaseOption = OptionSpec(
        name: "auto-release", value: .text("S"),
        summary: "seconds the lock lives unless extended (default 10, pottery's auto_release_time)")
    static let fencingOption = OptionSpec(
        name: "fencing", value: .none,
        summary: "also draw a fencing token: an integer that strictly increases with every grant of the lock")
    static let tokenOption = OptionSpec(name: "token", value: .text("T"), summary: "the lease's token, as lock acquire printed it")
    static let conflictOption = OptionSpec(
        name: "conflict-exit-code", value: .text("N"),
        summary: "exit status when the lock is not acquired (default 75, EX_TEMPFAIL)")

    static let structure = StructureSpec(
        "lock", summary: "pottery's Redlock: a lock over independent Redis masters (key redlock:KEY)",
        verbs: [
            VerbSpec("acquire", [.key], options: [timeoutOption, noWaitOption, autoReleaseOption, fencingOption],
                     summary: "takes the lock (Redlock.acquire()); waits as long as necessary unless --timeout or --no-wait",
                     prints: "{\"acquired\", \"auto_release_time\", \"key\", \"token\", \"validity_ms\"} (and \"fencing_token\" with --fencing); exit 1 with \"acquired\": false when not acquired, 3 with QuorumIsImpossible when most masters fail",
                     details: [
                        "The token is what lock release, extend and locked take (--token T).",
                        "validity_ms: how long the lease is safe to rely on from now (TTL less elapsed time and drift).",
                     ],
                     handler: acquire),
            VerbSpec("release", [.key], options: [tokenOption.required()],
                     summary: "releases the lease holding token T on every master (Redlock.release())",
                     prints: "null; exit 1 with ReleaseUnlockedLock when a majority does not hold that lease",
                     handler: release),
            VerbSpec("extend", [.key], options: [tokenOption.required(), autoReleaseOption],
                     summary: "resets the lease's TTL to --auto-release (default 10 s) on every master (Redlock.extend())",
                     prints: "null; exit 1 with ExtendUnlockedLock when a majority does not hold that lease",
                     details: ["pottery's limit of 3 extensions is per Python object; each call here is a new process and does not count."],
                     handler: extend),
            VerbSpec("locked", [.key], options: [tokenOption, autoReleaseOption],
                     summary: "the milliseconds left on the lease (Redlock.locked(), in ms): with --token that lease's, else whoever holds a majority",
                     prints: "an integer (0 when free); exit 0 when held, 1 when not",
                     handler: locked),
            VerbSpec("status", [.key], options: [autoReleaseOption],
                     summary: "what each master holds for the lock, for operators; never the token",
                     prints: "{\"held\", \"key\", \"locked_ms\", \"masters\": [{\"error\", \"held\", \"majority\", \"master\", \"ttl_ms\"}], \"quorum\", \"redis_key\"}; exit 0 (a minority of dead masters shows in their \"error\"); exit 3 with QuorumIsImpossible when the lock is not held by a majority and no majority answered",
                     handler: status),
            VerbSpec("run", [.key, .text("COMMAND", .command)],
                     options: [timeoutOption, noWaitOption, autoReleaseOption, fencingOption, conflictOption],
                     summary: "flock(1) across machines: acquires, runs COMMAND (no shell) while a watchdog extends the lock, releases",
                     prints: "nothing of its own: COMMAND's output and exit status (128+N when killed by signal N, 127/126 when it cannot be found or run); 75 (or --conflict-exit-code) when not acquired; 3 when no quorum of masters answers; 5 when the lock was lost while COMMAND ran",
                     details: LockRunCommand.details,
                     handler: LockRunCommand.run),
        ])

    static func lock(_ invocation: Invocation, token: String? = nil) throws(PotteryError) -> Redlock {
        let name = invocation.text("KEY")
        let ttl = try leaseTime(invocation)
        if let token {
            return Redlock(key: name, masters: invocation.masters, token: token, autoReleaseTime: ttl)
        }
        return Redlock(key: name, masters: invocation.masters, autoReleaseTime: ttl, fencing: invocation.flag("fencing"))
    }

    /// `--auto-release S`: a number of seconds from 0.001 (default 10). The TTL is whole
    /// milliseconds (pottery's `int(S * 1000)`): less than one would be PX 0, which Redis refuses.
    static func autoRelease(_ invocation: Invocation) throws(PotteryError) -> Duration {
        guard let seconds = try OptionValues.seconds(invocation, "auto-release", allowZero: false) else { return .seconds(10) }
        guard seconds >= .milliseconds(1) else {
            throw PotteryError(.valueError, "--auto-release needs at least 0.001 seconds (the lock's TTL is whole "
                               + "milliseconds), got \(invocation.textOptions["auto-release"] ?? "")")
        }
        return seconds
    }

    /// ``autoRelease(_:)`` for a lock, whose TTL is pottery's PX: `int(S * 1000)`, the product of
    /// doubles truncated, so `1.005` is 1004 ms there (1.005 × 1000 = 1004.99…) where S rounded to
    /// nanoseconds would give 1005. The duration is cut to pottery's millisecond count then.
    static func leaseTime(_ invocation: Invocation) throws(PotteryError) -> Duration {
        let duration = try autoRelease(invocation)
        guard let text = invocation.textOptions["auto-release"], let seconds = OptionValues.decimal(text) else { return duration }
        let pottery = Int(seconds * 1000)
        guard duration.milliseconds > pottery else { return duration }
        return .milliseconds(pottery) + .nanoseconds(999_999)
    }

    /// `--auto-release S` as given (default 10): the seconds `lock acquire` prints.
    static func autoReleaseSeconds(_ invocation: Invocation) -> Double {
        invocation.textOptions["auto-release"].flatMap(OptionValues.decimal) ?? 10
    }

    /// `--timeout S` / `--no-wait`: (blocking, timeout) for an acquire.
    static func waiting(_ invocation: Invocation) throws(PotteryError) -> (blocking: Bool, timeout: Duration?) {
        let timeout = try OptionValues.seconds(invocation, "timeout", allowZero: true)
        if invocation.flag("no-wait") {
            if timeout != nil { throw PotteryError(.valueError, "--timeout and --no-wait exclude each other") }
            return (false, nil)
        }
        return (true, timeout)
    }

    static func requiredToken(_ invocation: Invocation) throws(PotteryError) -> String {
        guard let token = invocation.textOptions["token"], !token.isEmpty else {
            throw PotteryError(.valueError, "\(Help.commandTitle(of: invocation.verb)) needs --token T (as \(invocation.verb.structure ?? "lock") acquire printed it)")
        }
        return token
    }

    static func acquire(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let lock = try lock(invocation)
        let (blocking, timeout) = try waiting(invocation)
        let acquired = try lock.acquire(blocking: blocking, timeout: timeout)
        var result: JSONObject = [
            "key": .string(lock.name), "acquired": .bool(acquired), "token": lock.token.map(JSONValue.string) ?? .null,
            "auto_release_time": .double(autoReleaseSeconds(invocation)),
            "validity_ms": .int(acquired ? lock.remainingValidity.milliseconds : 0),
        ]
        if lock.fencing { result["fencing_token"] = lock.fencingToken.map(JSONValue.int) ?? .null }
        invocation.output.write(.object(result))
        return acquired ? .success : .negative
    }

    static func release(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try lock(invocation, token: requiredToken(invocation)).release()
        return invocation.print(.null)
    }

    static func extend(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try lock(invocation, token: requiredToken(invocation)).extend()
        return invocation.print(.null)
    }

    static func locked(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let left: Duration
        if invocation.textOptions["token"] != nil {
            left = try lock(invocation, token: requiredToken(invocation)).locked()
        } else {
            let status = try Redlock.status(key: invocation.text("KEY"), masters: invocation.masters,
                                            autoReleaseTime: autoRelease(invocation))
            // "Not held" needs a majority that answered; otherwise nobody can tell (exit 3, or 4 for a key of another type).
            if let failure = status.unanswerable { throw failure }
            left = status.remaining
        }
        invocation.output.write(.int(left.milliseconds))
        return left > .zero ? .success : .negative
    }

    static func status(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let status = try Redlock.status(key: invocation.text("KEY"), masters: invocation.masters,
                                        autoReleaseTime: autoRelease(invocation))
        // "held": false needs a majority that answered: a dead --url server is exit 3, as for every verb.
        if let failure = status.unanswerable { throw failure }
        let masters = status.masters.map { master -> JSONValue in
            .object([
                "master": .string(master.server), "held": .bool(master.held),
                "ttl_ms": master.ttl.map { .int($0.milliseconds) } ?? .null,
                "majority": .bool(master.holdsMajorityLease),
                "error": master.error.map { .string("\($0.code.name): \($0.message)") } ?? .null,
            ])
        }
        return invocation.print(.object([
            "key": .string(invocation.text("KEY")), "redis_key": .string(status.key.description),
            "held": .bool(status.isHeld), "locked_ms": .int(status.remaining.milliseconds),
            "quorum": .int(status.quorum), "masters": .array(masters),
        ]))
    }
}

extension Duration {
    /// Whole milliseconds, truncated.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

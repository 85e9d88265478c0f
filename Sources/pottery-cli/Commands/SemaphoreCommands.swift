import PotteryKit

/// `semaphore` verbs: at most N holders across machines (``RedisSemaphore``),
/// on the `--url` server alone. Each call is a new process, so a permit is
/// named by its token (`--token T`), as `semaphore acquire` printed it.
enum SemaphoreCommands {
    static let limitOption = OptionSpec(
        name: "limit", value: .text("N"), summary: "the most holders at once (a whole number, at least 1)").required()
    static let autoReleaseOption = OptionSpec(
        name: "auto-release", value: .text("S"), summary: "seconds a permit lives unless extended (default 10)")
    static let tokenOption = OptionSpec(name: "token", value: .text("T"), summary: "the permit's token, as semaphore acquire printed it")
    static let conflictOption = OptionSpec(
        name: "conflict-exit-code", value: .text("N"),
        summary: "exit status when no permit is free (default 75, EX_TEMPFAIL)")

    static let structure = StructureSpec(
        "semaphore", summary: "at most N holders at once across machines, on the --url server (keys semaphore:{KEY}...; ours: pottery has none)",
        verbs: [
            VerbSpec("acquire", [.key],
                     options: [limitOption, LockCommands.timeoutOption, LockCommands.noWaitOption, autoReleaseOption],
                     summary: "takes a permit; waits (in arrival order) as long as necessary unless --timeout or --no-wait",
                     prints: "{\"acquired\", \"auto_release_time\", \"holders\", \"key\", \"limit\", \"token\", \"validity_ms\"}; exit 1 with \"acquired\": false when no permit was free",
                     details: [
                        "The token is what semaphore release and extend take (--token T).",
                        "holders: how many permits are held, this one included when acquired.",
                        "A smaller --limit than the present holders admits nobody new until they drop below it.",
                     ],
                     handler: acquire),
            VerbSpec("release", [.key], options: [tokenOption.required()],
                     summary: "gives back the permit holding token T",
                     prints: "null; exit 1 with ReleaseUnlockedLock when no permit holds that token (released, or its lease ended)",
                     handler: release),
            VerbSpec("extend", [.key], options: [tokenOption.required(), autoReleaseOption],
                     summary: "resets the permit's lease to --auto-release (default 10 s) from now",
                     prints: "null; exit 1 with ExtendUnlockedLock when no permit holds that token",
                     handler: extend),
            VerbSpec("status", [.key],
                     summary: "the holders, the limit last asked for, each lease's time left and the queue's length; never the tokens",
                     prints: "{\"holders\", \"key\", \"leases_ms\", \"limit\", \"redis_key\", \"waiters\"}; \"limit\" is null when nobody holds or waits; exit 0",
                     handler: status),
            VerbSpec("run", [.key, .text("COMMAND", .command)],
                     options: [limitOption, LockCommands.timeoutOption, LockCommands.noWaitOption, autoReleaseOption, conflictOption],
                     summary: "runs COMMAND (no shell) holding a permit while a watchdog extends it, as lock run does with a lock",
                     prints: "nothing of its own: COMMAND's output and exit status (128+N when killed by signal N, 127/126 when it cannot be found or run); 75 (or --conflict-exit-code) when no permit was free; 5 when the permit was lost while COMMAND ran",
                     details: LeasedRun.details(
                        variables: "POTTERY_SEMAPHORE_KEY (KEY as given) and POTTERY_SEMAPHORE_TOKEN", lease: "permit"),
                     handler: run),
        ])

    /// The semaphore of an invocation; `--limit` is required where `needsLimit`.
    static func semaphore(_ invocation: Invocation, needsLimit: Bool) throws(PotteryError) -> RedisSemaphore {
        var limit = 1
        if needsLimit {
            guard invocation.textOptions["limit"] != nil else {
                throw PotteryError(.valueError, "\(Help.commandTitle(of: invocation.verb)) needs --limit N (the most holders at once)")
            }
            limit = try OptionValues.integer(invocation, "limit", in: 1...Int(Int32.max)) ?? 1
        }
        return RedisSemaphore(key: invocation.text("KEY"), limit: limit, connection: invocation.connection,
                              autoReleaseTime: try LockCommands.autoRelease(invocation))
    }

    static func acquire(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let semaphore = try semaphore(invocation, needsLimit: true)
        let (blocking, timeout) = try LockCommands.waiting(invocation)
        let permit = try semaphore.acquire(blocking: blocking, timeout: timeout)
        let holders = try semaphore.holders()
        invocation.output.write(.object([
            "key": .string(semaphore.name), "acquired": .bool(permit != nil),
            "token": permit.map { .string($0.token) } ?? .null,
            "auto_release_time": .double(Double(semaphore.autoReleaseTime.milliseconds) / 1000),
            "validity_ms": .int(permit?.remainingValidity.milliseconds ?? 0),
            "holders": .int(holders), "limit": .int(semaphore.limit),
        ]))
        return permit != nil ? .success : .negative
    }

    static func release(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try semaphore(invocation, needsLimit: false).release(token: LockCommands.requiredToken(invocation))
        return invocation.print(.null)
    }

    static func extend(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try semaphore(invocation, needsLimit: false).extend(token: LockCommands.requiredToken(invocation))
        return invocation.print(.null)
    }

    static func status(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let semaphore = try semaphore(invocation, needsLimit: false)
        let status = try semaphore.status()
        return invocation.print(.object([
            "key": .string(semaphore.name), "redis_key": .string(semaphore.key.description),
            "limit": status.limit.map(JSONValue.int) ?? .null, "holders": .int(status.holders),
            "leases_ms": .array(status.leases.map { .int($0.milliseconds) }), "waiters": .int(status.waiters),
        ]))
    }

    static func run(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let command = invocation.textList("COMMAND")
        let conflictStatus = try OptionValues.integer(invocation, "conflict-exit-code", in: 0...255) ?? 75
        let semaphore = try semaphore(invocation, needsLimit: true)
        let (blocking, timeout) = try LockCommands.waiting(invocation)
        guard let permit = try semaphore.acquire(blocking: blocking, timeout: timeout) else {
            ErrorReporter.warn(PotteryError(.quorumNotAchieved,
                                            "no permit of \(semaphore.key) was free (limit \(semaphore.limit)); not run",
                                            key: semaphore.key.description))
            return ExitStatus(code: Int32(conflictStatus))
        }
        let run = LeasedRun(key: semaphore.key.description, leaseName: "a permit of \(semaphore.key)",
                            variables: [("POTTERY_SEMAPHORE_KEY", semaphore.name), ("POTTERY_SEMAPHORE_TOKEN", permit.token)],
                            startWatchdog: { onLost in semaphore.startWatchdog(for: permit, onLost: onLost) },
                            release: { () throws(PotteryError) in try semaphore.release(permit) })
        return try run.run(command)
    }
}

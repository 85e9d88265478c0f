import PotteryKit

/// `lock run KEY -- COMMAND...`: flock(1) across machines. Acquire (as `lock
/// acquire`), then ``LeasedRun``: COMMAND runs while a watchdog extends the
/// lock, and the lock is released when it ends.
enum LockRunCommand {
    static let details = LeasedRun.details(
        variables: "POTTERY_LOCK_KEY (KEY as given), POTTERY_LOCK_TOKEN and, with --fencing, POTTERY_FENCING_TOKEN",
        lease: "lock")

    static func run(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let command = invocation.textList("COMMAND")
        let conflictStatus = try OptionValues.integer(invocation, "conflict-exit-code", in: 0...255) ?? 75
        let lock = try LockCommands.lock(invocation)
        let (blocking, timeout) = try LockCommands.waiting(invocation)
        // Signals keep their default effect while we wait for the lock: Ctrl-C stops the wait.
        guard try lock.acquire(blocking: blocking, timeout: timeout) else {
            ErrorReporter.warn(PotteryError(.quorumNotAchieved, "\(lock.key) is held by another holder; not run",
                                            key: lock.key.description))
            return ExitStatus(code: Int32(conflictStatus))
        }
        let variables: [(name: String, value: String?)] = [
            ("POTTERY_LOCK_KEY", lock.name), ("POTTERY_LOCK_TOKEN", lock.token ?? ""),
            ("POTTERY_FENCING_TOKEN", lock.fencingToken.map { String($0) }),
        ]
        let run = LeasedRun(key: lock.key.description, leaseName: lock.key.description, variables: variables,
                            startWatchdog: { onLost throws(PotteryError) in try lock.startWatchdog(onLost: onLost) },
                            release: { () throws(PotteryError) in try lock.release() })
        return try run.run(command)
    }
}

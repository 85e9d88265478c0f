import Glibc
import PotteryKit

/// `lock run KEY -- COMMAND...`: flock(1) across machines.
///
/// Acquire (as `lock acquire`), start COMMAND without a shell in its own
/// process group, keep the lease alive with a watchdog while it runs, forward
/// SIGINT, SIGTERM and SIGHUP to its group, release when it ends. When the
/// lease is lost (a majority refuses an extension, or none was confirmed
/// before the lease's validity ran out on our monotonic clock), COMMAND's
/// group gets SIGTERM, then SIGKILL after a grace, and the exit status is 5.
enum LockRunCommand {
    static let details = [
        "COMMAND runs without a shell; write `-- sh -c '...'` for one. Everything after -- reaches it unchanged.",
        "It sees POTTERY_LOCK_KEY (KEY as given), POTTERY_LOCK_TOKEN and, with --fencing, POTTERY_FENCING_TOKEN.",
        "It runs in a process group of its own, with default signal dispositions and no descriptors of ours but 0-2.",
        "SIGINT, SIGTERM and SIGHUP sent to pottery-cli are forwarded to COMMAND's process group.",
        "The lock is extended every third of --auto-release while COMMAND runs. If it is lost, COMMAND's group",
        "gets SIGTERM, then SIGKILL \(graceSeconds) s later, and the exit status is 5.",
        "A failed release after COMMAND ended keeps COMMAND's status and warns on stderr.",
    ]

    static let lostStatus: Int32 = 5
    static let graceSeconds = 5

    static func run(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let command = invocation.textList("COMMAND")
        let conflictStatus = try OptionValues.integer(invocation, "conflict-exit-code", in: 0...255) ?? 75
        let lock = try LockCommands.lock(invocation)
        let (blocking, timeout) = try LockCommands.waiting(invocation)
        // Signals keep their default effect while we wait for the lock: Ctrl-C stops the wait.
        guard try lock.acquire(blocking: blocking, timeout: timeout) else {
            ErrorReporter.warn(PotteryError(.quorumNotAchieved, "\(lock.key) is held by another holder; not run",
                                            key: lock.name))
            return ExitStatus(code: Int32(conflictStatus))
        }
        let relay = SignalRelay()  // before the watchdog's thread exists, so it inherits the mask
        let watchdog: LockWatchdog
        do {
            watchdog = try lock.startWatchdog { _ in relay.notifyLockLost() }
        } catch {
            relay.restore()
            try? lock.release()
            throw error
        }
        var environment = SystemIO.environmentStrings().filter {
            !$0.hasPrefix("POTTERY_LOCK_KEY=") && !$0.hasPrefix("POTTERY_LOCK_TOKEN=") && !$0.hasPrefix("POTTERY_FENCING_TOKEN=")
        }
        environment.append("POTTERY_LOCK_KEY=" + lock.name)
        environment.append("POTTERY_LOCK_TOKEN=" + (lock.token ?? ""))
        if let fence = lock.fencingToken { environment.append("POTTERY_FENCING_TOKEN=\(fence)") }

        let child: ChildProcess
        switch ChildProcess.spawn(command, environment: environment) {
        case .success(let started):
            child = started
        case .failure(let error):
            watchdog.stop()
            relay.restore()
            try? lock.release()
            ErrorReporter.emit(type: error.status == 127 ? "FileNotFoundError" : "PermissionError",
                               message: error.message, key: lock.name)
            return ExitStatus(code: error.status)
        }
        let terminal = ForegroundTerminal.handOver(to: child.pid)
        let status = relay.supervise(child, graceSeconds: graceSeconds)
        terminal?.takeBack()
        watchdog.stop()
        relay.restore()
        if watchdog.isLost {
            child.signalGroup(SIGKILL)  // nothing of the command's tree may go on without the lock
            let reason = watchdog.lossReason?.message ?? "the lease was lost"
            ErrorReporter.warn(PotteryError(.extendUnlockedLock, "lost \(lock.key) while the command ran: \(reason)",
                                            key: lock.name))
            return ExitStatus(code: lostStatus)
        }
        do {
            try lock.release()
        } catch {
            ErrorReporter.warn(error, note: "the command finished with status \(status); its status is kept")
        }
        return ExitStatus(code: status)
    }
}

import Glibc
import PotteryKit

/// What `lock run` and `semaphore run` share once the lease is taken: start
/// COMMAND without a shell in its own process group, keep the lease alive
/// with a watchdog while it runs, forward SIGINT, SIGTERM and SIGHUP to its
/// group, give the lease back when it ends. When the lease is lost (the
/// server(s) refuse an extension, or none was confirmed before the lease's
/// validity ran out on our monotonic clock), COMMAND's group gets SIGTERM,
/// then SIGKILL after a grace, and the exit status is 5.
struct LeasedRun {
    /// The lease's Redis key (`redlock:KEY`, `semaphore:{KEY}`), for error
    /// objects: the key every other lock and semaphore error names.
    let key: String
    /// The lease in words for messages: "redlock:KEY", "a permit of semaphore:{KEY}".
    let leaseName: String
    /// Variables COMMAND sees (they replace any inherited ones of the same name; `nil` removes one).
    let variables: [(name: String, value: String?)]
    let startWatchdog: (_ onLost: @escaping @Sendable (PotteryError) -> Void) throws(PotteryError) -> LeaseWatchdog
    let release: () throws(PotteryError) -> Void
    /// COMMAND's descriptors 0 and 1 when not ours (`cache run` feeds and captures them).
    var standardInput: Int32? = nil
    var standardOutput: Int32? = nil
    /// Called with COMMAND's status after it ended, still under the lease (not when it was lost).
    var beforeRelease: ((Int32) -> Void)? = nil

    static let lostStatus: Int32 = 5
    static let graceSeconds = 5

    /// The `--help` lines both `run` verbs share.
    static func details(variables: String, lease: String) -> [String] {
        [
            "COMMAND runs without a shell; write `-- sh -c '...'` for one. Everything after -- reaches it unchanged.",
            "It sees \(variables).",
            "It runs in a process group of its own, with default signal dispositions and no descriptors of ours but 0-2.",
            "SIGINT, SIGTERM and SIGHUP sent to pottery-cli are forwarded to COMMAND's process group.",
            "The \(lease) is extended every third of --auto-release while COMMAND runs. If it is lost, COMMAND's group",
            "gets SIGTERM, then SIGKILL \(graceSeconds) s later, and the exit status is 5.",
            "A failed release after COMMAND ended keeps COMMAND's status and warns on stderr.",
        ]
    }

    /// Runs `command` under the lease already held; returns the status to exit with.
    func run(_ command: [String]) throws(PotteryError) -> ExitStatus {
        let relay = SignalRelay()  // before the watchdog's thread exists, so it inherits the mask
        let watchdog: LeaseWatchdog
        do {
            watchdog = try startWatchdog { _ in relay.notifyLockLost() }
        } catch {
            relay.restore()
            try? release()
            throw error
        }
        let names = variables.map { $0.name + "=" }
        var environment = SystemIO.environmentStrings().filter { entry in !names.contains { entry.hasPrefix($0) } }
        environment += variables.compactMap { variable in variable.value.map { variable.name + "=" + $0 } }

        let child: ChildProcess
        switch ChildProcess.spawn(command, environment: environment, standardInput: standardInput,
                                  standardOutput: standardOutput) {
        case .success(let started):
            child = started
        case .failure(let error):
            watchdog.stop()
            relay.restore()
            try? release()
            ErrorReporter.emit(type: error.status == 127 ? "FileNotFoundError" : "PermissionError",
                               message: error.message, key: key)
            return ExitStatus(code: error.status)
        }
        let terminal = ForegroundTerminal.handOver(to: child.pid)
        let status = relay.supervise(child, graceSeconds: Self.graceSeconds)
        terminal?.takeBack()
        watchdog.stop()
        relay.restore()
        if watchdog.isLost {
            child.signalGroup(SIGKILL)  // nothing of the command's tree may go on without the lease
            let reason = watchdog.lossReason?.message ?? "the lease was lost"
            ErrorReporter.warn(PotteryError(.extendUnlockedLock, "lost \(leaseName) while the command ran: \(reason)", key: key))
            return ExitStatus(code: Self.lostStatus)
        }
        beforeRelease?(status)
        do {
            try release()
        } catch {
            ErrorReporter.warn(error, note: "the command finished with status \(status); its status is kept")
        }
        return ExitStatus(code: status)
    }
}

import Glibc

/// How `lock run` waits for its command: SIGINT, SIGTERM, SIGHUP, SIGCHLD and
/// SIGUSR1 (our own "lock lost" note from the watchdog's thread) are blocked
/// in every thread and taken one at a time with `sigtimedwait`, so nothing
/// runs in a signal handler.
final class SignalRelay: @unchecked Sendable {
    private static let forwarded: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private var previous = sigset_t()
    private var waited = sigset_t()
    private let lockLost = Flag()

    /// Blocks the signals (threads started later inherit the mask).
    init() {
        sigemptyset(&waited)
        for signal in Self.forwarded + [SIGCHLD, SIGUSR1] { sigaddset(&waited, signal) }
        var blocked = waited
        sigaddset(&blocked, SIGTTOU)  // so that taking the terminal back never stops us
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
    }

    /// Called from the watchdog's thread: wakes the supervising thread.
    func notifyLockLost() {
        if lockLost.set() { kill(getpid(), SIGUSR1) }
    }

    /// Waits for `child` to end, forwarding signals to its group; when the
    /// lock is lost, sends SIGTERM, then SIGKILL after `graceSeconds`.
    /// Returns the child's status as a shell reports it.
    func supervise(_ child: ChildProcess, graceSeconds: Int) -> Int32 {
        var killAt: ContinuousClock.Instant?
        while true {
            if let status = child.reap() { return status }
            if lockLost.isSet && killAt == nil {
                child.signalGroup(SIGTERM)
                killAt = .now + .seconds(graceSeconds)
            }
            if let deadline = killAt, deadline <= .now {
                child.signalGroup(SIGKILL)
                killAt = .now + .seconds(3600)
            }
            var timeout = timespec(tv_sec: 0, tv_nsec: 200_000_000)
            let signal = sigtimedwait(&waited, nil, &timeout)
            if Self.forwarded.contains(signal) { child.signalGroup(signal) }
        }
    }

    /// Puts the signal mask back as it was.
    func restore() {
        pthread_sigmask(SIG_SETMASK, &previous, nil)
    }

    /// A flag set once, from any thread.
    private final class Flag: @unchecked Sendable {
        private var mutex = pthread_mutex_t()
        private var value = false
        init() { pthread_mutex_init(&mutex, nil) }
        var isSet: Bool { pthread_mutex_lock(&mutex); defer { pthread_mutex_unlock(&mutex) }; return value }
        func set() -> Bool {
            pthread_mutex_lock(&mutex)
            defer { pthread_mutex_unlock(&mutex) }
            defer { value = true }
            return !value
        }
    }
}

/// When pottery-cli runs in the foreground of a terminal, the command's own
/// process group gets the terminal while it runs (so it can read it and
/// Ctrl-C reaches it), and pottery-cli takes it back afterwards.
struct ForegroundTerminal {
    private let ownGroup: pid_t

    static func handOver(to group: pid_t) -> ForegroundTerminal? {
        guard isatty(STDIN_FILENO) == 1, tcgetpgrp(STDIN_FILENO) == getpgrp() else { return nil }
        guard tcsetpgrp(STDIN_FILENO, group) == 0 else { return nil }
        return ForegroundTerminal(ownGroup: getpgrp())
    }

    func takeBack() {
        _ = tcsetpgrp(STDIN_FILENO, ownGroup)
    }
}

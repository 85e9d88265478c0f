import Glibc
import PotteryKit

/// SIGINT, SIGTERM and SIGHUP around a step that must not be cut in two (a
/// queue element taken from Redis and printed). No handler is installed:
/// the signals keep their usual action (ending the process), or stay ignored
/// when pottery-cli was started with them ignored (`nohup`, `&` in scripts).
enum HeldSignals {
    private static var set: sigset_t {
        var signals = sigset_t()
        sigemptyset(&signals)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&signals, signal) }
        return signals
    }

    /// Lets the signals act at once: a parent may have left them blocked, and
    /// a wait that takes nothing should end when asked to.
    static func deliver() {
        var signals = set
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }

    /// Runs `body` with the signals held back: one that arrives meanwhile stays
    /// pending and acts as soon as `body` is over.
    static func during<T>(_ body: () throws(PotteryError) -> T) throws(PotteryError) -> T {
        var held = set
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &held, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return try body()
    }
}

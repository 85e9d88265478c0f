import Glibc
import PotteryKit

/// Holds SIGINT, SIGTERM and SIGHUP back while a step that must not be cut
/// in two runs (a queue element taken from Redis and printed): a signal that
/// arrives meanwhile stays pending and, with its usual action, ends the
/// process as soon as the step is over. No handler is installed.
enum HeldSignals {
    static func during<T>(_ body: () throws(PotteryError) -> T) throws(PotteryError) -> T {
        var held = sigset_t()
        sigemptyset(&held)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&held, signal) }
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &held, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return try body()
    }
}

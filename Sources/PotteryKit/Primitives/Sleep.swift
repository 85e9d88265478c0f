#if canImport(Glibc)
import Glibc
#endif

/// Blocking sleeps for the synchronous API (the async API uses `Task.sleep`).
enum Sleep {
    /// Sleeps the calling thread for `duration` (nothing for zero or less).
    static func `for`(_ duration: Duration) {
        guard duration > .zero else { return }
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}

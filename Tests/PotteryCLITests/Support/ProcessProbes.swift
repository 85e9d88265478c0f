// Looking at the processes a `lock run` or `semaphore run` started.
import Foundation

/// The process group of a command started by `run` that printed `ready $$` first.
func commandGroup(_ running: RunningCLI) -> pid_t? {
    guard let (line, _) = running.waitForLine(where: { $0.hasPrefix("ready ") }),
          let group = pid_t(line.dropFirst("ready ".count)), group > 1 else { return nil }
    return group
}

/// Whether process `pid` exists and is not a zombie.
func isAlive(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return false }
    let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
    return state != nil && state != "Z" && state != "X"
}

/// Waits up to 2 s for process `pid` to be gone (or a zombie nobody reaped yet).
func waitUntilGone(_ pid: Int32) -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(2)
    while isAlive(pid) {
        if clock.now >= deadline { return false }
        usleep(10_000)
    }
    return true
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the process environment. PotteryKit reads only `REDIS_URL`, for
/// ``RedisConfiguration/fromEnvironment()``, as pottery does.
enum Environment {
    static func value(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        return String(cString: raw)
    }
}

import Glibc

/// The few system calls pottery-cli makes itself (no Foundation: start-up time
/// matters for a tool called thousands of times from scripts).
enum SystemIO {
    /// Writes all of `bytes` to `fd`, retrying on `EINTR` and short writes.
    /// Returns `false` when the descriptor refuses (e.g. `EPIPE`: the reader is gone).
    @discardableResult
    static func writeAll(_ bytes: [UInt8], to fd: Int32) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }

    /// Reads `fd` to its end. Returns `nil` (with `errno` set) on a read error.
    static func readAll(from fd: Int32) -> [UInt8]? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// The contents of the file at `path`, or a readable reason why not.
    static func readFile(_ path: String) -> Result<[UInt8], UsageError> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(UsageError("cannot open \(path): \(lastErrorText())")) }
        defer { close(fd) }
        guard let bytes = readAll(from: fd) else {
            return .failure(UsageError("cannot read \(path): \(lastErrorText())"))
        }
        return .success(bytes)
    }

    /// An environment variable, or `nil` when unset.
    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    /// Whether the file's mode lets its group or other users read it.
    static func isReadableByOthers(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return info.st_mode & (S_IRGRP | S_IROTH) != 0
    }

    /// The whole environment, as `NAME=value` strings.
    static func environmentStrings() -> [String] {
        var strings: [String] = []
        var cursor = environ
        while let entry = cursor.pointee {
            strings.append(String(cString: entry))
            cursor += 1
        }
        return strings
    }

    /// `strerror(errno)`.
    static func lastErrorText() -> String {
        String(cString: strerror(errno))
    }
}

import Glibc
import PotteryKit

/// Reads elements from a descriptor (stdin), one per line, a batch at a time:
/// memory holds one read buffer and one batch, however long the input.
/// Lines split at `\n` only; a final newline adds no element (as
/// ``ElementArguments/lines(_:)``).
final class StandardInputLines {
    private let fd: Int32
    private let mode: ElementArguments.Mode
    private let argument: String
    private var pending: [UInt8] = []
    private var atEnd = false
    private var lineNumber = 0

    init(fd: Int32, mode: ElementArguments.Mode, argument: String) {
        self.fd = fd
        self.mode = mode
        self.argument = argument
    }

    /// Up to `count` elements, or `nil` at the end of input.
    /// - Throws: a usage-category error (exit 2) for a line that is not a valid element, or a read error.
    func next(_ count: Int) throws(PotteryError) -> [JSONValue]? {
        var batch: [JSONValue] = []
        batch.reserveCapacity(min(count, 4096))
        var start = 0
        while batch.count < count {
            if let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                try append(pending[start..<newline], to: &batch)
                start = newline + 1
                continue
            }
            pending.removeFirst(start)
            start = 0
            if atEnd {
                if !pending.isEmpty {
                    try append(pending[...], to: &batch)
                    pending.removeAll()
                }
                break
            }
            try fill()
        }
        pending.removeFirst(start)
        return batch.isEmpty ? nil : batch
    }

    private func append(_ line: ArraySlice<UInt8>, to batch: inout [JSONValue]) throws(PotteryError) {
        lineNumber += 1
        do {
            batch.append(try ElementArguments.parse(line, mode: mode, origin: "stdin line \(lineNumber) for \(argument)"))
        } catch {
            // The batch is read inside a PotteryKit call, whose errors are PotteryErrors: the usage
            // error itself waits here for the CLI to report it (type `UsageError`, as for arguments).
            Self.usageFailure = error
            throw PotteryError(.valueError, error.message)
        }
    }

    /// The usage error behind the last bad line, until ``takeUsageFailure()`` (the CLI is one thread).
    nonisolated(unsafe) private static var usageFailure: UsageError?

    /// The usage error a bad stdin line raised during the call that just failed, if any.
    static func takeUsageFailure() -> UsageError? {
        defer { usageFailure = nil }
        return usageFailure
    }

    private func fill() throws(PotteryError) {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let read = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if read < 0 {
                if errno == EINTR { continue }
                throw PotteryError(.valueError, "cannot read stdin for \(argument): \(SystemIO.lastErrorText())")
            }
            if read == 0 { atEnd = true } else { pending.append(contentsOf: chunk[0..<read]) }
            return
        }
    }
}

import Glibc
import PotteryKit

/// Buffered stdout: one JSON document per call, or a streamed JSON array.
///
/// - Compact JSON is pottery's own bytes (`PotteryJSON.encode`); `--pretty`
///   indents like Python's `json.dumps(indent=2)`.
/// - `--raw` prints a string result bare and an array one element per line
///   (strings bare, other elements as compact JSON); an empty array prints
///   nothing. Other results print as JSON.
/// - Output is flushed every 64 KiB, so a streamed listing holds one batch
///   in memory at a time.
/// - When the reader closes stdout (`EPIPE`; SIGPIPE is ignored), everything
///   further is dropped and ``isClosed`` turns true; streams then stop.
final class OutputWriter {
    let pretty: Bool
    let raw: Bool
    private(set) var isClosed = false
    private var buffer: [UInt8] = []
    private let fd: Int32
    private static let flushThreshold = 1 << 16

    init(pretty: Bool, raw: Bool, fd: Int32 = STDOUT_FILENO) {
        self.pretty = pretty
        self.raw = raw
        self.fd = fd
        buffer.reserveCapacity(Self.flushThreshold)
    }

    /// Prints one result.
    func write(_ value: JSONValue) {
        if raw {
            switch value {
            case .string(let text):
                append(Array(text.utf8))
                append(newline)
                return
            case .array(let items):
                for item in items { writeRawLine(item) }
                return
            default: break
            }
        }
        append(encode(value, level: 0))
        append(newline)
    }

    /// Prints `true` or `false`.
    func write(_ value: Bool) {
        write(.bool(value))
    }

    /// Prints a JSON array whose elements `body` appends one by one, holding
    /// only the current batch in memory. The array opens with its first
    /// element: when `body` throws before that (a wrong type, a server error),
    /// stdout gets nothing; when it throws later, the array is closed (the
    /// error is then rethrown), so stdout stays valid JSON.
    func writeArray(_ body: (inout JSONArrayStream) throws(PotteryError) -> Void) throws(PotteryError) {
        var stream = JSONArrayStream(output: self, level: 0, raw: raw)
        do throws(PotteryError) {
            try body(&stream)
        } catch {
            if stream.isOpen { finishTopLevel(&stream) }
            throw error
        }
        finishTopLevel(&stream)
    }

    private func finishTopLevel(_ stream: inout JSONArrayStream) {
        stream.finish()
        // Raw lines end with their own newline.
        if !raw { append(newline) }
    }

    /// Sends the buffer to stdout.
    func flush() {
        guard !buffer.isEmpty else { return }
        if !isClosed && !SystemIO.writeAll(buffer, to: fd) { isClosed = true }
        buffer.removeAll(keepingCapacity: true)
    }

    // MARK: - Used by streams

    /// The JSON text of `value` at nesting `level` (indented when pretty).
    func encode(_ value: JSONValue, level: Int) -> [UInt8] {
        guard pretty else { return PotteryJSON.encode(value) }
        let text = PotteryJSON.encodePretty(value)
        guard level > 0 else { return text }
        // Strings never hold a raw newline, so every newline starts an indented line.
        var indented: [UInt8] = []
        indented.reserveCapacity(text.count)
        let pad = [UInt8](repeating: UInt8(ascii: " "), count: 2 * level)
        for byte in text {
            indented.append(byte)
            if byte == UInt8(ascii: "\n") { indented.append(contentsOf: pad) }
        }
        return indented
    }

    /// A raw-mode line: a string bare, anything else as compact JSON.
    func writeRawLine(_ value: JSONValue) {
        if case .string(let text) = value {
            append(Array(text.utf8))
        } else {
            append(PotteryJSON.encode(value))
        }
        append(newline)
    }

    /// A newline, then two spaces per level (pretty), or nothing at all (compact).
    func appendBreak(level: Int) {
        guard pretty else { return }
        append(newline)
        append([UInt8](repeating: UInt8(ascii: " "), count: 2 * level))
    }

    func append(_ bytes: [UInt8]) {
        guard !isClosed else { return }
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushThreshold { flush() }
    }

    func append(_ bytes: ArraySlice<UInt8>) {
        guard !isClosed else { return }
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushThreshold { flush() }
    }

    func append(_ text: String) {
        append(Array(text.utf8))
    }

    private let newline: [UInt8] = [UInt8(ascii: "\n")]
}

/// An open JSON array on stdout: `[`, elements separated as the output mode
/// wants, then `]`. In raw mode: one line per element, no brackets.
struct JSONArrayStream {
    let output: OutputWriter
    /// The nesting level of the array itself (0 at top level, 1 inside an object).
    let level: Int
    let raw: Bool
    private(set) var count = 0
    /// Whether `[` has been written (at the first element, or by ``finish()``).
    private(set) var isOpen = false
    private var finished = false

    init(output: OutputWriter, level: Int, raw: Bool) {
        self.output = output
        self.level = level
        self.raw = raw
    }

    private mutating func open() {
        guard !isOpen else { return }
        isOpen = true
        if !raw { output.append("[") }
    }

    /// Appends one element.
    /// - Throws: a ``PotteryError`` when stdout was closed, to stop the listing.
    mutating func append(_ value: JSONValue) throws(PotteryError) {
        try beginElement()
        if raw {
            output.writeRawLine(value)
            return
        }
        output.append(output.encode(value, level: level + 1))
    }

    /// Starts one more element: `[` before the first, the separator and (pretty)
    /// the line break before the others; nothing more in raw mode, whose lines
    /// end with their own newline.
    /// - Throws: a ``PotteryError`` when stdout was closed, to stop the listing.
    mutating func beginElement() throws(PotteryError) {
        guard !output.isClosed else {
            throw PotteryError(.connectionError, "standard output was closed")
        }
        open()
        count += 1
        guard !raw else { return }
        if count > 1 { output.append(output.pretty ? Self.prettySeparator : Self.compactSeparator) }
        output.appendBreak(level: level + 1)
    }

    private static let compactSeparator: [UInt8] = Array(", ".utf8)
    private static let prettySeparator: [UInt8] = Array(",".utf8)

    /// Closes the array, opening it first if no element came (idempotent).
    mutating func finish() {
        guard !finished else { return }
        open()
        finished = true
        guard !raw else { return }
        if count > 0 { output.appendBreak(level: level) }
        output.append("]")
    }
}

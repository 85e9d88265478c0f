/// Writes JSON bytes exactly as Python's `json.dumps(value, sort_keys=True)`:
/// ASCII only, `", "` and `": "` separators, keys in code point order.
/// With `indent` set it writes like `json.dumps(value, sort_keys=True, indent=2)`.
struct JSONByteWriter {
    /// The bytes written so far.
    var bytes: [UInt8] = []
    /// Spaces per nesting level, or `nil` for the compact single-line form.
    let indent: Int?
    /// The current nesting level (only used when indenting).
    private var level = 0

    init(indent: Int? = nil) {
        self.indent = indent
    }

    /// A container whose items are being written.
    private enum Pending {
        case array([JSONValue], next: Int)
        case object([(key: CodePointKey, value: JSONValue)], next: Int)
    }

    /// Writes a value. Nesting is kept on an explicit stack, not by recursion,
    /// so deep values cannot overflow the thread stack.
    mutating func write(_ root: JSONValue) {
        var stack: [Pending] = []
        var current: JSONValue? = root
        while true {
            if let value = current {
                current = nil
                switch value {
                case .null: bytes.append(contentsOf: "null".utf8)
                case .bool(let b): bytes.append(contentsOf: b ? "true".utf8 : "false".utf8)
                case .int(let i): writeInt(i)
                case .bigInt(let text): bytes.append(contentsOf: text.utf8)
                case .double(let d): PythonFloatFormat.append(d, to: &bytes)
                case .string(let s): writeString(s)
                case .array(let items):
                    if items.isEmpty {
                        bytes.append(contentsOf: "[]".utf8)
                    } else {
                        bytes.append(UInt8(ascii: "["))
                        openLevel()
                        stack.append(.array(items, next: 1))
                        current = items[0]
                        continue
                    }
                case .object(let members):
                    if members.isEmpty {
                        bytes.append(contentsOf: "{}".utf8)
                    } else {
                        let sorted = members.sortedStorage
                        bytes.append(UInt8(ascii: "{"))
                        openLevel()
                        writeKey(sorted[0].key.string)
                        stack.append(.object(sorted, next: 1))
                        current = sorted[0].value
                        continue
                    }
                }
            }
            // The current value is complete: go on with its container.
            guard let pending = stack.popLast() else { return }
            switch pending {
            case .array(let items, let next):
                if next < items.count {
                    writeItemSeparator()
                    stack.append(.array(items, next: next + 1))
                    current = items[next]
                } else {
                    closeLevel()
                    bytes.append(UInt8(ascii: "]"))
                }
            case .object(let members, let next):
                if next < members.count {
                    writeItemSeparator()
                    writeKey(members[next].key.string)
                    stack.append(.object(members, next: next + 1))
                    current = members[next].value
                } else {
                    closeLevel()
                    bytes.append(UInt8(ascii: "}"))
                }
            }
        }
    }

    /// Writes an object key and `": "`.
    mutating func writeKey(_ key: String) {
        writeString(key)
        bytes.append(contentsOf: ": ".utf8)
    }

    // MARK: Layout

    /// Starts the items of a non-empty container.
    mutating func openLevel() {
        guard indent != nil else { return }
        level += 1
        writeNewlineAndIndent()
    }

    /// Ends the items of a non-empty container.
    mutating func closeLevel() {
        guard indent != nil else { return }
        level -= 1
        writeNewlineAndIndent()
    }

    /// Writes `", "`, or `","` and a new indented line.
    mutating func writeItemSeparator() {
        if indent == nil {
            bytes.append(contentsOf: ", ".utf8)
        } else {
            bytes.append(UInt8(ascii: ","))
            writeNewlineAndIndent()
        }
    }

    private mutating func writeNewlineAndIndent() {
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: level * (indent ?? 0)))
    }

    // MARK: Scalars

    /// Writes an integer in decimal.
    mutating func writeInt(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var count = 1
        var rest = magnitude
        while rest >= 10 {
            rest /= 10
            count += 1
        }
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: count))
        var index = start + count - 1
        while true {
            bytes[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
            if magnitude == 0 { break }
            index -= 1
        }
    }

    /// Writes a string with Python's `ensure_ascii` escapes.
    mutating func writeString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            if PlainJSONText.isPlain(utf8) {  // nothing to escape: the bytes as they are
                bytes.append(contentsOf: utf8)
                return
            }
            var index = 0
            var runStart = 0
            let count = utf8.count
            while index < count {
                let byte = utf8[index]
                if byte >= 0x20 && byte < 0x7F && byte != 0x22 && byte != 0x5C {
                    index += 1
                    continue
                }
                if runStart < index {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                }
                if byte < 0x80 {
                    writeASCIIEscape(byte)
                    index += 1
                } else {
                    let (scalar, length) = JSONByteWriter.decodeScalar(utf8, at: index)
                    writeUnicodeEscape(scalar)
                    index += length
                }
                runStart = index
            }
            if runStart < count {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<count]))
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func writeASCIIEscape(_ byte: UInt8) {
        let short: UInt8
        switch byte {
        case 0x22: short = UInt8(ascii: "\"")
        case 0x5C: short = UInt8(ascii: "\\")
        case 0x0A: short = UInt8(ascii: "n")
        case 0x0D: short = UInt8(ascii: "r")
        case 0x09: short = UInt8(ascii: "t")
        case 0x08: short = UInt8(ascii: "b")
        case 0x0C: short = UInt8(ascii: "f")
        default:
            writeHex4(UInt32(byte))
            return
        }
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(short)
    }

    private mutating func writeUnicodeEscape(_ scalar: UInt32) {
        if scalar <= 0xFFFF {
            writeHex4(scalar)
        } else {
            let offset = scalar - 0x10000
            writeHex4(0xD800 + (offset >> 10))
            writeHex4(0xDC00 + (offset & 0x3FF))
        }
    }

    /// Writes `\uXXXX` with lowercase hex digits.
    private mutating func writeHex4(_ unit: UInt32) {
        let hex: StaticString = "0123456789abcdef"
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "u"))
        hex.withUTF8Buffer { digits in
            bytes.append(digits[Int((unit >> 12) & 0xF)])
            bytes.append(digits[Int((unit >> 8) & 0xF)])
            bytes.append(digits[Int((unit >> 4) & 0xF)])
            bytes.append(digits[Int(unit & 0xF)])
        }
    }

    /// Decodes the scalar of valid UTF-8 starting with a non-ASCII byte.
    private static func decodeScalar(_ utf8: UnsafeBufferPointer<UInt8>, at index: Int) -> (UInt32, Int) {
        let lead = UInt32(utf8[index])
        if lead < 0xE0 {
            return ((lead & 0x1F) << 6 | UInt32(utf8[index + 1] & 0x3F), 2)
        }
        if lead < 0xF0 {
            let value = (lead & 0x0F) << 12 | UInt32(utf8[index + 1] & 0x3F) << 6
                | UInt32(utf8[index + 2] & 0x3F)
            return (value, 3)
        }
        let value = (lead & 0x07) << 18 | UInt32(utf8[index + 1] & 0x3F) << 12
            | UInt32(utf8[index + 2] & 0x3F) << 6 | UInt32(utf8[index + 3] & 0x3F)
        return (value, 4)
    }
}

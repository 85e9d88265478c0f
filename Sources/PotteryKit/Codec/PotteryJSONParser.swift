/// Parses bytes as Python's `json.loads(bytes.decode())` does (C scanner,
/// `strict=True`), without recursion: nesting is kept on an explicit stack, so
/// deep input cannot overflow the thread stack.
struct PotteryJSONParser {
    /// Deepest nesting of arrays and objects that is accepted.
    static let maxDepth = 1000
    /// Python 3.11's limit on the digits of an integer read from text.
    static let maxIntegerDigits = 4300

    /// A container whose items are still being read.
    private enum Open {
        case array([JSONValue])
        case object([CodePointKey: JSONValue], pendingKey: String)
    }

    let input: UnsafeBufferPointer<UInt8>
    var position = 0
    private var stack: [Open] = []
    /// Reused buffer for strings that contain escapes.
    var scratch: [UInt8] = []
    /// Throw on a lone surrogate escape instead of reading it as U+FFFD.
    let rejectsLoneSurrogates: Bool

    private init(input: UnsafeBufferPointer<UInt8>, rejectsLoneSurrogates: Bool) {
        self.input = input
        self.rejectsLoneSurrogates = rejectsLoneSurrogates
    }

    /// Parses a whole input into one value.
    ///
    /// - Parameter bytes: The bytes, which must be UTF-8 JSON text.
    /// - Returns: The value.
    /// - Throws: `JSONCodecError` of kind `.invalidUTF8`, `.syntax` or `.tooDeep`.
    static func parse(_ bytes: some Collection<UInt8>, rejectsLoneSurrogates: Bool = false) throws(JSONCodecError) -> JSONValue {
        let result = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONCodecError) -> JSONValue in try parse(buffer: buffer, rejectsLoneSurrogates: rejectsLoneSurrogates) }
        }
        if let result { return try result.get() }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONCodecError) -> JSONValue in try parse(buffer: buffer, rejectsLoneSurrogates: rejectsLoneSurrogates) }
        }.get()
    }

    private static func parse(buffer: UnsafeBufferPointer<UInt8>, rejectsLoneSurrogates: Bool) throws(JSONCodecError) -> JSONValue {
        if let bad = UTF8Validation.firstInvalidOffset(in: buffer) {
            let byte = String(buffer[bad], radix: 16)
            throw JSONCodecError(
                kind: .invalidUTF8,
                message: "Invalid UTF-8 byte 0x\(byte.count < 2 ? "0" + byte : byte) at byte \(bad)",
                offset: bad)
        }
        var parser = PotteryJSONParser(input: buffer, rejectsLoneSurrogates: rejectsLoneSurrogates)
        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) {
            throw parser.syntaxError("Unexpected UTF-8 BOM (decode using utf-8-sig)", at: 0)
        }
        parser.skipWhitespace()
        let value = try parser.parseDocument()
        parser.skipWhitespace()
        if parser.position < buffer.count {
            throw parser.syntaxError("Extra data", at: parser.position)
        }
        return value
    }

    // MARK: Structure

    /// Reads one value (starting at a non-whitespace byte) and everything
    /// nested in it.
    private mutating func parseDocument() throws(JSONCodecError) -> JSONValue {
        while true {
            var value: JSONValue
            // Read the next value, or open a container and go read its first item.
            switch peek() {
            case UInt8(ascii: "["):
                try checkDepth()
                position += 1
                skipWhitespace()
                if peek() == UInt8(ascii: "]") {
                    position += 1
                    value = .array([])
                } else {
                    stack.append(.array([]))
                    continue
                }
            case UInt8(ascii: "{"):
                try checkDepth()
                position += 1
                skipWhitespace()
                if peek() == UInt8(ascii: "}") {
                    position += 1
                    value = .object(JSONObject())
                } else {
                    let key = try parseKey()
                    stack.append(.object([:], pendingKey: key))
                    continue
                }
            default:
                value = try parseScalar()
            }
            // Hand the finished value to its container; close containers that end.
            while true {
                guard let open = stack.popLast() else { return value }
                skipWhitespace()
                let next = peek()
                switch consume open {
                case .array(var items):
                    items.append(value)
                    if next == UInt8(ascii: ",") {
                        position += 1
                        skipWhitespace()
                        stack.append(.array(items))
                    } else if next == UInt8(ascii: "]") {
                        position += 1
                        value = .array(items)
                        continue
                    } else {
                        throw syntaxError("Expecting ',' delimiter", at: position)
                    }
                case .object(var members, let key):
                    // Python's dict: the last value for a key with the same code points.
                    members[CodePointKey(key)] = value
                    if next == UInt8(ascii: ",") {
                        position += 1
                        skipWhitespace()
                        let nextKey = try parseKey()
                        stack.append(.object(members, pendingKey: nextKey))
                    } else if next == UInt8(ascii: "}") {
                        position += 1
                        value = .object(JSONObject(storage: members))
                        continue
                    } else {
                        throw syntaxError("Expecting ',' delimiter", at: position)
                    }
                }
                break
            }
        }
    }

    private func checkDepth() throws(JSONCodecError) {
        if stack.count >= PotteryJSONParser.maxDepth {
            throw JSONCodecError(
                kind: .tooDeep,
                message: "Nesting deeper than \(PotteryJSONParser.maxDepth) levels at byte \(position)",
                offset: position)
        }
    }

    /// Reads `"key"`, whitespace, `:` and whitespace.
    private mutating func parseKey() throws(JSONCodecError) -> String {
        guard peek() == UInt8(ascii: "\"") else {
            throw syntaxError("Expecting property name enclosed in double quotes", at: position)
        }
        let key = try parseString()
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else {
            throw syntaxError("Expecting ':' delimiter", at: position)
        }
        position += 1
        skipWhitespace()
        return key
    }

    // MARK: Helpers

    func peek() -> UInt8? {
        position < input.count ? input[position] : nil
    }

    func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    mutating func skipWhitespace() {
        while position < input.count {
            switch input[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// A syntax error with the offset and a short escaped excerpt of the input.
    func syntaxError(_ what: String, at offset: Int) -> JSONCodecError {
        JSONCodecError(
            kind: .syntax,
            message: "\(what) at byte \(offset) near \"\(excerpt(around: offset))\"",
            offset: offset)
    }

    /// At most 40 characters of input around `offset`, non-printables escaped.
    func excerpt(around offset: Int) -> String {
        var text = ""
        var index = max(0, min(offset, input.count) - 10)
        while index < input.count {
            let byte = input[index]
            let piece: String
            switch byte {
            case UInt8(ascii: "\""): piece = "\\\""
            case UInt8(ascii: "\\"): piece = "\\\\"
            case 0x20..<0x7F: piece = String(UnicodeScalar(byte))
            default:
                let hex = String(byte, radix: 16)
                piece = "\\x" + (hex.count < 2 ? "0" + hex : hex)
            }
            if text.utf8.count + piece.utf8.count > 40 { break }
            text += piece
            index += 1
        }
        return text
    }
}

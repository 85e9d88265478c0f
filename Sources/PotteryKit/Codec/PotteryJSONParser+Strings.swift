/// Strings, with Python's `strict=True` rules and escapes.
extension PotteryJSONParser {
    /// Reads a string starting at its opening quote.
    mutating func parseString() throws(JSONCodecError) -> String {
        let quote = position
        var index = position + 1
        index = scanPlain(from: index)
        if index < input.count && input[index] == UInt8(ascii: "\"") {
            let text = String(decoding: UnsafeBufferPointer(rebasing: input[quote + 1..<index]), as: UTF8.self)
            position = index + 1
            return text
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: input[quote + 1..<index]))
        while true {
            guard index < input.count else {
                throw syntaxError("Unterminated string starting", at: quote)
            }
            let byte = input[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 {
                throw syntaxError("Invalid control character at", at: index)
            }
            if byte != UInt8(ascii: "\\") {
                let end = scanPlain(from: index)
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: input[index..<end]))
                index = end
                continue
            }
            index = try parseEscape(backslash: index, quote: quote)
        }
        position = index + 1
        return String(decoding: scratch, as: UTF8.self)
    }

    /// The index of the first quote, backslash or control byte from `index` on.
    func scanPlain(from start: Int) -> Int {
        var index = start
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            index += 1
        }
        return index
    }

    /// Decodes the escape at `backslash` into `scratch`; returns the index after it.
    mutating func parseEscape(backslash: Int, quote: Int) throws(JSONCodecError) -> Int {
        guard backslash + 1 < input.count else {
            throw syntaxError("Unterminated string starting", at: quote)
        }
        let decoded: UInt8
        switch input[backslash + 1] {
        case UInt8(ascii: "\""): decoded = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): decoded = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): decoded = UInt8(ascii: "/")
        case UInt8(ascii: "b"): decoded = 0x08
        case UInt8(ascii: "f"): decoded = 0x0C
        case UInt8(ascii: "n"): decoded = 0x0A
        case UInt8(ascii: "r"): decoded = 0x0D
        case UInt8(ascii: "t"): decoded = 0x09
        case UInt8(ascii: "u"):
            return try parseUnicodeEscape(u: backslash + 1)
        default:
            throw syntaxError("Invalid \\escape", at: backslash)
        }
        scratch.append(decoded)
        return backslash + 2
    }

    /// Decodes `\uXXXX`, joining a following low-surrogate escape to a high one.
    /// A surrogate that is not part of a pair becomes U+FFFD, or an error
    /// when the parser rejects lone surrogates.
    mutating func parseUnicodeEscape(u: Int) throws(JSONCodecError) -> Int {
        // Python wants at least one byte after the four hex digits.
        guard u + 5 < input.count, let unit = hex4(at: u + 1) else {
            throw syntaxError("Invalid \\uXXXX escape", at: u)
        }
        var scalar = unit
        var end = u + 5
        if unit & 0xFC00 == 0xD800, end + 6 < input.count,
            input[end] == UInt8(ascii: "\\"), input[end + 1] == UInt8(ascii: "u") {
            guard let low = hex4(at: end + 2) else {
                throw syntaxError("Invalid \\uXXXX escape", at: end + 1)
            }
            if low & 0xFC00 == 0xDC00 {
                scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                end += 6
            }
        }
        if rejectsLoneSurrogates, Unicode.Scalar(scalar) == nil {
            throw syntaxError("Lone surrogate \\u\(String(scalar, radix: 16)) (a Swift String cannot hold it)", at: u - 1)
        }
        let decoded = Unicode.Scalar(scalar) ?? "\u{FFFD}"
        UTF8.encode(decoded) { scratch.append($0) }
        return end
    }

    /// The value of four hex digits at `index`, or `nil`.
    func hex4(at index: Int) -> UInt32? {
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = input[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}

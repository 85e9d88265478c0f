import PotteryKit

/// Stored pottery JSON that a listing can print as it is stored.
///
/// pottery stores `json.dumps(value, sort_keys=True)`, which for most scalars
/// are already the bytes the CLI prints (`PotteryJSON.encode` of the decoded
/// value): copying them through saves decoding and encoding each element of a
/// long listing. Only forms whose round trip is the identity are recognised;
/// anything else (escapes, floats, containers, bytes another client wrote,
/// invalid JSON) is decoded and printed as before, with the same errors.
enum StoredJSON {
    /// Whether `bytes` are a JSON scalar exactly as `PotteryJSON.encode` writes it:
    /// a string of printable ASCII without `"` or `\`, an integer of at most 18
    /// digits without a leading zero (not `-0`), `true`, `false` or `null`.
    static func isCanonicalScalar(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first else { return false }
        switch first {
        case UInt8(ascii: "\""):
            return isPlainString(bytes)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return isCanonicalInteger(bytes)
        case UInt8(ascii: "t"): return bytes == trueBytes
        case UInt8(ascii: "f"): return bytes == falseBytes
        case UInt8(ascii: "n"): return bytes == nullBytes
        default: return false
        }
    }

    /// Whether `bytes` are a JSON string with no escape: `"` then printable
    /// ASCII other than `"` and `\`, then `"`. Its text is then the bytes between the quotes.
    static func isPlainString(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 2, bytes.first == UInt8(ascii: "\""), bytes.last == UInt8(ascii: "\"") else { return false }
        return bytes.withUnsafeBufferPointer { buffer in
            for index in 1..<(buffer.count - 1) {
                let byte = buffer[index]
                if byte < 0x20 || byte > 0x7e || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
            }
            return true
        }
    }

    private static func isCanonicalInteger(_ bytes: [UInt8]) -> Bool {
        let digits = bytes.first == UInt8(ascii: "-") ? bytes.dropFirst() : bytes[...]
        guard let lead = digits.first, digits.count <= 18 else { return false }
        // A leading zero only as the whole number, and never `-0` (Python prints 0).
        if lead == UInt8(ascii: "0") { return bytes.count == 1 }
        return digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    private static let trueBytes: [UInt8] = Array("true".utf8)
    private static let falseBytes: [UInt8] = Array("false".utf8)
    private static let nullBytes: [UInt8] = Array("null".utf8)
}

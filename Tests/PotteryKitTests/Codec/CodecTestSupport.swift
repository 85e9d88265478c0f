import Foundation
import PotteryKit
import PotteryTestSupport

/// The pottery text of a value.
func potteryText(_ value: JSONValue) -> String {
    String(decoding: PotteryJSON.encode(value), as: UTF8.self)
}

/// Decodes text with PotteryJSON.
func decodeText(_ text: String) throws(JSONCodecError) -> JSONValue {
    try PotteryJSON.decode(Array(text.utf8))
}

/// The error thrown when decoding `bytes`, or `nil` if decoding succeeded.
func decodeError(_ bytes: [UInt8]) -> JSONCodecError? {
    do {
        _ = try PotteryJSON.decode(bytes)
        return nil
    } catch {
        return error
    }
}

/// The seed for random tests: `POTTERY_CODEC_SEED` if set, else a fixed one.
func codecTestSeed(default value: UInt64) -> UInt64 {
    if let text = ProcessInfo.processInfo.environment["POTTERY_CODEC_SEED"], let seed = UInt64(text) {
        return seed
    }
    return value
}

/// Lowercase hex of bytes.
func hexString(_ bytes: some Sequence<UInt8>) -> String {
    var text = ""
    for byte in bytes {
        let digits = String(byte, radix: 16)
        text += digits.count < 2 ? "0" + digits : digits
    }
    return text
}

/// Bytes from lowercase or uppercase hex.
func bytesFromHex(_ text: some StringProtocol) -> [UInt8] {
    var bytes: [UInt8] = []
    let utf8 = Array(text.utf8)
    var index = 0
    while index + 1 < utf8.count {
        bytes.append(UInt8(String(decoding: utf8[index..<index + 2], as: UTF8.self), radix: 16)!)
        index += 2
    }
    return bytes
}

/// Splits bytes into lines at `\n` (no empty last line).
func splitLines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
    var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    if lines.last?.isEmpty == true { lines.removeLast() }
    return lines
}

/// Random JSON values for property tests.
struct RandomJSON {
    var generator: SeededGenerator

    mutating func value(depth: Int = 0) -> JSONValue {
        let choice = Int.random(in: 0..<(depth >= 4 ? 6 : 9), using: &generator)
        switch choice {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return integer()
        case 3, 4: return .double(double())
        case 5: return .string(string())
        case 6: return .array((0..<Int.random(in: 0...5, using: &generator)).map { _ in value(depth: depth + 1) })
        default:
            var members = JSONObject()
            for _ in 0..<Int.random(in: 0...5, using: &generator) {
                members[key()] = value(depth: depth + 1)
            }
            return .object(members)
        }
    }

    /// An object key: usually a random string, sometimes one of the
    /// canonically equivalent spellings that Python keeps apart.
    mutating func key() -> String {
        Int.random(in: 0..<4, using: &generator) == 0
            ? EquivalentSpellings.all.randomElement(using: &generator)! : string()
    }

    mutating func integer() -> JSONValue {
        switch Int.random(in: 0..<6, using: &generator) {
        case 0: return .int(Int.random(in: -1000...1000, using: &generator))
        case 1: return .int(Int(bitPattern: UInt(generator.next())))
        case 2: return .int([Int.min, Int.max, Int.min + 1, Int.max - 1, 0, -1].randomElement(using: &generator)!)
        case 3: return JSONValue(UInt64.max - UInt64.random(in: 0...1000, using: &generator))
        default:
            let count = Int.random(in: 1...60, using: &generator)
            var text = Bool.random(using: &generator) ? "-" : ""
            for _ in 0..<count { text += String(Int.random(in: 0...9, using: &generator)) }
            return JSONValue(integerText: text)!
        }
    }

    mutating func double() -> Double {
        switch Int.random(in: 0..<5, using: &generator) {
        case 0: return Double(bitPattern: generator.next())
        case 1:
            let specials: [Double] = [
                0, -0.0, .infinity, -.infinity, .nan, 1e16, 1e15, 1e-5, 1e-4, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
                .leastNormalMagnitude, 1e22, 1e21, 0.1, 9007199254740992, 9007199254740994, 1e17, 1e-7,
            ]
            return specials.randomElement(using: &generator)!
        case 2:
            let mantissa = Double(Int.random(in: -1_000_000...1_000_000, using: &generator))
            return mantissa / Double.pow10(Int.random(in: 0...8, using: &generator))
        case 3:
            return Double(Int.random(in: -(1 << 60)...(1 << 60), using: &generator))
        default:
            return Double.random(in: -1...1, using: &generator)
                * Double.pow10(Int.random(in: -30...30, using: &generator))
        }
    }

    mutating func string() -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...12, using: &generator) {
            scalars.append(scalar())
        }
        return String(scalars)
    }

    mutating func scalar() -> Unicode.Scalar {
        let value: UInt32
        switch Int.random(in: 0..<10, using: &generator) {
        case 0, 1, 2: value = UInt32.random(in: 0x20...0x7E, using: &generator)
        case 3: value = UInt32.random(in: 0...0x1F, using: &generator)
        case 4: value = [0x22, 0x5C, 0x2F, 0x7F, 0x2028, 0x2029, 0xFEFF, 0xFFFF, 0xFFFE, 0x301].randomElement(using: &generator)!
        case 5: value = UInt32.random(in: 0x80...0x7FF, using: &generator)
        case 6, 7:
            var bmp = UInt32.random(in: 0x800...0xFFFF, using: &generator)
            if (0xD800...0xDFFF).contains(bmp) { bmp -= 0x1000 }
            value = bmp
        default: value = UInt32.random(in: 0x10000...0x10FFFF, using: &generator)
        }
        return Unicode.Scalar(value)!
    }
}

extension Double {
    /// 10 to the power `n`, exactly rounded for small `n`.
    static func pow10(_ n: Int) -> Double {
        Double("1e\(n)")!
    }
}

/// Strings that Swift's `String` calls equal (canonical equivalence) but that
/// are different code points, so different keys and members for Python.
enum EquivalentSpellings {
    /// Groups of canonically equivalent strings; within a group no two have
    /// the same Unicode scalars.
    static let groups: [[String]] = [
        ["\u{E9}", "e\u{301}"],  // é: composed, decomposed
        ["\u{212B}", "\u{C5}", "A\u{30A}"],  // ANGSTROM SIGN, Å, A + COMBINING RING ABOVE
        ["\u{2126}", "\u{3A9}"],  // OHM SIGN, GREEK CAPITAL LETTER OMEGA
        ["\u{AC00}", "\u{1100}\u{1161}"],  // HANGUL SYLLABLE GA, its two jamo
    ]

    /// Every spelling of every group.
    static let all: [String] = groups.flatMap { $0 }

    /// `json.dumps({s: i for i, s in enumerate(group)}, sort_keys=True)` for each group.
    static let pythonObjectTexts: [String] = [
        #"{"e\u0301": 1, "\u00e9": 0}"#,
        #"{"A\u030a": 2, "\u00c5": 1, "\u212b": 0}"#,
        #"{"\u03a9": 1, "\u2126": 0}"#,
        #"{"\u1100\u1161": 1, "\uac00": 0}"#,
    ]

    /// `s` as a JSON string literal with every non-ASCII scalar escaped
    /// (`"\u00e9"`); for scalars of the BMP only.
    static func escaped(_ s: String) -> String {
        var text = "\""
        for scalar in s.unicodeScalars {
            if scalar.isASCII {
                text.unicodeScalars.append(scalar)
            } else {
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            }
        }
        return text + "\""
    }
}

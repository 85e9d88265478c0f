/// Writes a `Double` exactly as Python's `repr(float)` (and so `json.dumps`) does.
///
/// The digits are the shortest that read back as the same double, taken from
/// Swift's `Double.description` (which also gives the shortest round-trip
/// digits). They are laid out with Python's rules: with `decpt` the position
/// of the decimal point relative to the digits (value = 0.d1d2… × 10^decpt),
/// exponent form `d[.ddd]e±XX` when `decpt <= -4` or `decpt > 16`, else fixed
/// form with at least one digit after the point.
enum PythonFloatFormat {
    /// Appends the Python text of `value` (`NaN`, `Infinity`, `-Infinity`
    /// for the special values, as `json.dumps` writes them).
    static func append(_ value: Double, to out: inout [UInt8]) {
        if value.isNaN {
            out.append(contentsOf: "NaN".utf8)
            return
        }
        if value.isInfinite {
            out.append(contentsOf: value < 0 ? "-Infinity".utf8 : "Infinity".utf8)
            return
        }
        if value.sign == .minus { out.append(UInt8(ascii: "-")) }
        if value == 0 {
            out.append(contentsOf: "0.0".utf8)
            return
        }
        var digits: [UInt8] = []
        digits.reserveCapacity(20)
        let decpt = shortestDigits(of: value.magnitude, into: &digits)
        if decpt <= -4 || decpt > 16 {
            appendExponentForm(digits: digits, exponent: decpt - 1, to: &out)
        } else {
            appendFixedForm(digits: digits, decpt: decpt, to: &out)
        }
    }

    /// Reads the shortest round-trip digits of a finite positive `value` from
    /// its Swift description. Stores the ASCII digits without leading or
    /// trailing zeros and returns `decpt`.
    private static func shortestDigits(of value: Double, into digits: inout [UInt8]) -> Int {
        var integerDigits = 0
        var seenPoint = false
        var exponent = 0
        var exponentNegative = false
        var inExponent = false
        var leadingZeros = 0
        for byte in value.description.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if inExponent {
                    exponent = exponent * 10 + Int(byte &- 0x30)
                } else {
                    if byte == UInt8(ascii: "0") && digits.isEmpty {
                        leadingZeros += 1
                        if !seenPoint { integerDigits += 1 }
                        continue
                    }
                    digits.append(byte)
                    if !seenPoint { integerDigits += 1 }
                }
            case UInt8(ascii: "."):
                seenPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                inExponent = true
            case UInt8(ascii: "-"):
                exponentNegative = inExponent
            default:
                break  // "+"
            }
        }
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        // value = 0.(zeros)(digits) × 10^integerDigits × 10^exponent
        return integerDigits - leadingZeros + (exponentNegative ? -exponent : exponent)
    }

    private static func appendExponentForm(digits: [UInt8], exponent: Int, to out: inout [UInt8]) {
        out.append(digits[0])
        if digits.count > 1 {
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: digits[1...])
        }
        out.append(UInt8(ascii: "e"))
        out.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let magnitude = exponent.magnitude
        if magnitude < 10 { out.append(UInt8(ascii: "0")) }
        out.append(contentsOf: String(magnitude).utf8)
    }

    private static func appendFixedForm(digits: [UInt8], decpt: Int, to out: inout [UInt8]) {
        if decpt <= 0 {
            out.append(contentsOf: "0.".utf8)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -decpt))
            out.append(contentsOf: digits)
        } else if decpt < digits.count {
            out.append(contentsOf: digits[..<decpt])
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: digits[decpt...])
        } else {
            out.append(contentsOf: digits)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: decpt - digits.count))
            out.append(contentsOf: ".0".utf8)
        }
    }
}

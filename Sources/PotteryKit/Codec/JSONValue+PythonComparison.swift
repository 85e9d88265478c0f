extension JSONValue {
    /// Python's `==` between the values `json.loads` gives for two stored
    /// items, as pottery's `list.remove`, `index` and `count` compare them.
    ///
    /// Unlike ``==(_:_:)`` (same pottery bytes), numbers compare by value
    /// across kinds: `1`, `1.0` and `true` are equal, and so are `0`, `-0.0`
    /// and `false`; an integer equals a float only when they are exactly the
    /// same number. A NaN equals a NaN, at any depth: `json.loads` gives one
    /// and the same NaN object for every `NaN` it reads, and Python's
    /// `list.count`, `index` and `remove`, and `==` between lists and dicts,
    /// test identity before `==` (a NaN equals nothing else). Strings compare by
    /// code point; arrays item by item; objects by keys and values.
    ///
    /// - Parameter other: The value to compare with.
    /// - Returns: What Python's `self == other` gives for values read by `json.loads`.
    public func pythonEquals(_ other: JSONValue) -> Bool {
        JSONValue.equal(self, other) { left, right in
            switch (left, right) {
            case (.null, .null):
                return true
            case let (.string(a), .string(b)):
                return CodePoints.equal(a, b)
            case let (.double(a), .double(b)) where a.isNaN || b.isNaN:
                return a.isNaN && b.isNaN
            default:
                guard let a = PythonNumber(left), let b = PythonNumber(right) else { return false }
                return a.compare(b) == 0
            }
        }
    }

    /// Python's `self < other`, or `nil` where Python raises `TypeError`
    /// (`None`, objects, and values of kinds that have no order between them,
    /// such as a string and a number).
    ///
    /// Numbers (booleans included) compare by value, exactly; a NaN is never
    /// less nor greater. Strings compare by code point; arrays
    /// lexicographically, by their first items that are not equal.
    ///
    /// - Parameter other: The value to compare with.
    /// - Returns: `true` or `false`, or `nil` when the two cannot be ordered.
    public func pythonLess(than other: JSONValue) -> Bool? {
        var left = self
        var right = other
        while true {
            switch (left, right) {
            case let (.string(a), .string(b)):
                return CodePoints.less(a, b)
            case let (.array(a), .array(b)):
                guard let index = a.indices.first(where: { $0 < b.count && !a[$0].pythonEquals(b[$0]) }) else { return a.count < b.count }
                left = a[index]
                right = b[index]
            default:
                guard let a = PythonNumber(left), let b = PythonNumber(right) else { return nil }
                return a.compare(b) == -1
            }
        }
    }
}

/// A JSON number or boolean as Python compares it: exactly, across int and float.
private enum PythonNumber {
    case int(Int)
    /// Canonical decimal text of an integer beyond `Int`.
    case big(String)
    case double(Double)

    init?(_ value: JSONValue) {
        switch value {
        case .bool(let b): self = .int(b ? 1 : 0)
        case .int(let i): self = .int(i)
        case .bigInt(let text): self = .big(text)
        case .double(let d): self = .double(d)
        default: return nil
        }
    }

    /// -1, 0 or 1; `nil` when a NaN is involved.
    func compare(_ other: PythonNumber) -> Int? {
        switch (self, other) {
        case let (.int(a), .int(b)): return a < b ? -1 : a == b ? 0 : 1
        case let (.double(a), .double(b)):
            if a.isNaN || b.isNaN { return nil }
            return a < b ? -1 : a == b ? 0 : 1
        case let (.big(a), .big(b)): return Self.compareBig(a, b)
        case let (.big(a), .int): return a.hasPrefix("-") ? -1 : 1
        case let (.int, .big(b)): return b.hasPrefix("-") ? 1 : -1
        case let (.int(a), .double(b)): return Self.compare(integer: .int(a), double: b)
        case let (.big(a), .double(b)): return Self.compare(integer: .big(a), double: b)
        case (.double, .int), (.double, .big): return other.compare(self).map { -$0 }
        }
    }

    /// An integer against a double, exactly (rounding is monotonic, so a
    /// difference after rounding is the true order; a tie is checked exactly).
    private static func compare(integer: PythonNumber, double d: Double) -> Int? {
        if d.isNaN { return nil }
        if d.isInfinite { return d < 0 ? 1 : -1 }
        let rounded: Double
        switch integer {
        case .int(let i): rounded = Double(i)
        case .big(let text): rounded = Double(text) ?? (text.hasPrefix("-") ? -.infinity : .infinity)
        case .double: return nil
        }
        if rounded != d { return rounded < d ? -1 : 1 }
        // Equal after rounding: d is a whole number; compare exactly.
        if case .int(let i) = integer {
            guard let exact = Int(exactly: d) else { return -1 }  // d is 2^63
            return i < exact ? -1 : i == exact ? 0 : 1
        }
        guard case .big(let text) = integer else { return nil }
        return compareBig(text, integerText(d))
    }

    /// Compares canonical decimal integer texts.
    private static func compareBig(_ a: String, _ b: String) -> Int {
        let negativeA = a.hasPrefix("-")
        let negativeB = b.hasPrefix("-")
        if negativeA != negativeB { return negativeA ? -1 : 1 }
        let digitsA = Array(a.utf8.drop { $0 == UInt8(ascii: "-") })
        let digitsB = Array(b.utf8.drop { $0 == UInt8(ascii: "-") })
        var magnitude = 0
        if digitsA.count != digitsB.count {
            magnitude = digitsA.count < digitsB.count ? -1 : 1
        } else if digitsA != digitsB {
            magnitude = digitsA.lexicographicallyPrecedes(digitsB) ? -1 : 1
        }
        return negativeA ? -magnitude : magnitude
    }

    /// The exact decimal text of a whole, finite double.
    static func integerText(_ d: Double) -> String {
        if let exact = Int(exactly: d) { return String(exact) }
        let exponent = Int(d.exponent) - 52
        var digits = String(d.magnitude.significandBitPattern | (1 << 52)).utf8.reversed().map { Int($0) - 48 }
        for _ in 0..<max(0, exponent) {
            var carry = 0
            for index in digits.indices {
                let doubled = digits[index] * 2 + carry
                digits[index] = doubled % 10
                carry = doubled / 10
            }
            if carry > 0 { digits.append(carry) }
        }
        return (d < 0 ? "-" : "") + String(decoding: digits.reversed().map { UInt8($0 + 48) }, as: UTF8.self)
    }
}

extension PotteryJSON {
    /// Bytes that are the same for two encoded hashable values exactly when
    /// Python's `==` and `hash()` put the values together (a `dict` or a
    /// `Counter` keeps one key for both): `1`, `1.0` and `true` give `1`;
    /// `0`, `-0.0` and `false` give `0`; `1e16` gives `10000000000000000`.
    /// Every other encoding (strings, null, non-integral or infinite floats,
    /// a NaN, and arrays and objects, which Python cannot hash) is its own key,
    /// since pottery's bytes of equal such values are equal.
    ///
    /// - Parameter encoded: pottery JSON bytes, as ``encode(_:)`` writes them.
    /// - Returns: the key: the bytes of the equal JSON integer, or `encoded` itself.
    static func pythonHashKey(_ encoded: [UInt8]) -> [UInt8] {
        guard let first = encoded.first else { return encoded }
        switch first {
        case UInt8(ascii: "t"):
            return encoded == Array("true".utf8) ? [UInt8(ascii: "1")] : encoded
        case UInt8(ascii: "f"):
            return encoded == Array("false".utf8) ? [UInt8(ascii: "0")] : encoded
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            // A JSON integer (the encoder writes them canonically) is its own key.
            if !encoded.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E")
                || $0 == UInt8(ascii: "I") }) {
                return encoded
            }
            guard case .double(let d)? = try? decode(encoded), d.isFinite, d.rounded(.towardZero) == d else { return encoded }
            return Array(PythonNumber.integerText(d == 0 ? 0 : d).utf8)
        default:
            return encoded
        }
    }
}

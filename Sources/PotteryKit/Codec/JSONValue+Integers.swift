extension JSONValue {
    /// Creates an integer value from any binary integer.
    ///
    /// The result is `.int` when the value fits in `Int`, else `.bigInt` with
    /// its canonical decimal text (for example `UInt64.max`).
    ///
    /// - Parameter value: The integer.
    public init(_ value: some BinaryInteger) {
        if let small = Int(exactly: value) {
            self = .int(small)
        } else {
            self = .bigInt(String(value))
        }
    }

    /// Creates an integer value from decimal text, normalised.
    ///
    /// Accepts an optional `-` followed by ASCII digits (leading zeros are
    /// dropped, `-0` is `0`). The result is `.int` when it fits in `Int`, else
    /// `.bigInt` with canonical text.
    ///
    /// - Parameter integerText: The decimal text, such as `"-18446744073709551616"`.
    /// - Returns: `nil` when the text is not an optional `-` and one or more digits.
    public init?(integerText: some StringProtocol) {
        var utf8 = Substring(integerText).utf8[...]
        let negative = utf8.first == UInt8(ascii: "-")
        if negative { utf8 = utf8.dropFirst() }
        guard !utf8.isEmpty, utf8.allSatisfy({ $0 &- 0x30 < 10 }) else { return nil }
        let digits = utf8.drop(while: { $0 == 0x30 })
        if let small = Int(Substring(integerText)) {
            self = .int(small)
        } else {
            let text = String(decoding: digits, as: UTF8.self)
            self = .bigInt(negative ? "-" + text : text)
        }
    }
}

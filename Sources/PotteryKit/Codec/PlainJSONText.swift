/// Text that JSON writes as it is: every byte printable ASCII (0x20...0x7E)
/// other than `"` and `\`, which is what `json.dumps` leaves unescaped. The
/// common case of a string element, so its check runs eight bytes at a time.
enum PlainJSONText {
    /// Whether every byte is printable ASCII (0x20...0x7E) other than `"` and `\`,
    /// eight bytes at a time (the last eight overlapping the ones before).
    static func isPlain(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = utf8.baseAddress, utf8.count >= 8 else {
            // `byte &- 0x20 >= 0x5F`: below 0x20, or 0x7F and up.
            for byte in utf8 where byte &- 0x20 >= 0x5F || byte == 0x22 || byte == 0x5C { return false }
            return true
        }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while true {
            if hasSpecialByte(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) { return false }
            if offset == utf8.count - 8 { return true }
            offset = min(offset + 8, utf8.count - 8)
        }
    }

    /// Whether one of the word's eight bytes is below 0x20, 0x7F or above, `"` or `\`
    /// (the classic "has less / has more / has zero byte" tests, exact as a yes or no).
    @inline(__always)
    static func hasSpecialByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let below = (word &- ones &* 0x20) & ~word
        let above = (word &+ ones) | word
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote
        let hasBackslash = (backslash &- ones) & ~backslash
        return (below | above | hasQuote | hasBackslash) & highs != 0
    }
}

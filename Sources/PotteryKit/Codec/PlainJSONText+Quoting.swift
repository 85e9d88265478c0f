extension PlainJSONText {
    /// Writes `"text"` (`text.count + 2` bytes) at `out` when the text is plain
    /// (``isPlain(_:)``): its JSON as `json.dumps` writes it. Returns `false`
    /// otherwise, having written some of it. Checks and copies eight bytes at a
    /// time (the last eight overlapping the ones before), in one pass.
    @inline(__always)
    static func writeQuoted(_ text: UnsafeBufferPointer<UInt8>, to out: UnsafeMutablePointer<UInt8>) -> Bool {
        let count = text.count
        out[0] = 0x22
        out[count + 1] = 0x22
        guard let base = text.baseAddress, count >= 8 else {
            for index in 0..<count {
                let byte = text[index]
                // `byte &- 0x20 >= 0x5F`: below 0x20, or 0x7F and up.
                if byte &- 0x20 >= 0x5F || byte == 0x22 || byte == 0x5C { return false }
                out[index + 1] = byte
            }
            return true
        }
        let source = UnsafeRawPointer(base)
        let target = UnsafeMutableRawPointer(out + 1)
        var offset = 0
        while true {
            let word = source.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            if hasSpecialByte(word) { return false }
            target.storeBytes(of: word, toByteOffset: offset, as: UInt64.self)
            if offset == count - 8 { return true }
            offset = min(offset + 8, count - 8)
        }
    }
}

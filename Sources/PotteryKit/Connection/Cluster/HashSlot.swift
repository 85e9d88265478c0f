/// Redis Cluster's hash slots: `CRC16-XMODEM(tag) % 16384` over the key's
/// bytes, where the tag is the bytes between the first `{` and the next `}`
/// when there are any (`{user1000}.following`), else the whole key
/// (`foo{}{bar}` hashes whole).
enum HashSlot {
    /// The number of slots in a cluster.
    static let count = 16384

    /// The slot of `key`.
    static func of(_ key: some Collection<UInt8>) -> Int {
        Int(crc16(tag(of: key)) % UInt16(count))
    }

    /// The bytes that decide the slot of `key`.
    static func tag<C: Collection<UInt8>>(of key: C) -> C.SubSequence {
        if let open = key.firstIndex(of: UInt8(ascii: "{")) {
            let afterOpen = key.index(after: open)
            if let close = key[afterOpen...].firstIndex(of: UInt8(ascii: "}")), close != afterOpen {
                return key[afterOpen..<close]
            }
        }
        return key[...]
    }

    /// CRC16-XMODEM (polynomial 0x1021, initial 0), Redis' `crc16`: `"123456789"` gives `0x31C3`.
    static func crc16(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc = (crc << 8) ^ table[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ byte)]
        }
        return crc
    }

    private static let table: [UInt16] = (0..<256).map { index in
        var crc = UInt16(index) << 8
        for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        return crc
    }

    /// A short tag (decimal digits) for every slot, so that a key made with
    /// `{tag}` lands in a chosen slot: temporary keys beside their operands.
    static func tag(forSlot slot: Int) -> String { slotTags[slot] }

    private static let slotTags: [String] = {
        var tags = [String?](repeating: nil, count: count)
        var found = 0
        var number = 0
        while found < count {
            let text = String(number)
            let slot = of(text.utf8)
            if tags[slot] == nil {
                tags[slot] = text
                found += 1
            }
            number += 1
        }
        return tags.map { $0! }
    }()
}

/// A batch of elements on its way to an HLL, each written as pottery's bytes
/// (``PotteryJSON``) straight where it goes: a `PFADD`'s argument buffer, or the
/// buffer the client-side registers hash.
///
/// `String` and ``JSONValue`` batches (the benchmarks' and the CLI's) are written by
/// the JSON writer itself, without the generic `Encodable` machinery or an array per
/// element; any other type goes through ``PotteryJSON``'s `Encodable` path. The
/// bytes are the same either way.
enum HyperLogLogBatch<Element: Encodable> {
    case strings([String])
    case values([JSONValue])
    case encodables([Element])

    init(_ elements: [Element]) {
        // The type checks make the casts exact (an array is one reference whatever its element).
        if Element.self == String.self {
            self = .strings(unsafeBitCast(elements, to: [String].self))
        } else if Element.self == JSONValue.self {
            self = .values(unsafeBitCast(elements, to: [JSONValue].self))
        } else {
            self = .encodables(elements)
        }
    }

    var count: Int {
        switch self {
        case .strings(let strings): strings.count
        case .values(let values): values.count
        case .encodables(let elements): elements.count
        }
    }

    /// Appends pottery's bytes of element `index` to `bytes`.
    func append(_ index: Int, to bytes: inout [UInt8]) throws(JSONCodecError) {
        switch self {
        case .strings(let strings):
            Self.append(strings[index], to: &bytes)
        case .values(let values):
            if case .string(let string) = values[index] { return Self.append(string, to: &bytes) }
            var writer = JSONByteWriter()
            swap(&writer.bytes, &bytes)
            writer.write(values[index])
            swap(&writer.bytes, &bytes)
        case .encodables(let elements):
            try PotteryJSON.encode(elements[index], appendingTo: &bytes)
        }
    }

    /// Counts every element in `registers`, hashing its pottery bytes as `PFADD`
    /// does. A plain string (see ``isPlain(_:)``) of up to 62 bytes is quoted on the
    /// stack and hashed there: no array per element.
    func addRegisters(to registers: inout HyperLogLogRegisters) throws(JSONCodecError) {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(64)
        guard case .strings(let strings) = self else {
            for index in 0..<count {
                buffer.removeAll(keepingCapacity: true)
                try append(index, to: &buffer)
                registers.add(buffer)
            }
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { quoted in
            for string in strings {
                let hashed = string.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
                    guard utf8.count <= 62, Self.isPlain(utf8) else { return false }
                    quoted[0] = 0x22
                    _ = UnsafeMutableBufferPointer(rebasing: quoted[1...]).initialize(from: utf8)
                    quoted[utf8.count + 1] = 0x22
                    registers.add(UnsafeBufferPointer(rebasing: quoted[0..<utf8.count + 2]))
                    return true
                }
                guard hashed != true else { continue }
                buffer.removeAll(keepingCapacity: true)
                Self.append(string, to: &buffer)
                registers.add(buffer)
            }
        }
    }

    /// Appends a string's JSON: quoted as it is when every byte is printable ASCII
    /// other than `"` and `\` (what `json.dumps` writes unchanged: about half the
    /// instructions of the general writer, which handles the rest).
    static func append(_ string: String, to bytes: inout [UInt8]) {
        let plain = string.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            guard isPlain(utf8) else { return false }
            bytes.append(0x22)
            bytes.append(contentsOf: utf8)
            bytes.append(0x22)
            return true
        }
        guard plain != true else { return }
        var writer = JSONByteWriter()
        swap(&writer.bytes, &bytes)
        writer.writeString(string)
        swap(&writer.bytes, &bytes)
    }

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

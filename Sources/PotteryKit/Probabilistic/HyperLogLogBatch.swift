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

    /// Appends a string's JSON: quoted as it is when every byte is printable ASCII
    /// other than `"` and `\` (what `json.dumps` writes unchanged: about half the
    /// instructions of the general writer, which handles the rest).
    static func append(_ string: String, to bytes: inout [UInt8]) {
        let plain = string.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            // `byte &- 0x20 >= 0x5F`: below 0x20, or 0x7F and up.
            for byte in utf8 where byte &- 0x20 >= 0x5F || byte == 0x22 || byte == 0x5C { return false }
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
}

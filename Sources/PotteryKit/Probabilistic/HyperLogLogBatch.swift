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

    /// Writes every element's pottery bytes as one RESP argument (a `PFADD`'s
    /// elements, each written once): a plain string (``PlainJSONText``) is checked
    /// and quoted straight into place in one pass; any other element is encoded into
    /// a scratch buffer reused from one element to the next, then written with its header.
    func writeArguments(to writer: inout RESPArgumentWriter) throws(JSONCodecError) {
        var scratch: [UInt8] = []
        switch self {
        case .strings(let strings):
            for string in strings where !Self.writePlain(string, to: &writer) {
                Self.writeEscaped(string, to: &writer, scratch: &scratch)
            }
        case .values(let values):
            for value in values {
                if case .string(let string) = value {
                    if !Self.writePlain(string, to: &writer) { Self.writeEscaped(string, to: &writer, scratch: &scratch) }
                    continue
                }
                var json = JSONByteWriter()
                swap(&json.bytes, &scratch)
                json.bytes.removeAll(keepingCapacity: true)
                json.write(value)
                swap(&json.bytes, &scratch)
                scratch.withUnsafeBufferPointer { writer.append($0) }
            }
        case .encodables(let elements):
            for element in elements {
                scratch.removeAll(keepingCapacity: true)
                try PotteryJSON.encode(element, appendingTo: &scratch)
                scratch.withUnsafeBufferPointer { writer.append($0) }
            }
        }
    }

    /// Writes a plain string's JSON (``PlainJSONText/writeQuoted(_:to:)``) as one
    /// argument; `false`, having written nothing, when it needs escapes.
    @inline(__always)
    private static func writePlain(_ string: String, to writer: inout RESPArgumentWriter) -> Bool {
        string.utf8.withContiguousStorageIfAvailable { utf8 in
            writer.appendArgument(length: utf8.count + 2) { out in PlainJSONText.writeQuoted(utf8, to: out) }
        } ?? false
    }

    /// Writes a string's JSON, escapes and all (``append(_:to:)``), as one argument.
    private static func writeEscaped(_ string: String, to writer: inout RESPArgumentWriter, scratch: inout [UInt8]) {
        scratch.removeAll(keepingCapacity: true)
        append(string, to: &scratch)
        scratch.withUnsafeBufferPointer { writer.append($0) }
    }

    /// Counts every element in `registers`, hashing its pottery bytes as `PFADD`
    /// does. A plain string (see ``PlainJSONText/isPlain(_:)``) of up to 62 bytes is quoted on the
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
                    guard utf8.count <= 62, PlainJSONText.isPlain(utf8) else { return false }
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

    /// Appends a string's JSON (``JSONByteWriter/writeString(_:)``, which copies plain
    /// text as it is: ``PlainJSONText``).
    static func append(_ string: String, to bytes: inout [UInt8]) {
        var writer = JSONByteWriter()
        swap(&writer.bytes, &bytes)
        writer.writeString(string)
        swap(&writer.bytes, &bytes)
    }
}

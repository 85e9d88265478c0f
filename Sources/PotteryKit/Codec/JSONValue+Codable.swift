extension JSONValue: Codable {
    /// Encodes the value through any encoder.
    ///
    /// With PotteryJSON's own encoder the value is stored as is. With other
    /// encoders it becomes the matching single value, array or keyed container; a
    /// `.bigInt` becomes a `UInt64` when it fits, else a `Double` (rounded).
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        if let own = encoder as? JSONValueEncoder {
            own.set(.value(self))
            return
        }
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .int(let i): try container.encode(i)
        case .bigInt(let text):
            if let unsigned = UInt64(text) {
                try container.encode(unsigned)
            } else {
                try container.encode(Double(text) ?? .nan)
            }
        case .double(let d): try container.encode(d)
        case .string(let s): try container.encode(s)
        case .array(let items): try container.encode(items)
        case .object(let members): try container.encode(members)
        }
    }

    /// Decodes a value from any decoder.
    ///
    /// With PotteryJSON's own decoder the value is taken as is. With other
    /// decoders the first of these that succeeds is used: null, `Bool`, `Int`,
    /// `UInt64` (as `.bigInt`), `Double`, `String`, array, ``JSONObject``. Such
    /// decoders may not tell `1` from `1.0`, nor keep canonically equivalent
    /// keys apart.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` when nothing matches.
    public init(from decoder: any Decoder) throws {
        if let own = decoder as? JSONValueDecoder {
            self = own.value
            return
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? container.decode(Int.self) {
            self = .int(i)
        } else if let u = try? container.decode(UInt64.self) {
            self = JSONValue(u)
        } else if let d = try? container.decode(Double.self) {
            self = .double(d)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let items = try? container.decode([JSONValue].self) {
            self = .array(items)
        } else if let members = try? container.decode(JSONObject.self) {
            self = .object(members)
        } else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "Not a JSON value"))
        }
    }
}

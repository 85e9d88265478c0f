extension JSONObject: Codable {
    /// Encodes the object through any encoder.
    ///
    /// With PotteryJSON's own encoder the object is stored as is. Other
    /// encoders get a keyed container with the members in code point order;
    /// whether they keep canonically equivalent keys apart is up to them.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        if let own = encoder as? JSONValueEncoder {
            own.set(.value(.object(self)))
            return
        }
        var container = encoder.container(keyedBy: PotteryCodingKey.self)
        for (key, value) in sortedMembers {
            try container.encode(value, forKey: PotteryCodingKey(stringValue: key))
        }
    }

    /// Decodes an object from any decoder.
    ///
    /// With PotteryJSON's own decoder every member is kept, keyed by code
    /// point. Other decoders are read through a keyed container: members they
    /// merged themselves cannot be recovered.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.typeMismatch` when the value is not an object.
    public init(from decoder: any Decoder) throws {
        if let own = decoder as? JSONValueDecoder {
            guard case .object(let members) = own.value else {
                throw JSONValueDecoder.mismatch(JSONObject.self, own.value, own.codingPath)
            }
            self = members
            return
        }
        let container = try decoder.container(keyedBy: PotteryCodingKey.self)
        var members = JSONObject()
        for key in container.allKeys {
            members[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
        }
        self = members
    }
}

/// A `Decoder` that reads a `Decodable` value out of a ``JSONValue``.
///
/// Numbers convert where no information is lost: a JSON int decodes into
/// `Double`, a float that is exactly integral decodes into integer types, a
/// `.bigInt` decodes into any integer type it fits. Everything else that does
/// not match throws `DecodingError` naming the coding path, and so does an
/// object whose keys a Swift `Dictionary` would merge (`"\u00e9"` and
/// `"e\u0301"` as `String` keys): Python keeps them apart, and one value
/// would be lost.
struct JSONValueDecoder: Decoder, SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else {
            throw JSONValueDecoder.mismatch(JSONObject.self, value, codingPath)
        }
        return KeyedDecodingContainer(KeyedValueContainer<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else {
            throw JSONValueDecoder.mismatch([JSONValue].self, value, codingPath)
        }
        return UnkeyedValueContainer(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        self
    }

    func decodeNil() -> Bool {
        value.isNull
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONValueDecoder.unbox(type, from: value, codingPath: codingPath)
    }

    /// Decodes `type` from `value`: scalars directly, others with a new decoder.
    /// A Swift dictionary that would merge members Python keeps apart throws
    /// (see ``unboxDictionary(_:from:codingPath:)``).
    static func unbox<T: Decodable>(_ type: T.Type, from value: JSONValue, codingPath: [any CodingKey]) throws -> T {
        if T.self == JSONValue.self { return sameType(value, as: T.self) }
        if isScalar(T.self) { return try unboxScalar(type, from: value, codingPath: codingPath) }
        if case .object(let members) = value, T.self is any DecodedDictionary.Type {
            return try unboxDictionary(type, from: members, codingPath: codingPath)
        }
        return try T(from: JSONValueDecoder(value: value, codingPath: codingPath))
    }

    /// The error for a value of the wrong shape (`valueNotFound` for `null`).
    static func mismatch(_ type: Any.Type, _ value: JSONValue, _ codingPath: [any CodingKey], _ why: String = "")
        -> DecodingError
    {
        let found = describe(value)
        let context = DecodingError.Context(
            codingPath: codingPath, debugDescription: "Expected \(type) but found \(found)\(why)")
        if value.isNull { return DecodingError.valueNotFound(type, context) }
        return DecodingError.typeMismatch(type, context)
    }

    /// A short description of a value for error messages.
    private static func describe(_ value: JSONValue) -> String {
        let kind: String
        switch value {
        case .null: return "null"
        case .bool: kind = "a bool"
        case .int, .bigInt: kind = "an int"
        case .double: kind = "a float"
        case .string: kind = "a string"
        case .array: kind = "an array"
        case .object: kind = "an object"
        }
        var text = value.description
        if text.utf8.count > 40 { text = String(text.prefix(37)) + "..." }
        return "\(kind) \(text)"
    }
}

/// An `Encoder` that turns an `Encodable` value into an ``EncodedNode`` tree.
///
/// Swift `Float` is widened to `Double`; integer types become `.int`, or
/// `.bigInt` when they do not fit in `Int`; `nil` becomes `null` (keyed
/// containers leave out `nil` optionals, as usual for synthesised `Codable`).
final class JSONValueEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// What has been encoded so far, if anything.
    private(set) var node: EncodedNode?
    /// Called with every node set, for encoders that fill a slot of a parent.
    private let sink: ((EncodedNode) -> Void)?

    init(codingPath: [any CodingKey], sink: ((EncodedNode) -> Void)? = nil) {
        self.codingPath = codingPath
        self.sink = sink
    }

    /// Encodes a top-level value.
    static func encodeTopLevel<T: Encodable>(_ value: T) throws -> EncodedNode {
        if let leaf = scalar(value) { return .value(leaf) }
        let encoder = JSONValueEncoder(codingPath: [])
        try encoder.encode(value)
        guard let node = encoder.node else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: [], debugDescription: "Top-level \(T.self) did not encode any values"))
        }
        return node
    }

    /// Encodes a nested value: scalars directly, others with a new encoder.
    static func box<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws -> EncodedNode {
        if let leaf = scalar(value) { return .value(leaf) }
        let encoder = JSONValueEncoder(codingPath: codingPath)
        try encoder.encode(value)
        return encoder.node ?? .object(EncodedObject())
    }

    /// Lets `value` encode itself here; marks the keys of `[Int: V]` as integers.
    private func encode<T: Encodable>(_ value: T) throws {
        try value.encode(to: self)
        if value is any IntegerKeyedDictionary, case .object(let object)? = node {
            object.hasIntegerKeys = true
        }
    }

    /// The JSON value of scalar types, without any encoder machinery.
    static func scalar<T>(_ value: T) -> JSONValue? {
        if T.self == JSONValue.self { return sameType(value, as: JSONValue.self) }
        if T.self == JSONObject.self { return .object(sameType(value, as: JSONObject.self)) }
        if T.self == String.self { return .string(sameType(value, as: String.self)) }
        if T.self == Int.self { return .int(sameType(value, as: Int.self)) }
        if T.self == Double.self { return .double(sameType(value, as: Double.self)) }
        if T.self == Bool.self { return .bool(sameType(value, as: Bool.self)) }
        if T.self == Float.self { return .double(Double(sameType(value, as: Float.self))) }
        if T.self == Int64.self { return .int(Int(sameType(value, as: Int64.self))) }
        if T.self == UInt64.self { return JSONValue(sameType(value, as: UInt64.self)) }
        if T.self == UInt.self { return JSONValue(sameType(value, as: UInt.self)) }
        if T.self == Int32.self { return .int(Int(sameType(value, as: Int32.self))) }
        if T.self == UInt32.self { return .int(Int(sameType(value, as: UInt32.self))) }
        if T.self == Int16.self { return .int(Int(sameType(value, as: Int16.self))) }
        if T.self == UInt16.self { return .int(Int(sameType(value, as: UInt16.self))) }
        if T.self == Int8.self { return .int(Int(sameType(value, as: Int8.self))) }
        if T.self == UInt8.self { return .int(Int(sameType(value, as: UInt8.self))) }
        return nil
    }

    /// Records the encoded node (and passes it to the parent slot, if any).
    func set(_ node: EncodedNode) {
        self.node = node
        sink?(node)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: EncodedObject
        if case .object(let existing)? = node {
            object = existing
        } else {
            object = EncodedObject()
            set(.object(object))
        }
        return KeyedEncodingContainer(KeyedNodeContainer<Key>(object: object, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: EncodedArray
        if case .array(let existing)? = node {
            array = existing
        } else {
            array = EncodedArray()
            set(.array(array))
        }
        return UnkeyedNodeContainer(array: array, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueNodeContainer(encoder: self)
    }
}

/// Stores one value in its encoder.
private struct SingleValueNodeContainer: SingleValueEncodingContainer {
    let encoder: JSONValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws {
        encoder.set(.value(.null))
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        encoder.set(try JSONValueEncoder.box(value, codingPath: codingPath))
    }
}

/// The tree an `Encodable` value becomes before it is turned into bytes or a
/// ``JSONValue``. Containers are classes so that nested containers handed
/// out by the encoder can be filled after they were attached to their parent.
///
/// Unlike ``JSONValue`` it remembers whether object keys are integers (the
/// keys of a Swift `[Int: V]`), so that they are written in numeric order as
/// Python's `sort_keys` does for int keys.
enum EncodedNode {
    /// A finished value (any scalar, or a whole ``JSONValue`` tree).
    case value(JSONValue)
    /// An array being filled.
    case array(EncodedArray)
    /// An object being filled.
    case object(EncodedObject)

    /// The same tree as a ``JSONValue`` (integer-key order is lost).
    var jsonValue: JSONValue {
        switch self {
        case .value(let value):
            return value
        case .array(let array):
            return .array(array.items.map(\.jsonValue))
        case .object(let object):
            return .object(JSONObject(storage: object.members.mapValues(\.jsonValue)))
        }
    }
}

/// An array under construction.
final class EncodedArray {
    var items: [EncodedNode] = []
}

/// An object under construction.
final class EncodedObject {
    /// Keyed by code point, as Python keys a `dict`: canonically equivalent
    /// spellings are different members.
    var members: [CodePointKey: EncodedNode] = [:]
    /// Whether the keys are the decimal text of `Int` keys (a Swift
    /// `[Int: V]`), which Python sorts numerically.
    var hasIntegerKeys = false

    /// Sets a member, replacing any earlier one whose key has the same code points.
    func set(_ node: EncodedNode, for key: any CodingKey) {
        members[CodePointKey(key.stringValue)] = node
    }

    /// The members in Python's `sort_keys` order: numeric for integer keys,
    /// else by code point.
    var sortedMembers: [(key: CodePointKey, value: EncodedNode)] {
        if hasIntegerKeys {
            let keyed = members.map { (number: Int($0.key.string), member: $0) }
            if keyed.allSatisfy({ $0.number != nil }) {
                return keyed.sorted { $0.number! < $1.number! }.map(\.member)
            }
        }
        return members.sorted { $0.key < $1.key }
    }
}

/// Marks `[Int: V]`, whose keys reach the encoder as plain coding keys that
/// cannot be told apart from numeric-looking `String` keys.
protocol IntegerKeyedDictionary {}

extension Dictionary: IntegerKeyedDictionary where Key == Int {}

extension JSONByteWriter {
    /// Writes an encoded tree with the same rules as a ``JSONValue``.
    mutating func write(_ node: EncodedNode) {
        switch node {
        case .value(let value):
            write(value)
        case .array(let array):
            guard !array.items.isEmpty else {
                bytes.append(contentsOf: "[]".utf8)
                return
            }
            bytes.append(UInt8(ascii: "["))
            openLevel()
            for (index, item) in array.items.enumerated() {
                if index > 0 { writeItemSeparator() }
                write(item)
            }
            closeLevel()
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            guard !object.members.isEmpty else {
                bytes.append(contentsOf: "{}".utf8)
                return
            }
            bytes.append(UInt8(ascii: "{"))
            openLevel()
            for (index, member) in object.sortedMembers.enumerated() {
                if index > 0 { writeItemSeparator() }
                writeKey(member.key.string)
                write(member.value)
            }
            closeLevel()
            bytes.append(UInt8(ascii: "}"))
        }
    }
}

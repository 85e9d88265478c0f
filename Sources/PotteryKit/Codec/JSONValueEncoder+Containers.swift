/// A keyed container writing into an ``EncodedObject``.
struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: EncodedObject
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws {
        object.set(.value(.null), for: key)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        object.set(try JSONValueEncoder.box(value, codingPath: codingPath + [key]), for: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = EncodedObject()
        object.set(.object(nested), for: key)
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(object: nested, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = EncodedArray()
        object.set(.array(nested), for: key)
        return UnkeyedNodeContainer(array: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(for: PotteryCodingKey.superKey)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        superEncoder(for: key)
    }

    private func superEncoder(for key: any CodingKey) -> any Encoder {
        let object = self.object
        object.set(.object(EncodedObject()), for: key)
        return JSONValueEncoder(codingPath: codingPath + [key]) { node in
            object.set(node, for: key)
        }
    }
}

/// An unkeyed container writing into an ``EncodedArray``.
struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
    let array: EncodedArray
    let codingPath: [any CodingKey]
    var count: Int { array.items.count }

    private var nextKey: PotteryCodingKey { PotteryCodingKey(index: array.items.count) }

    mutating func encodeNil() throws {
        array.items.append(.value(.null))
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        array.items.append(try JSONValueEncoder.box(value, codingPath: codingPath + [nextKey]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = EncodedObject()
        let path = codingPath + [nextKey]
        array.items.append(.object(nested))
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(object: nested, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = EncodedArray()
        let path = codingPath + [nextKey]
        array.items.append(.array(nested))
        return UnkeyedNodeContainer(array: nested, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let array = self.array
        let index = array.items.count
        let path = codingPath + [nextKey]
        array.items.append(.object(EncodedObject()))
        return JSONValueEncoder(codingPath: path) { node in
            array.items[index] = node
        }
    }
}

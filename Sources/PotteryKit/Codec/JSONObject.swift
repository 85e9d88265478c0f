/// The members of a JSON object: string keys, each once, told apart by code
/// point as Python's `dict` tells `str` keys apart.
///
/// Swift's `String` calls canonically equivalent spellings equal: `"\u{E9}"`
/// (é) and `"e\u{301}"` (e and a combining acute accent), U+212B ANGSTROM SIGN
/// and U+00C5, U+2126 OHM SIGN and U+03A9, a Hangul syllable and its jamo. A
/// Swift `[String: JSONValue]` would merge such keys and lose a value; Python
/// keeps them apart, and so does `JSONObject`: keys are looked up, compared and
/// hashed by their Unicode scalars. An object read from pottery's bytes holds
/// every member Python sees and encodes to the same bytes.
///
/// A key repeated with the same code points keeps its last value, as in
/// Python. Iteration order is unspecified; ``sortedMembers`` gives Python's
/// `sort_keys` order, in which objects are encoded.
public struct JSONObject: Sendable {
    /// The members, keyed by code point.
    var storage: [CodePointKey: JSONValue]

    init(storage: [CodePointKey: JSONValue]) {
        self.storage = storage
    }

    /// Creates an empty object.
    public init() {
        storage = [:]
    }

    /// Creates an object from key-value pairs, such as a Swift dictionary or
    /// an array of pairs. A key repeated with the same code points keeps its
    /// last value, as Python's `dict` does; canonically equivalent spellings
    /// are different keys.
    ///
    /// - Parameter members: The key-value pairs, in order.
    public init(_ members: some Sequence<(key: String, value: JSONValue)>) {
        storage = [:]
        storage.reserveCapacity(members.underestimatedCount)
        for (key, value) in members { storage[CodePointKey(key)] = value }
    }

    /// The number of members.
    public var count: Int { storage.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { storage.isEmpty }

    /// The value for the key with exactly these code points, or `nil`.
    /// Setting `nil` removes the member.
    ///
    /// `object["e\u{301}"]` does not find a member keyed `"\u{E9}"`: Python's
    /// `d["e\u0301"]` does not either.
    ///
    /// - Parameter key: The key.
    public subscript(key: String) -> JSONValue? {
        get { storage[CodePointKey(key)] }
        set { storage[CodePointKey(key)] = newValue }
    }

    /// Removes the member with exactly these code points.
    ///
    /// - Parameter key: The key.
    /// - Returns: The removed value, or `nil` if there was none.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        storage.removeValue(forKey: CodePointKey(key))
    }

    /// The keys, in unspecified order.
    public var keys: [String] { storage.keys.map(\.string) }

    /// The values, in unspecified order.
    public var values: [JSONValue] { Array(storage.values) }

    /// The members in Python's `sort_keys` order: by code point (Unicode
    /// scalar values), not by UTF-16 units and not normalised.
    public var sortedMembers: [(key: String, value: JSONValue)] {
        sortedStorage.map { (key: $0.key.string, value: $0.value) }
    }

    /// The members sorted by code point, keys still wrapped.
    var sortedStorage: [(key: CodePointKey, value: JSONValue)] {
        storage.sorted { $0.key < $1.key }
    }
}

extension JSONObject: Sequence {
    /// Iterates over the members of a ``JSONObject`` in unspecified order.
    public struct Iterator: IteratorProtocol {
        var base: Dictionary<CodePointKey, JSONValue>.Iterator

        /// The next member, or `nil` after the last.
        ///
        /// - Returns: A key and its value.
        public mutating func next() -> (key: String, value: JSONValue)? {
            guard let (key, value) = base.next() else { return nil }
            return (key.string, value)
        }
    }

    /// An iterator over the members, in unspecified order.
    ///
    /// - Returns: The iterator.
    public func makeIterator() -> Iterator {
        Iterator(base: storage.makeIterator())
    }

    /// The number of members.
    public var underestimatedCount: Int { storage.count }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Creates an object from a dictionary literal. A key repeated with the
    /// same code points keeps its last value, like Python; canonically
    /// equivalent spellings (`"\u{E9}"`, `"e\u{301}"`) are different keys.
    ///
    /// - Parameter elements: The key-value pairs.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.lazy.map { (key: $0.0, value: $0.1) })
    }
}

extension JSONObject: Hashable {
    /// Tells whether both objects have the same members: keys with the same
    /// code points and equal values (see ``JSONValue/==(_:_:)``).
    ///
    /// - Parameters:
    ///   - lhs: An object.
    ///   - rhs: Another object.
    /// - Returns: `true` when both encode to the same pottery bytes.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        JSONValue.object(lhs) == JSONValue.object(rhs)
    }

    /// Feeds the object into a hasher, consistently with ``==(_:_:)``.
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) {
        JSONValue.object(self).hash(into: &hasher)
    }
}

extension JSONObject: CustomStringConvertible {
    /// The pottery text of the object, keys in code point order.
    public var description: String {
        JSONValue.object(self).description
    }
}

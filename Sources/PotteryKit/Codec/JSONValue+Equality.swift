extension JSONValue: Hashable {
    /// Tells whether two values encode to the same pottery bytes.
    ///
    /// Doubles compare by bit pattern except that all NaNs are equal; strings
    /// and keys compare by Unicode scalars. Values of different cases are never
    /// equal (`.int(1) != .double(1.0)`). Works without recursion, so deeply
    /// nested values are safe.
    ///
    /// - Parameters:
    ///   - lhs: A value.
    ///   - rhs: Another value.
    /// - Returns: `true` when both values have the same pottery encoding.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        equal(lhs, rhs, scalars: scalarsEqual)
    }

    /// Walks two values side by side (arrays item by item, objects key by key,
    /// without recursion) and compares everything else with `scalars`: the one
    /// walk behind `==` and ``pythonEquals(_:)``.
    static func equal(_ lhs: JSONValue, _ rhs: JSONValue, scalars: (JSONValue, JSONValue) -> Bool) -> Bool {
        var pending: [(JSONValue, JSONValue)] = [(lhs, rhs)]
        while let (left, right) = pending.popLast() {
            switch (left, right) {
            case let (.array(a), .array(b)):
                guard a.count == b.count else { return false }
                pending.append(contentsOf: zip(a, b))
            case let (.object(a), .object(b)):
                guard a.count == b.count else { return false }
                for (key, value) in a.storage {
                    guard let other = b.storage[key] else { return false }
                    pending.append((value, other))
                }
            default:
                guard scalars(left, right) else { return false }
            }
        }
        return true
    }

    /// Equality of two values that are not both arrays or both objects.
    private static func scalarsEqual(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.bigInt(a), .bigInt(b)): return a == b
        case let (.double(a), .double(b)): return a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
        case let (.string(a), .string(b)): return CodePoints.equal(a, b)
        default: return false
        }
    }

    /// Feeds the value into a hasher, consistently with ``==(_:_:)``.
    ///
    /// Only the first eight levels of nesting are hashed (deeper containers
    /// contribute their size), which keeps hashing of deep values shallow.
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) {
        hash(into: &hasher, depth: 0)
    }

    private func hash(into hasher: inout Hasher, depth: Int) {
        switch self {
        case .null:
            hasher.combine(0 as UInt8)
        case .bool(let b):
            hasher.combine(1 as UInt8)
            hasher.combine(b)
        case .int(let i):
            hasher.combine(2 as UInt8)
            hasher.combine(i)
        case .bigInt(let text):
            hasher.combine(3 as UInt8)
            hasher.combine(text)
        case .double(let d):
            hasher.combine(4 as UInt8)
            hasher.combine(d.isNaN ? Double.nan.bitPattern : d.bitPattern)
        case .string(let s):
            // By UTF-8 bytes, as == compares: "\u{E9}" and "e\u{301}" differ.
            hasher.combine(5 as UInt8)
            CodePoints.hash(s, into: &hasher)
        case .array(let items):
            hasher.combine(6 as UInt8)
            hasher.combine(items.count)
            guard depth < 8 else { return }
            for item in items { item.hash(into: &hasher, depth: depth + 1) }
        case .object(let members):
            hasher.combine(7 as UInt8)
            hasher.combine(members.count)
            guard depth < 8 else { return }
            // Order-independent: sum of per-member hashes.
            var sum = 0
            for (key, value) in members.storage {
                var memberHasher = Hasher()
                memberHasher.combine(key)
                value.hash(into: &memberHasher, depth: depth + 1)
                sum = sum &+ memberHasher.finalize()
            }
            hasher.combine(sum)
        }
    }
}

extension JSONValueDecoder {
    /// The standard scalar types, which ``unboxScalar(_:from:codingPath:)`` decodes.
    static func isScalar(_ type: Any.Type) -> Bool {
        type == String.self || type == Bool.self || type == Double.self || type == Float.self
            || type == Int.self || type == Int64.self || type == UInt64.self || type == UInt.self
            || type == Int32.self || type == UInt32.self || type == Int16.self || type == UInt16.self
            || type == Int8.self || type == UInt8.self
    }

    /// Decodes a standard scalar type (``isScalar(_:)``) without a decoder. (Not
    /// returning `T?`: in unspecialized generic code that would look up the
    /// metadata of `Optional<T>` on every element decoded.)
    static func unboxScalar<T>(_ type: T.Type, from value: JSONValue, codingPath: [any CodingKey]) throws -> T {
        if T.self == String.self {
            guard case .string(let s) = value else { throw mismatch(type, value, codingPath) }
            return sameType(s, as: T.self)
        }
        if T.self == Bool.self {
            guard case .bool(let b) = value else { throw mismatch(type, value, codingPath) }
            return sameType(b, as: T.self)
        }
        if T.self == Double.self { return sameType(try double(from: value, codingPath), as: T.self) }
        if T.self == Float.self { return sameType(try float(from: value, codingPath), as: T.self) }
        if T.self == Int.self { return sameType(try integer(Int.self, from: value, codingPath), as: T.self) }
        if T.self == Int64.self { return sameType(try integer(Int64.self, from: value, codingPath), as: T.self) }
        if T.self == UInt64.self { return sameType(try integer(UInt64.self, from: value, codingPath), as: T.self) }
        if T.self == UInt.self { return sameType(try integer(UInt.self, from: value, codingPath), as: T.self) }
        if T.self == Int32.self { return sameType(try integer(Int32.self, from: value, codingPath), as: T.self) }
        if T.self == UInt32.self { return sameType(try integer(UInt32.self, from: value, codingPath), as: T.self) }
        if T.self == Int16.self { return sameType(try integer(Int16.self, from: value, codingPath), as: T.self) }
        if T.self == UInt16.self { return sameType(try integer(UInt16.self, from: value, codingPath), as: T.self) }
        if T.self == Int8.self { return sameType(try integer(Int8.self, from: value, codingPath), as: T.self) }
        if T.self == UInt8.self { return sameType(try integer(UInt8.self, from: value, codingPath), as: T.self) }
        preconditionFailure("unboxScalar of \(T.self), not a scalar type")
    }

    /// A `Double` from a float, an int or a big int.
    static func double(from value: JSONValue, _ codingPath: [any CodingKey]) throws -> Double {
        switch value {
        case .double(let d): return d
        case .int(let i): return Double(i)
        case .bigInt(let text): if let d = Double(text) { return d }
        default: break
        }
        throw mismatch(Double.self, value, codingPath)
    }

    /// A `Float` from a number whose magnitude fits in `Float`.
    static func float(from value: JSONValue, _ codingPath: [any CodingKey]) throws -> Float {
        let wide: Double
        do {
            wide = try double(from: value, codingPath)
        } catch {
            throw mismatch(Float.self, value, codingPath)
        }
        let narrow = Float(wide)
        if narrow.isInfinite && wide.isFinite {
            throw mismatch(Float.self, value, codingPath, ", which does not fit")
        }
        return narrow
    }

    /// An integer from an int, an exactly integral float, or a big int, if it fits.
    static func integer<I: FixedWidthInteger>(_ type: I.Type, from value: JSONValue, _ codingPath: [any CodingKey])
        throws -> I
    {
        switch value {
        case .int(let i):
            if let result = I(exactly: i) { return result }
            throw mismatch(type, value, codingPath, ", which does not fit")
        case .double(let d):
            if let result = I(exactly: d) { return result }
            // Doubles of magnitude 2^52 and more are all integral (no libm needed).
            let integral = d.isFinite && (d.magnitude >= 0x1p52 || d == Double(Int64(d)))
            throw mismatch(type, value, codingPath, integral ? ", which does not fit" : "")
        case .bigInt(let text):
            if let result = I(text) { return result }
            throw mismatch(type, value, codingPath, ", which does not fit")
        default:
            throw mismatch(type, value, codingPath)
        }
    }
}

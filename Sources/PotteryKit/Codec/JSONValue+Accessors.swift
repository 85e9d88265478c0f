extension JSONValue {
    /// Whether this is `.null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The boolean of a `.bool`, else `nil`.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The integer of an `.int`, else `nil` (`.double` and `.bigInt` give `nil`).
    public var intValue: Int? {
        if case .int(let i) = self { return i }
        return nil
    }

    /// The number as a `Double`: a `.double` as is, an `.int` or `.bigInt`
    /// converted (rounded if needed); `nil` for every other case.
    public var doubleValue: Double? {
        switch self {
        case .double(let d): return d
        case .int(let i): return Double(i)
        case .bigInt(let text): return Double(text)
        default: return nil
        }
    }

    /// The text of a `.string`, else `nil`.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The items of an `.array`, else `nil`.
    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The members of an `.object`, else `nil`.
    public var objectValue: JSONObject? {
        if case .object(let members) = self { return members }
        return nil
    }
}

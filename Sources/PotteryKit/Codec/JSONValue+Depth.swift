extension JSONValue {
    /// How deeply arrays and objects nest: 0 for a scalar, 1 for `[]` or
    /// `[1]`, 2 for `[[1]]`. Computed without recursion.
    ///
    /// Python's `json` (and so pottery) fails with `RecursionError` at about
    /// 990 levels: a writer that wants Python to read its values back should
    /// stay well below that.
    public var nestingDepth: Int {
        var deepest = 0
        var pending: [(value: JSONValue, depth: Int)] = [(self, 0)]
        while let (value, depth) = pending.popLast() {
            switch value {
            case .array(let elements):
                deepest = max(deepest, depth + 1)
                for element in elements { pending.append((element, depth + 1)) }
            case .object(let members):
                deepest = max(deepest, depth + 1)
                for member in members.storage.values { pending.append((member, depth + 1)) }
            default:
                deepest = max(deepest, depth)
            }
        }
        return deepest
    }
}

/// Marks Swift `Dictionary` types: their keys may merge members of a JSON
/// object that Python keeps apart.
protocol DecodedDictionary {
    /// The number of entries.
    var count: Int { get }
}

extension Dictionary: DecodedDictionary {}

extension JSONValueDecoder {
    /// Decodes a Swift `Dictionary` type from an object's members, checking
    /// that it kept every member.
    ///
    /// Python's `json.loads` keeps every member whose key has other code points.
    /// A Swift `[String: V]` merges canonically equivalent keys (`"\u00e9"` and
    /// `"e\u0301"`, U+212B and U+00C5), and a `[Int: V]` keys that read as the
    /// same integer (`"1"` and `"01"`), keeping one value in no defined order.
    /// Rather than lose a value silently, decoding then fails.
    static func unboxDictionary<T: Decodable>(_ type: T.Type, from members: JSONObject, codingPath: [any CodingKey]) throws -> T {
        let result = try T(from: JSONValueDecoder(value: .object(members), codingPath: codingPath))
        if let dictionary = result as? any DecodedDictionary, dictionary.count < members.count {
            throw mergedKeys(type, members, codingPath)
        }
        return result
    }

    /// The `typeMismatch` naming the keys that a Swift `type` merges.
    static func mergedKeys(_ type: Any.Type, _ members: JSONObject, _ codingPath: [any CodingKey]) -> DecodingError {
        let keys = members.keys.sorted(by: CodePoints.less)
        // Swift's String equality is canonical equivalence: equivalent spellings group together.
        var groups = Dictionary(grouping: keys) { $0 }.values.filter { $0.count > 1 }
        if groups.isEmpty {
            groups = Dictionary(grouping: keys.filter { Int($0) != nil }) { Int($0)! }.values.filter { $0.count > 1 }
        }
        let named = groups.map { group in
            group.map { String(decoding: PotteryJSON.encode(.string($0)), as: UTF8.self) }.joined(separator: " and ")
        }.sorted().joined(separator: "; ")
        return DecodingError.typeMismatch(
            type,
            .init(
                codingPath: codingPath,
                debugDescription: "Expected \(type) but found an object with keys that Python keeps apart and a "
                    + "Swift Dictionary merges" + (named.isEmpty ? "" : " (\(named))") + ", so a value would be lost"))
    }
}

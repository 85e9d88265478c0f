import PotteryKit
import Testing

/// A key type for any string, so that tests can write keys Swift's own
/// dictionaries would merge.
private struct AnyKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Writes the members in the given order through a keyed container.
private struct Members: Encodable {
    let pairs: [(String, Int)]

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyKey.self)
        for (key, value) in pairs { try container.encode(value, forKey: AnyKey(key)) }
    }
}

/// Spelled with U+00E9 in the source: `café` is a field Python would look up
/// by exactly these code points.
private struct Cafe: Decodable {
    let café: Int
}

/// Python compares, hashes and sorts `str` by code point; Swift's `String`
/// by canonical equivalence. JSON strings and keys must follow Python.
@Suite struct CodecCodePointTests {
    @Test func theSpellingsAreEqualStringsButDifferentCodePoints() {
        for group in EquivalentSpellings.groups {
            for a in group {
                for b in group {
                    #expect(a == b, "Swift should call these equal, else the tests test nothing")
                    if a.unicodeScalars.elementsEqual(b.unicodeScalars) { continue }
                    #expect(JSONValue.string(a) != JSONValue.string(b))
                }
            }
        }
    }

    @Test(arguments: zip(EquivalentSpellings.groups, EquivalentSpellings.pythonObjectTexts))
    func parsingKeepsEquivalentKeysApart(group: [String], python: String) throws {
        let members = group.enumerated().map { "\(EquivalentSpellings.escaped($1)): \($0)" }
        let escapedInput = "{" + members.joined(separator: ", ") + "}"
        let rawInput = "{" + group.enumerated().map { "\"\($1)\": \($0)" }.joined(separator: ", ") + "}"
        for input in [escapedInput, rawInput, python] {
            let value = try decodeText(input)
            #expect(value.objectValue?.count == group.count, "\(input)")
            #expect(potteryText(value) == python, "\(input)")
        }
    }

    @Test func aRepeatedKeyKeepsItsLastValueByCodePoint() throws {
        #expect(potteryText(try decodeText(#"{"\u00e9": 1, "e\u0301": 2, "\u00e9": 3}"#)) == #"{"e\u0301": 2, "\u00e9": 3}"#)
        // The same code point, once escaped and once as raw UTF-8, is one key.
        #expect(potteryText(try decodeText("{\"\\u00e9\": 1, \"\u{E9}\": 2}")) == #"{"\u00e9": 2}"#)
        #expect(potteryText(try decodeText(#"{"\u212b": 1, "\u00c5": 2, "\u212b": 3, "A\u030a": 4}"#))
                == #"{"A\u030a": 4, "\u00c5": 2, "\u212b": 3}"#)
    }

    @Test func literalsKeepEquivalentKeysApart() {
        let value: JSONValue = ["\u{E9}": 0, "e\u{301}": 1]
        #expect(potteryText(value) == EquivalentSpellings.pythonObjectTexts[0])
        let repeated = JSONValue(dictionaryLiteral: ("\u{E9}", 1), ("e\u{301}", 2), ("\u{E9}", 3))
        #expect(potteryText(repeated) == #"{"e\u0301": 2, "\u00e9": 3}"#)
    }

    @Test func keysSortByCodePointAsPythonDoes() throws {
        let keys = EquivalentSpellings.all + ["a", "\u{FFFF}", "\u{1F600}", "z"]
        let members = keys.enumerated().map { "\"\($1)\": \($0)" }.joined(separator: ", ")
        // json.dumps({k: i for i, k in enumerate(keys)}, sort_keys=True)
        let python = #"{"A\u030a": 4, "a": 9, "e\u0301": 1, "z": 12, "\u00c5": 3, "\u00e9": 0, "\u03a9": 6, "# + #""\u1100\u1161": 8, "\u2126": 5, "\u212b": 2, "\uac00": 7, "\uffff": 10, "\ud83d\ude00": 11}"#
        #expect(potteryText(try decodeText("{" + members + "}")) == python)
        #expect(try String(decoding: PotteryJSON.encode(Members(pairs: keys.enumerated().map { ($1, $0) })), as: UTF8.self) == python)
    }

    @Test func setsAndDictionariesOfValuesKeepSpellingsApart() throws {
        let all = EquivalentSpellings.all
        #expect(Set(all.map(JSONValue.string)).count == all.count)
        #expect(Set(all.map { JSONValue.array([.string($0)]) }).count == all.count)
        let objects = try all.map { try decodeText("{\(EquivalentSpellings.escaped($0)): 1}") }
        #expect(Set(objects).count == all.count)
        var byValue: [JSONValue: Int] = [:]
        for (index, spelling) in all.enumerated() { byValue[.string(spelling)] = index }
        #expect(byValue.count == all.count)
        #expect(byValue[.string("e\u{301}")] == 1)

        // Objects holding every spelling: equal whatever order they were read in.
        let forward = try decodeText("{" + all.map { "\"\($0)\": 1" }.joined(separator: ", ") + "}")
        let backward = try decodeText("{" + all.reversed().map { "\"\($0)\": 1" }.joined(separator: ", ") + "}")
        #expect(forward == backward)
        #expect(Set([forward, backward]).count == 1)
        let changed = try decodeText("{" + all.map { "\"\($0)\": \($0 == "e\u{301}" ? 2 : 1)" }.joined(separator: ", ") + "}")
        #expect(forward != changed)
    }

    @Test func decodingIntoASwiftDictionaryRefusesKeysItWouldMerge() throws {
        let bytes = Array(#"{"\u00e9": 1, "e\u0301": 2}"#.utf8)
        let error = try #require(throws: JSONCodecError.self) { try PotteryJSON.decode([String: Int].self, from: bytes) }
        #expect(error.kind == .typeMismatch)
        #expect(error.message.contains(#""\u00e9""#) && error.message.contains(#""e\u0301""#), "\(error)")

        let nested = Array(#"{"outer": {"x": 0, "\u2126": 1, "\u03a9": 2}}"#.utf8)
        let inner = try #require(throws: JSONCodecError.self) { try PotteryJSON.decode([String: [String: Int]].self, from: nested) }
        #expect(inner.message.contains("outer"), "\(inner)")

        // Python keys "1" and "01" apart; a Swift [Int: V] cannot.
        let numeric = Array(#"{"1": "a", "01": "b"}"#.utf8)
        #expect(throws: JSONCodecError.self) { try PotteryJSON.decode([Int: String].self, from: numeric) }

        // Without a collision nothing changes.
        let plain = try PotteryJSON.decode([String: Int].self, from: Array(#"{"\u00e9": 1, "e": 2}"#.utf8))
        #expect(plain == ["\u{E9}": 1, "e": 2])
        let json = try PotteryJSON.decode([String: JSONValue].self, from: Array(#"{"a": {"\u00e9": 1, "e\u0301": 2}}"#.utf8))
        #expect(json["a"]?.objectValue?.count == 2)
    }

    @Test func decodableFieldsAreFoundByCodePoint() throws {
        #expect(try PotteryJSON.decode(Cafe.self, from: Array(#"{"caf\u00e9": 1, "cafe\u0301": 2}"#.utf8)).café == 1)
        #expect(try PotteryJSON.decode(Cafe.self, from: Array(#"{"cafe\u0301": 2, "caf\u00e9": 1}"#.utf8)).café == 1)
        #expect(throws: JSONCodecError.self) { try PotteryJSON.decode(Cafe.self, from: Array(#"{"cafe\u0301": 2}"#.utf8)) }
    }

    @Test func encodableKeysAreKeptApartByCodePoint() throws {
        let members = Members(pairs: [("\u{E9}", 0), ("e\u{301}", 1)])
        #expect(String(decoding: try PotteryJSON.encode(members), as: UTF8.self) == EquivalentSpellings.pythonObjectTexts[0])
        #expect(potteryText(try PotteryJSON.jsonValue(from: members)) == EquivalentSpellings.pythonObjectTexts[0])
        let repeated = Members(pairs: [("\u{E9}", 0), ("e\u{301}", 1), ("\u{E9}", 2)])
        #expect(String(decoding: try PotteryJSON.encode(repeated), as: UTF8.self) == #"{"e\u0301": 1, "\u00e9": 2}"#)
    }
}

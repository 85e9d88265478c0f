import PotteryKit
import Testing

@Suite struct CodecValueTests {
    @Test func equalityMeansSameBytes() {
        #expect(JSONValue.double(0.0) != JSONValue.double(-0.0))
        #expect(JSONValue.double(.nan) == JSONValue.double(-.nan))
        #expect(JSONValue.double(.nan) == JSONValue.double(Double(bitPattern: 0x7FF0_0000_0000_0001)))
        #expect(JSONValue.int(1) != JSONValue.double(1.0))
        #expect(JSONValue.int(1) != JSONValue.bool(true))
        #expect(JSONValue.double(1.0) != JSONValue.bool(true))
        #expect(JSONValue.string("1") != JSONValue.int(1))
        #expect(JSONValue.object(["é": 1]) != JSONValue.object(["e\u{301}": 1]))
        #expect(JSONValue.object(["a": 1, "b": [nil]]) == JSONValue.object(["b": [nil], "a": 1]))
        #expect(JSONValue.array([1, 2]) != JSONValue.array([2, 1]))
    }

    @Test func hashIsConsistentWithEquality() {
        let values: [JSONValue] = [
            .int(1), .double(1.0), .bool(true), .double(0.0), .double(-0.0), .double(.nan),
            .double(Double(bitPattern: 0x7FF8_0000_0000_0042)), .string("é"), .string("e\u{301}"),
            ["a": 1, "b": 2], ["b": 2, "a": 1], [1, 2], [2, 1], JSONValue(UInt64.max),
        ]
        let set = Set(values)
        #expect(set.count == 12)
        for value in values {
            #expect(set.contains(value))
        }
    }

    @Test func integerConstructorsNormalise() {
        #expect(JSONValue(integerText: "007") == .int(7))
        #expect(JSONValue(integerText: "-0") == .int(0))
        #expect(JSONValue(integerText: "-9223372036854775808") == .int(.min))
        #expect(JSONValue(integerText: "9223372036854775808") == .bigInt("9223372036854775808"))
        #expect(JSONValue(integerText: "-00018446744073709551616") == .bigInt("-18446744073709551616"))
        #expect(JSONValue(integerText: "") == nil)
        #expect(JSONValue(integerText: "-") == nil)
        #expect(JSONValue(integerText: "+5") == nil)
        #expect(JSONValue(integerText: "1e5") == nil)
        #expect(JSONValue(UInt64.max) == .bigInt("18446744073709551615"))
        #expect(JSONValue(Int8(-5)) == .int(-5))
    }

    @Test func literalsAndAccessors() {
        let value: JSONValue = ["s": "x", "i": 3, "d": 2.5, "b": true, "n": nil, "a": [1], "o": ["k": 1]]
        guard let members = value.objectValue else {
            Issue.record("not an object")
            return
        }
        #expect(members["s"]?.stringValue == "x")
        #expect(members["i"]?.intValue == 3)
        #expect(members["i"]?.doubleValue == 3.0)
        #expect(members["d"]?.doubleValue == 2.5)
        #expect(members["d"]?.intValue == nil)
        #expect(members["b"]?.boolValue == true)
        #expect(members["n"]?.isNull == true)
        #expect(members["a"]?.arrayValue == [1])
        #expect(members["o"]?.objectValue == ["k": 1])
        #expect(JSONValue(dictionaryLiteral: ("a", 1), ("a", 2)) == ["a": 2])
    }

    @Test func jsonObjectKeysMembersByCodePoint() throws {
        func scalars(_ keys: [String]) -> [[UInt32]] { keys.map { $0.unicodeScalars.map(\.value) } }
        var object = JSONObject(["b": 1, "\u{E9}": 2] as [String: JSONValue])
        object["e\u{301}"] = 3
        #expect(object.count == 3)
        #expect(object["\u{E9}"] == 2)
        #expect(object["e\u{301}"] == 3)
        #expect(scalars(object.sortedMembers.map(\.key)) == [[0x62], [0x65, 0x301], [0xE9]])
        #expect(scalars(object.keys).sorted { $0.lexicographicallyPrecedes($1) } == [[0x62], [0x65, 0x301], [0xE9]])
        #expect(object.removeValue(forKey: "e\u{301}") == 3)
        #expect(object["e\u{301}"] == nil)
        #expect(object.count == 2)
        object["b"] = nil
        #expect(object == ["\u{E9}": 2])
        #expect(JSONObject([(key: "a", value: 1), (key: "a", value: 2)]) == ["a": 2])
        #expect(JSONObject().isEmpty)
        #expect(object.description == #"{"\u00e9": 2}"#)
        #expect(Set([object, ["e\u{301}": 2]]).count == 2)
    }

    @Test func jsonObjectIsCodable() throws {
        struct Document: Codable, Equatable {
            var meta: JSONObject
        }
        let document = Document(meta: ["\u{E9}": 0, "e\u{301}": 1])
        let bytes = try PotteryJSON.encode(document)
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"meta": {"e\u0301": 1, "\u00e9": 0}}"#)
        #expect(try PotteryJSON.decode(Document.self, from: bytes) == document)
        #expect(try PotteryJSON.decode(JSONObject.self, from: Array(#"{"e\u0301": 1, "\u00e9": 0}"#.utf8)).count == 2)
        #expect(throws: JSONCodecError.self) { try PotteryJSON.decode(JSONObject.self, from: Array("[1]".utf8)) }
    }
}

import Foundation
import PotteryKit
import Testing

private struct Inner: Codable, Equatable {
    var id: Int
    var weight: Double
}

private struct Record: Codable, Equatable {
    var name: String
    var tags: [String]
    var nickname: String?
    var scores: [String: Double]
    var inner: [Inner]
    var byNumber: [Int: String]
    var big: UInt64
    var ratio: Float
    var extra: JSONValue
    var small: Int8
}

private struct Failing: Encodable {
    func encode(to encoder: any Encoder) throws {
        throw EncodingError.invalidValue(1, .init(codingPath: encoder.codingPath, debugDescription: "no way"))
    }
}

private struct Silent: Encodable {
    func encode(to encoder: any Encoder) throws {}
}

private struct Wrapper: Codable {
    var items: [Inner]
}

private func text<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try PotteryJSON.encode(value), as: UTF8.self)
}

@Suite struct CodecCodableTests {
    private let record = Record(
        name: "é", tags: ["a", "b"], nickname: nil, scores: ["x": 1.5, "y": 2],
        inner: [Inner(id: 1, weight: 0.5)], byNumber: [10: "ten", 2: "two", -1: "minus"],
        big: .max, ratio: 0.1, extra: [1, 1.0, "1", ["k": true]], small: -8)

    @Test func structRoundTrip() throws {
        let bytes = try PotteryJSON.encode(record)
        let expected = #"{"big": 18446744073709551615, "byNumber": {"-1": "minus", "2": "two", "10": "ten"}, "# + #""extra": [1, 1.0, "1", {"k": true}], "inner": [{"id": 1, "weight": 0.5}], "# + #""name": "\u00e9", "ratio": 0.10000000149011612, "scores": {"x": 1.5, "y": 2.0}, "# + #""small": -8, "tags": ["a", "b"]}"#
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
        #expect(try PotteryJSON.decode(Record.self, from: bytes) == record)
        let json = try PotteryJSON.jsonValue(from: record)
        #expect(try PotteryJSON.value(Record.self, from: json) == record)
        #expect(json.objectValue?["big"] == .bigInt("18446744073709551615"))
    }

    @Test func intKeysSortNumerically() throws {
        #expect(try text([2: "a", 10: "b"]) == #"{"2": "a", "10": "b"}"#)
        #expect(try text(["2": "a", "10": "b"]) == #"{"10": "b", "2": "a"}"#)
    }

    @Test func scalarsAndOptionals() throws {
        #expect(try text(UInt64.max) == "18446744073709551615")
        #expect(try text(Float(1.5)) == "1.5")
        #expect(try text(3.0) == "3.0")
        #expect(try text("x") == #""x""#)
        #expect(try text(true) == "true")
        #expect(try text(Int?.none) == "null")
        #expect(try text([1, nil, 3] as [Int?]) == "[1, null, 3]")
        #expect(try text(JSONValue.double(.nan)) == "NaN")
        #expect(try PotteryJSON.decode(Int?.self, from: Array("null".utf8)) == nil)
        #expect(try PotteryJSON.decode(UInt64.self, from: Array("18446744073709551615".utf8)) == .max)
        #expect(try PotteryJSON.decode(Float.self, from: Array("0.5".utf8)) == 0.5)
        #expect(try PotteryJSON.decode(JSONValue.self, from: Array("[1, 1.0]".utf8)) == [1, 1.0])
    }

    @Test func numbersConvertWithoutLoss() throws {
        #expect(try PotteryJSON.decode(Double.self, from: Array("3".utf8)) == 3.0)
        #expect(try PotteryJSON.decode(Int.self, from: Array("3.0".utf8)) == 3)
        #expect(try PotteryJSON.decode(Int.self, from: Array("-0.0".utf8)) == 0)
        #expect(try PotteryJSON.decode(Double.self, from: Array("18446744073709551616".utf8)) == 18446744073709551616.0)
        #expect(try PotteryJSON.value(Int8.self, from: .double(-128)) == -128)
    }

    static let mismatchRows: [(String, String)] = [
        ("3.5", "Int"), ("\"3\"", "Int"), ("true", "Int"), ("null", "Int"), ("300", "UInt8"), ("-1", "UInt"),
        ("18446744073709551616", "Int"), ("1e39", "Float"), ("1", "String"), ("1", "Bool"), ("[]", "Double"),
    ]

    @Test(arguments: mismatchRows)
    func typeMismatch(text: String, type: String) {
        let bytes = Array(text.utf8)
        do {
            switch type {
            case "Int": _ = try PotteryJSON.decode(Int.self, from: bytes)
            case "UInt8": _ = try PotteryJSON.decode(UInt8.self, from: bytes)
            case "UInt": _ = try PotteryJSON.decode(UInt.self, from: bytes)
            case "Float": _ = try PotteryJSON.decode(Float.self, from: bytes)
            case "String": _ = try PotteryJSON.decode(String.self, from: bytes)
            case "Bool": _ = try PotteryJSON.decode(Bool.self, from: bytes)
            default: _ = try PotteryJSON.decode(Double.self, from: bytes)
            }
            Issue.record("decoded \(text) as \(type)")
        } catch {
            #expect(error.kind == .typeMismatch)
            #expect(error.message.contains("Expected \(type)"), "\(error)")
            #expect(error.message.hasSuffix("at top level"), "\(error)")
        }
    }

    @Test func mismatchNamesCodingPath() {
        let bytes = Array(#"{"items": [{"id": 1, "weight": 2}, {"id": "x", "weight": 1}]}"#.utf8)
        #expect(throws: JSONCodecError.self) { try PotteryJSON.decode(Wrapper.self, from: bytes) }
        do {
            _ = try PotteryJSON.decode(Wrapper.self, from: bytes)
        } catch {
            #expect(error.kind == .typeMismatch)
            #expect(error.message == #"Expected Int but found a string "x" at items[1].id"#)
        }
        do {
            _ = try PotteryJSON.decode(Wrapper.self, from: Array(#"{"items": [{"id": 1}]}"#.utf8))
        } catch {
            #expect(error.kind == .typeMismatch)
            #expect(error.message == #"No value for key "weight" at items[0]"#)
        }
    }

    @Test func syntaxErrorsPassThroughCodableDecode() {
        do {
            _ = try PotteryJSON.decode(Int.self, from: Array("[".utf8))
        } catch {
            #expect(error.kind == .syntax)
        }
    }

    @Test func unencodable() {
        do {
            _ = try PotteryJSON.encode(Failing())
            Issue.record("encoded")
        } catch {
            #expect(error.kind == .unencodable)
            #expect(error.message.contains("no way"))
        }
        do {
            _ = try PotteryJSON.encode(Silent())
            Issue.record("encoded")
        } catch {
            #expect(error.kind == .unencodable)
        }
        #expect(throws: JSONCodecError.self) { try PotteryJSON.jsonValue(from: [Failing()]) }
    }

    @Test func jsonValueThroughFoundationCoders() throws {
        let value: JSONValue = ["a": [1, 2.5, "x", nil, true], "b": ["c": [:]]]
        let data = try JSONEncoder().encode(value)
        let back = try JSONDecoder().decode(JSONValue.self, from: data)
        #expect(back == value)
    }
}

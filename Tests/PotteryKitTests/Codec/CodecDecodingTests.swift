import PotteryKit
import Testing

@Suite struct CodecDecodingTests {
    static let validRows: [(String, JSONValue)] = [
        (#" {"a" :1} "#, ["a": 1]),
        ("\t\n\r[1 ,2]\n", [1, 2]),
        (#"{"a":1}"#, ["a": 1]),
        ("NaN", .double(.nan)),
        ("Infinity", .double(.infinity)),
        ("-Infinity", .double(-.infinity)),
        ("[NaN,-Infinity]", [.double(.nan), .double(-.infinity)]),
        ("1E5", .double(100000)),
        ("1e5", .double(100000)),
        ("1e+5", .double(100000)),
        ("2.5e-3", .double(0.0025)),
        ("-0", .int(0)),
        ("-0.0", .double(-0.0)),
        ("1e999", .double(.infinity)),
        ("-1e999", .double(-.infinity)),
        ("1e-999", .double(0)),
        ("0.1", .double(0.1)),
        ("3.0", .double(3.0)),
        ("9223372036854775807", .int(.max)),
        ("-9223372036854775808", .int(.min)),
        ("9223372036854775808", .bigInt("9223372036854775808")),
        ("-9223372036854775809", .bigInt("-9223372036854775809")),
        ("1" + String(repeating: "0", count: 30), .bigInt("1" + String(repeating: "0", count: 30))),
        (#""\"\\\/\b\f\n\r\t""#, .string("\"\\/\u{8}\u{c}\n\r\t")),
        (#""\u00e9\u00E9""#, "éé"),
        (#""\ud83d\ude00""#, "😀"),
        (#""\uD83D\uDE00""#, "😀"),
        (#""\ud800""#, "\u{FFFD}"),
        (#""\udc00""#, "\u{FFFD}"),
        (#""\ud800\u0041""#, "\u{FFFD}A"),
        (#""\ud800\ud800\udc00""#, "\u{FFFD}\u{10000}"),
        ("\"é\u{7f}\u{2028}😀/\"", "é\u{7f}\u{2028}😀/"),
        (#"{"a":1,"a":2}"#, ["a": 2]),
        (#"{"":[]}"#, ["": []]),
        ("[[],{}]", [[], [:]]),
        ("null", nil),
        ("true", true),
        ("false", false),
    ]

    @Test(arguments: validRows)
    func decodes(text: String, expected: JSONValue) throws {
        #expect(try decodeText(text) == expected)
    }

    @Test func integerDigitLimitIsPythons() throws {
        let ok = String(repeating: "7", count: 4300)
        #expect(try decodeText(ok) == .bigInt(ok))
        #expect(try decodeText("-" + ok) == .bigInt("-" + ok))
        let error = decodeError(Array(String(repeating: "7", count: 4301).utf8))
        #expect(error?.kind == .syntax)
        #expect(error?.message.contains("4300") == true)
    }

    /// Python 3.11's messages and character offsets (all inputs are ASCII).
    static let syntaxRows: [(String, String, Int)] = [
        ("", "Expecting value", 0),
        ("  ", "Expecting value", 2),
        ("[1,]", "Expecting value", 3),
        (#"{"a":1,}"#, "Expecting property name enclosed in double quotes", 7),
        ("01", "Extra data", 1),
        ("[01]", "Expecting ',' delimiter", 2),
        ("1.", "Extra data", 1),
        ("1e", "Extra data", 1),
        ("1e+", "Extra data", 1),
        ("-", "Expecting value", 0),
        ("[-]", "Expecting value", 1),
        ("\"a", "Unterminated string starting", 0),
        ("\"a\\", "Unterminated string starting", 0),
        ("[1 2]", "Expecting ',' delimiter", 3),
        (#"{"a" 1}"#, "Expecting ':' delimiter", 5),
        ("{1:2}", "Expecting property name enclosed in double quotes", 1),
        ("nul", "Expecting value", 0),
        ("nan", "Expecting value", 0),
        ("+1", "Expecting value", 0),
        (".5", "Expecting value", 0),
        (#""\x""#, "Invalid \\escape", 1),
        (#""\u12""#, "Invalid \\uXXXX escape", 2),
        (#""\u12g4""#, "Invalid \\uXXXX escape", 2),
        (#""\ud800\u12g4""#, "Invalid \\uXXXX escape", 8),
        ("\"\u{1}\"", "Invalid control character at", 1),
        ("\"a\nb\"", "Invalid control character at", 2),
        ("[1]]", "Extra data", 3),
        ("[", "Expecting value", 1),
        ("{", "Expecting property name enclosed in double quotes", 1),
        ("[1", "Expecting ',' delimiter", 2),
        ("\u{FEFF}1", "Unexpected UTF-8 BOM (decode using utf-8-sig)", 0),
        ("'a'", "Expecting value", 0),
    ]

    @Test(arguments: syntaxRows)
    func syntaxError(text: String, message: String, offset: Int) {
        let error = decodeError(Array(text.utf8))
        #expect(error?.kind == .syntax)
        #expect(error?.offset == offset)
        #expect(error?.message.hasPrefix("\(message) at byte \(offset) near \"") == true, "\(String(describing: error))")
    }

    @Test func messageHasShortEscapedExcerpt() throws {
        let text = "[" + String(repeating: "1, ", count: 30) + "\u{1}\"x\"]"
        let error = try #require(decodeError(Array(text.utf8)))
        let excerpt = try #require(error.message.split(separator: "near ", maxSplits: 1).last)
        #expect(excerpt.hasPrefix("\""))
        #expect(excerpt.hasSuffix("\""))
        #expect(excerpt.count - 2 <= 40)
        #expect(excerpt.contains("\\x01"))
        #expect(excerpt.allSatisfy { $0.isASCII && $0 != "\u{1}" })
        #expect(error.description.hasPrefix("syntax error: Expecting value at byte"))
    }

    static let invalidUTF8Rows: [([UInt8], Int)] = [
        ([0xFF], 0),
        ([0x22, 0xC3, 0x22], 1),
        ([0x22, 0xED, 0xA0, 0x80, 0x22], 1),
        ([0x22, 0xC0, 0x80, 0x22], 1),
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1),
        ([0x22, 0xE0, 0x80, 0x80, 0x22], 1),
        ([0x5B, 0x31, 0x5D, 0x80], 3),
        (Array("[\"abcdefghijkl\", 1, \"xyz".utf8) + [0xE2, 0x82], 24),
    ]

    @Test(arguments: invalidUTF8Rows)
    func invalidUTF8(bytes: [UInt8], offset: Int) {
        let error = decodeError(bytes)
        #expect(error?.kind == .invalidUTF8)
        #expect(error?.offset == offset)
    }

    @Test func invalidUTF8WinsOverSyntax() {
        // Python decodes the bytes before parsing them.
        #expect(decodeError([0x5D, 0xFF])?.kind == .invalidUTF8)
    }

    @Test func validMultibyteUTF8() throws {
        let bytes: [UInt8] = [0x22, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, 0xF4, 0x8F, 0xBF, 0xBF, 0x22]
        #expect(try PotteryJSON.decode(bytes) == .string("é€😀\u{10FFFF}"))
    }

    @Test func acceptsAnyByteCollection() throws {
        let bytes = Array("[1, 2]".utf8)
        #expect(try PotteryJSON.decode(bytes[...]) == [1, 2])
        #expect(try PotteryJSON.decode("[1, 2]".utf8) == [1, 2])
        #expect(try PotteryJSON.decode(bytes.lazy.map { $0 }) == [1, 2])
    }

    @Test func tooDeep() {
        let deep = String(repeating: "[", count: 1001) + String(repeating: "]", count: 1001)
        #expect(decodeError(Array(deep.utf8))?.kind == .tooDeep)
        let deepObjects = String(repeating: #"{"a":"#, count: 1001) + "1" + String(repeating: "}", count: 1001)
        #expect(decodeError(Array(deepObjects.utf8))?.kind == .tooDeep)
        let emptyAtLimit = String(repeating: "[", count: 1000) + "{}" + String(repeating: "]", count: 1000)
        #expect(decodeError(Array(emptyAtLimit.utf8))?.kind == .tooDeep)
        #expect(decodeError(Array(String(repeating: "[", count: 100_000).utf8))?.kind == .tooDeep)
    }
}

@Suite struct CodecLoneSurrogateTests {
    @Test func loneSurrogatesAreReplacedOrRefusedOnRequest() throws {
        #expect(try PotteryJSON.decode(Array(#""\ud800""#.utf8)) == .string("\u{FFFD}"))
        #expect(try PotteryJSON.decodeRejectingLoneSurrogates(Array(#""\ud83d\ude00""#.utf8)) == .string("😀"))
        for text in [#""\ud800""#, #""\udc00""#, #"["\ud800x"]"#, #"{"\ud83d": 1}"#] {
            #expect(throws: JSONCodecError.self, "\(text)") { try PotteryJSON.decodeRejectingLoneSurrogates(Array(text.utf8)) }
        }
    }
}

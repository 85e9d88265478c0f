import PotteryKit
import Testing

@Suite struct CodecEncodingTests {
    /// Every row of pottery-format.md §1.1's table that a JSONValue can hold.
    static let tableRows: [(JSONValue, String)] = [
        (.null, "null"),
        (true, "true"),
        (false, "false"),
        (0, "0"),
        (1, "1"),
        (-1, "-1"),
        (.int(1 << 53), "9007199254740992"),
        (JSONValue(integerText: "18446744073709551616")!, "18446744073709551616"),
        (JSONValue(integerText: "1" + String(repeating: "0", count: 30))!, "1000000000000000000000000000000"),
        (1.0, "1.0"),
        (0.1, "0.1"),
        (.double(0.1 + 0.2), "0.30000000000000004"),
        (1.5, "1.5"),
        (-0.0, "-0.0"),
        (1e15, "1000000000000000.0"),
        (1e16, "1e+16"),
        (1e-07, "1e-07"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (1e21, "1e+21"),
        (123456789.123, "123456789.123"),
        (.double(.infinity), "Infinity"),
        (.double(-.infinity), "-Infinity"),
        (.double(.nan), "NaN"),
        ("", "\"\""),
        ("abc", "\"abc\""),
        ("é", #""\u00e9""#),
        ("日本", #""\u65e5\u672c""#),
        ("😀", #""\ud83d\ude00""#),
        ("\u{0}", #""\u0000""#),
        ("\n\t\"\\/", #""\n\t\"\\/""#),
        ("\u{8}\u{c}\r\u{1}\u{1f}", #""\b\f\r\u0001\u001f""#),
        ("\u{7f}", #""\u007f""#),
        ("ÿ", #""\u00ff""#),
        ("\u{a0}", #""\u00a0""#),
        ("\u{2028}", #""\u2028""#),
        ([], "[]"),
        ([:], "{}"),
        ([1, 2], "[1, 2]"),
        ([1, [2, [3]]], "[1, [2, [3]]]"),
        ([nil, true, false], "[null, true, false]"),
        (["b": 1, "a": 2], #"{"a": 2, "b": 1}"#),
        (["z": ["y": 1, "x": [true, nil]]], #"{"z": {"x": [true, null], "y": 1}}"#),
        (
            ["b": 1, "B": 2, "a": 3, "é": 4, "z": 5, "😀": 6, "\u{ffff}": 7],
            #"{"B": 2, "a": 3, "b": 1, "z": 5, "\u00e9": 4, "\uffff": 7, "\ud83d\ude00": 6}"#
        ),
    ]

    @Test(arguments: tableRows)
    func tableRow(value: JSONValue, expected: String) {
        #expect(potteryText(value) == expected)
    }

    /// Python `repr(float)` at the edges of its fixed/exponent thresholds.
    static let floatRows: [(Double, String)] = [
        (1e16, "1e+16"),
        (1e15, "1000000000000000.0"),
        (1e-05, "1e-05"),
        (0.0001, "0.0001"),
        (0.001, "0.001"),
        (.leastNonzeroMagnitude, "5e-324"),
        (1.7976931348623157e+308, "1.7976931348623157e+308"),
        (1234567890123456.8, "1234567890123456.8"),
        (9007199254740992.0, "9007199254740992.0"),
        (1e+21, "1e+21"),
        (1e22, "1e+22"),
        (0.1 + 0.2, "0.30000000000000004"),
        (1.2345678901234568e+17, "1.2345678901234568e+17"),
        (12345678901234567.0, "1.2345678901234568e+16"),
        (2e15, "2000000000000000.0"),
        (100.0, "100.0"),
        (-2.5e-10, "-2.5e-10"),
        (1.5e300, "1.5e+300"),
        (2.2250738585072014e-308, "2.2250738585072014e-308"),
        (0.5, "0.5"),
        (-1.0, "-1.0"),
        (123.456, "123.456"),
        (0.00012, "0.00012"),
        (1.2e-5, "1.2e-05"),
    ]

    @Test(arguments: floatRows)
    func pythonFloatRepr(value: Double, expected: String) {
        #expect(potteryText(.double(value)) == expected)
    }

    @Test func keysSortByCodePointNotUTF16() {
        // UTF-16 order would put U+FFFF after the surrogate pair of 😀.
        let value: JSONValue = ["😀": 1, "\u{ffff}": 2, "\u{e000}": 3]
        #expect(potteryText(value) == #"{"\ue000": 3, "\uffff": 2, "\ud83d\ude00": 1}"#)
    }

    @Test func keysThatSwiftThinksEqualStayApartInValues() {
        // Strings are compared by scalars, not canonical equivalence.
        #expect(JSONValue.string("é") != JSONValue.string("e\u{301}"))
        #expect(potteryText(.string("e\u{301}")) == #""e\u0301""#)
    }

    @Test func nestedKeysAreSortedAtEveryDepth() {
        let value: JSONValue = [["b": ["d": 1, "c": 2], "a": [:]]]
        #expect(potteryText(value) == #"[{"a": {}, "b": {"c": 2, "d": 1}}]"#)
    }

    @Test func integerExtremes() {
        #expect(potteryText(.int(.max)) == "9223372036854775807")
        #expect(potteryText(.int(.min)) == "-9223372036854775808")
        #expect(potteryText(JSONValue(UInt64.max)) == "18446744073709551615")
        #expect(potteryText(JSONValue(integerText: "-99999999999999999999")!) == "-99999999999999999999")
    }

    @Test func prettyMatchesPythonIndent2() {
        let value: JSONValue = ["b": [1, [], [:], ["x": nil]], "a": "é"]
        let expected = """
            {
              "a": "\\u00e9",
              "b": [
                1,
                [],
                {},
                {
                  "x": null
                }
              ]
            }
            """
        #expect(String(decoding: PotteryJSON.encodePretty(value), as: UTF8.self) == expected)
        #expect(String(decoding: PotteryJSON.encodePretty(1.0), as: UTF8.self) == "1.0")
    }

    @Test func descriptionIsPotteryText() {
        let value: JSONValue = ["a": [1, 2.5, "x"]]
        #expect(value.description == #"{"a": [1, 2.5, "x"]}"#)
    }
}

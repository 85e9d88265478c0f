@testable import PotteryKit
import Testing

/// The batch writer's shortcut for plain strings (checked eight bytes at a time)
/// writes exactly what the JSON writer (pottery's bytes) writes, wherever a
/// character that needs escaping, or one at the edge of the plain range, sits.
@Suite struct HyperLogLogBatchTests {
    static let probes: [String] = ["\u{0}", "\u{1f}", " ", "!", "\"", "\\", "~", "\u{7f}", "\u{80}", "é", "😀", "#", "[", "]"]

    @Test func plainStringsAreWrittenAsTheJSONWriterWritesThem() {
        var checked = 0
        for length in 0...24 {
            for position in 0..<max(length, 1) {
                for probe in Self.probes {
                    var characters = Array(repeating: "a", count: length)
                    if length > 0 { characters[position] = probe }
                    let string = characters.joined()
                    var bytes: [UInt8] = [1, 2]  // appended after what is there
                    HyperLogLogBatch<String>.append(string, to: &bytes)
                    #expect(bytes == [1, 2] + PotteryJSON.encode(.string(string)), "\(Array(string.utf8))")
                    checked += 1
                }
            }
        }
        #expect(checked > 4000)
    }

    @Test func everyKindOfBatchWritesPotterysBytes() throws {
        let strings = ["plain", "qu\"ote", "é", ""]
        let values: [JSONValue] = ["plain", "qu\"ote", 1, 1.5, nil, true, ["a": [1]]]
        for (index, string) in strings.enumerated() {
            var bytes: [UInt8] = []
            try HyperLogLogBatch(strings).append(index, to: &bytes)
            #expect(bytes == PotteryJSON.encode(.string(string)))
        }
        for (index, value) in values.enumerated() {
            var bytes: [UInt8] = []
            try HyperLogLogBatch(values).append(index, to: &bytes)
            #expect(bytes == PotteryJSON.encode(value))
            bytes = []
            try HyperLogLogBatch([[value]]).append(0, to: &bytes)  // any other Encodable
            #expect(bytes == PotteryJSON.encode(.array([value])))
        }
    }

    /// Plain strings hashed from the stack, the others (escaped, or longer than 62
    /// bytes) from their JSON: the same registers as hashing every element's JSON.
    @Test func registersOfStringBatchesAreThoseOfTheirJSON() throws {
        var strings = Self.probes.flatMap { probe in (0..<70).map { "\(String(repeating: "x", count: $0 % 66))\(probe)\($0)" } }
        strings += (0..<2000).map { "element-\($0)" } + ["", String(repeating: "y", count: 62), String(repeating: "y", count: 63)]
        var batched = HyperLogLogRegisters()
        try HyperLogLogBatch(strings).addRegisters(to: &batched)
        var expected = HyperLogLogRegisters()
        for string in strings { expected.add(PotteryJSON.encode(.string(string))) }
        #expect(batched.dense == expected.dense)
        #expect(batched.dense != HyperLogLogRegisters().dense)
    }
}

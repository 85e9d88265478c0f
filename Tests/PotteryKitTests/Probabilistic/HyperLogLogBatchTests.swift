@testable import PotteryKit
import Testing

/// The batch writers' shortcuts for plain strings (checked eight bytes at a time,
/// and in RESP checked and copied in one pass) write exactly what the JSON writer
/// (pottery's bytes) writes, wherever a
/// character that needs escaping, or one at the edge of the plain range, sits.
@Suite struct HyperLogLogBatchTests {
    static let probes: [String] = ["\u{0}", "\u{1f}", " ", "!", "\"", "\\", "~", "\u{7f}", "\u{80}", "é", "😀", "#", "[", "]"]

    @Test func plainStringsAreWrittenAsTheJSONWriterWritesThem() throws {
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
                    var writer = RESPArgumentWriter(reservingBytes: 1)  // checked and copied in one pass
                    try HyperLogLogBatch([string]).writeArguments(to: &writer)
                    let json = PotteryJSON.encode(.string(string))
                    #expect(writer.finish().bytes == Array("$\(json.count)\r\n".utf8) + json + [13, 10], "\(Array(string.utf8))")
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

    /// The `PFADD` written in RESP straight from the elements is, byte for byte, the
    /// command of each element's pottery JSON appended one by one (the path before
    /// it): plain text, escapes at every position, non-ASCII and astral-plane text,
    /// long strings, every kind of ``JSONValue`` and any other `Encodable`.
    @Test func pfaddWrittenInRESPIsTheCommandOfEachElementsJSON() throws {
        var strings = Self.probes.flatMap { probe in (0..<40).map { "\(String(repeating: "x", count: $0 % 20))\(probe)\($0)" } }
        strings += ["", "element-1", String(repeating: "y", count: 200), String(repeating: "😀\u{1}é", count: 50), "a\u{2028}b\u{fffd}"]
        let values: [JSONValue] = strings.map { .string($0) } + ["qu\"ote", 1, -7, 1.5, nil, true, false, ["a": [1, "é"]], [["😀": nil]]]
        func oneByOne(_ arguments: [[UInt8]]) -> RedisCommand {
            var command = RedisCommand("PFADD", key: "hll")
            for argument in arguments { command.append(bytes: argument) }
            return command
        }
        func written(_ batch: HyperLogLogBatch<some Encodable>) throws -> RedisCommand {
            var writer = RESPArgumentWriter(reservingBytes: 8)
            try batch.writeArguments(to: &writer)
            var command = RedisCommand("PFADD", key: "hll")
            command.appendArguments(writer.finish())
            return command
        }
        let expectedStrings = oneByOne(strings.map { PotteryJSON.encode(.string($0)) })
        #expect(RESPArgumentRunTests.resp(try written(HyperLogLogBatch(strings))) == RESPArgumentRunTests.resp(expectedStrings))
        let expectedValues = oneByOne(values.map { PotteryJSON.encode($0) })
        #expect(RESPArgumentRunTests.resp(try written(HyperLogLogBatch(values))) == RESPArgumentRunTests.resp(expectedValues))
        let wrapped = values.map { [$0] }  // any other Encodable
        let expectedWrapped = oneByOne(values.map { PotteryJSON.encode(.array([$0])) })
        #expect(RESPArgumentRunTests.resp(try written(HyperLogLogBatch(wrapped))) == RESPArgumentRunTests.resp(expectedWrapped))
        #expect(try written(HyperLogLogBatch(strings)).count == strings.count + 2)
    }

    @Test func anElementThatCannotBeEncodedStopsTheWriter() {
        var writer = RESPArgumentWriter(reservingBytes: 8)
        let error = #expect(throws: JSONCodecError.self) {
            try HyperLogLogBatch<BloomFilterTests.Element>([.good("a"), .bad, .good("b")]).writeArguments(to: &writer)
        }
        #expect(error != nil)
        #expect(writer.count == 1)
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

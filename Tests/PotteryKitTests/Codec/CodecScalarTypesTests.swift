import PotteryKit
import Testing

/// Every standard scalar type takes the codec's scalar fast paths both ways
/// (`JSONValueEncoder.scalar`, `JSONValueDecoder.isScalar`/`unboxScalar`), whose
/// lists of types must agree: a type in one list and not the other would trap
/// or fall back to the slower path. Called from this module, the generic code
/// runs unspecialized, as a container's does in a user's program.
@Suite struct CodecScalarTypesTests {
    func roundTrip<T: Codable & Equatable>(_ value: T, _ text: String) throws {
        #expect(String(decoding: try PotteryJSON.encode(value), as: UTF8.self) == text, "\(T.self)")
        #expect(try PotteryJSON.decode(T.self, from: Array(text.utf8)) == value, "\(T.self)")
        #expect(try PotteryJSON.value(T.self, from: PotteryJSON.jsonValue(from: value)) == value, "\(T.self)")
    }

    @Test func everyScalarTypeRoundTrips() throws {
        try roundTrip("x\u{e9}", "\"x\\u00e9\"")
        try roundTrip(true, "true")
        try roundTrip(2.5, "2.5")
        try roundTrip(Float(0.5), "0.5")
        try roundTrip(-7, "-7")
        try roundTrip(Int64.min, "-9223372036854775808")
        try roundTrip(UInt64.max, "18446744073709551615")
        try roundTrip(UInt(7), "7")
        try roundTrip(Int32(-7), "-7")
        try roundTrip(UInt32(7), "7")
        try roundTrip(Int16(-7), "-7")
        try roundTrip(UInt16(7), "7")
        try roundTrip(Int8(-7), "-7")
        try roundTrip(UInt8(7), "7")
        try roundTrip(JSONValue.array([.int(1), .null]), "[1, null]")
    }

    @Test func aScalarOfTheWrongShapeIsATypeMismatchNotATrap() {
        #expect(throws: JSONCodecError.self) { try PotteryJSON.decode(String.self, from: Array("1".utf8)) }
        #expect(throws: JSONCodecError.self) { try PotteryJSON.decode(UInt8.self, from: Array("256".utf8)) }
        #expect(throws: JSONCodecError.self) { try PotteryJSON.decode(Bool.self, from: Array("null".utf8)) }
    }
}

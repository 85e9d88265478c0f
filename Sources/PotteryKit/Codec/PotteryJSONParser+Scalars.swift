/// Numbers and the literals `null`, `true`, `false`, `NaN`, `Infinity`, `-Infinity`.
extension PotteryJSONParser {
    /// Reads a value that is not an array or an object.
    mutating func parseScalar() throws(JSONCodecError) -> JSONValue {
        guard let byte = peek() else {
            throw syntaxError("Expecting value", at: position)
        }
        switch byte {
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "n") where matches("null"):
            return .null
        case UInt8(ascii: "t") where matches("true"):
            return .bool(true)
        case UInt8(ascii: "f") where matches("false"):
            return .bool(false)
        case UInt8(ascii: "N") where matches("NaN"):
            return .double(.nan)
        case UInt8(ascii: "I") where matches("Infinity"):
            return .double(.infinity)
        case UInt8(ascii: "-") where matches("-Infinity"):
            return .double(-.infinity)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        default:
            throw syntaxError("Expecting value", at: position)
        }
    }

    /// Consumes `word` if the input continues with it.
    mutating func matches(_ word: StaticString) -> Bool {
        let length = word.utf8CodeUnitCount
        guard position + length <= input.count else { return false }
        let found = word.withUTF8Buffer { expected in
            expected.elementsEqual(input[position..<position + length])
        }
        if found { position += length }
        return found
    }

    /// Reads `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`.
    mutating func parseNumber() throws(JSONCodecError) -> JSONValue {
        let start = position
        var index = position
        if input[index] == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        guard index < input.count, isDigit(input[index]) else {
            throw syntaxError("Expecting value", at: start)
        }
        if input[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < input.count && isDigit(input[index]) { index += 1 }
        }
        let integerEnd = index
        var isFloat = false
        if index + 1 < input.count && input[index] == UInt8(ascii: ".") && isDigit(input[index + 1]) {
            index += 2
            while index < input.count && isDigit(input[index]) { index += 1 }
            isFloat = true
        }
        if index < input.count && (input[index] | 0x20) == UInt8(ascii: "e") {
            var exponentIndex = index + 1
            if exponentIndex < input.count
                && (input[exponentIndex] == UInt8(ascii: "+") || input[exponentIndex] == UInt8(ascii: "-")) {
                exponentIndex += 1
            }
            let digitsStart = exponentIndex
            while exponentIndex < input.count && isDigit(input[exponentIndex]) { exponentIndex += 1 }
            if exponentIndex > digitsStart {
                index = exponentIndex
                isFloat = true
            }
        }
        position = index
        let text = UnsafeBufferPointer(rebasing: input[start..<index])
        if isFloat {
            guard let double = Double(String(decoding: text, as: UTF8.self)) else {
                throw syntaxError("Invalid number", at: start)
            }
            return .double(double)
        }
        return try makeInteger(text, digitCount: integerEnd - integerStart, start: start)
    }

    func makeInteger(
        _ text: UnsafeBufferPointer<UInt8>, digitCount: Int, start: Int
    ) throws(JSONCodecError) -> JSONValue {
        if digitCount > PotteryJSONParser.maxIntegerDigits {
            throw syntaxError(
                "Exceeds the limit (\(PotteryJSONParser.maxIntegerDigits) digits) for integer string conversion: value has \(digitCount) digits",
                at: start)
        }
        let negative = text[0] == UInt8(ascii: "-")
        var value = 0
        var overflow = false
        // Accumulate negatively so that Int.min fits.
        for byte in text where byte != UInt8(ascii: "-") {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.subtractingReportingOverflow(Int(byte &- 0x30))
            if o1 || o2 {
                overflow = true
                break
            }
            value = next
        }
        if !overflow {
            if !negative {
                if value == .min { overflow = true } else { return .int(-value) }
            } else {
                return .int(value)
            }
        }
        return .bigInt(String(decoding: text, as: UTF8.self))
    }
}

/// Strict UTF-8 checking, as Python's `bytes.decode()` does it: no overlong
/// forms, no encoded surrogates, nothing above U+10FFFF, no truncated sequences.
enum UTF8Validation {
    /// Finds the first byte where the input stops being valid UTF-8.
    ///
    /// - Parameter input: The bytes to check.
    /// - Returns: The offset of the first bad sequence, or `nil` if all is valid.
    static func firstInvalidOffset(in input: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = input.count
        var index = 0
        while index < count {
            // Skip ASCII eight bytes at a time.
            if let base = input.baseAddress {
                while index + 8 <= count {
                    let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 != 0 { break }
                    index += 8
                }
            }
            guard index < count else { break }
            let lead = input[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            guard let length = sequenceLength(input, at: index) else { return index }
            index += length
        }
        return nil
    }

    /// The length of the valid sequence that starts with a non-ASCII byte at
    /// `index`, or `nil` if it is not valid.
    private static func sequenceLength(_ input: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        let lead = input[index]
        let length: Int
        var secondLow: UInt8 = 0x80
        var secondHigh: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondLow = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondHigh = 0x9F
        case 0xF0: length = 4; secondLow = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondHigh = 0x8F
        default: return nil
        }
        guard index + length <= input.count else { return nil }
        let second = input[index + 1]
        guard second >= secondLow && second <= secondHigh else { return nil }
        var next = index + 2
        while next < index + length {
            guard input[next] & 0xC0 == 0x80 else { return nil }
            next += 1
        }
        return length
    }
}

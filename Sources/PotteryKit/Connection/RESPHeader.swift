/// RESP's length lines, `*N\r\n` (an array of N) and `$N\r\n` (N bytes follow),
/// written straight into an output buffer: the one writer for ``RedisCommand``
/// and ``RESPArgumentWriter``.
enum RESPHeader {
    /// The decimal digits of `number` (≥ 0).
    static func digitCount(_ number: Int) -> Int {
        var count = 1
        var value = number
        while value >= 10 {
            value /= 10
            count += 1
        }
        return count
    }

    /// Writes `marker`, `number` (≥ 0) in decimal and CRLF at `out` (room for
    /// 3 + ``digitCount(_:)`` bytes); returns where it ended. Lengths under 100,
    /// most arguments', take a branch of their own.
    @inline(__always)
    static func write(_ marker: UInt8, _ number: Int, to out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        out[0] = marker
        if number < 10 {
            out[1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: number)
            out[2] = 13
            out[3] = 10
            return out + 4
        }
        if number < 100 {
            out[1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: number / 10)
            out[2] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: number % 10)
            out[3] = 13
            out[4] = 10
            return out + 5
        }
        let digits = digitCount(number)
        var value = number
        for index in stride(from: digits, through: 1, by: -1) {
            out[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10)
            value /= 10
        }
        out[digits + 1] = 13
        out[digits + 2] = 10
        return out + digits + 3
    }
}

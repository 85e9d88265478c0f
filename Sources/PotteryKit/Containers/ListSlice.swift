/// A Python slice, `start:stop:step`, each part optional, for ``RedisList``.
///
/// Bounds follow Python's `slice.indices(len)`: negative values count from
/// the end, values beyond either end are clamped, a missing start or stop
/// means "from the beginning" or "to the end" (the other way round for a
/// negative step). A step of zero is a ``PotteryError/Code/valueError``
/// when the slice is used, as in Python.
public struct ListSlice: Sendable, Hashable, CustomStringConvertible {
    /// The first index, or `nil` for Python's omitted start.
    public var start: Int?
    /// The index to stop before, or `nil` for Python's omitted stop.
    public var stop: Int?
    /// The stride, or `nil` for 1.
    public var step: Int?

    /// `start:stop:step`; every part may be omitted (`nil`), as in Python.
    public init(start: Int? = nil, stop: Int? = nil, step: Int? = nil) {
        self.start = start
        self.stop = stop
        self.step = step
    }

    /// Parses Python's slice notation: `START:STOP` or `START:STOP:STEP`,
    /// each part an integer or empty (`1:-1:2`, `::-1`, `3:`).
    /// - Throws: ``PotteryError/Code/valueError`` for anything else (no
    ///   colon, more than two, a part that is not an integer). Integers beyond
    ///   64 bits are clamped, as Python clamps slice bounds (`l[10**20:]` is `[]`).
    public init(parsing text: String) throws(PotteryError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else {
            throw PotteryError(.valueError, "a slice is START:STOP or START:STOP:STEP, got \(text)")
        }
        var values: [Int?] = []
        for part in parts {
            if part.isEmpty {
                values.append(nil)
            } else if let value = Self.clampedInteger(part) {
                values.append(value)
            } else {
                throw PotteryError(.valueError, "slice indices must be integers or empty, got \(part) in \(text)")
            }
        }
        self.init(start: values[0], stop: values[1], step: parts.count == 3 ? values[2] : nil)
    }

    /// A decimal integer (an optional sign, then digits), clamped to `Int`'s
    /// range as Python clamps slice bounds and list positions: an index beyond
    /// it is out of range for any list anyway. `nil` for anything else.
    /// - Parameter text: The text to read.
    /// - Returns: The integer, `Int.min` or `Int.max` beyond them, or `nil`.
    public static func clampedInteger(_ text: some StringProtocol) -> Int? {
        if let value = Int(text) { return value }
        let utf8 = Array(text.utf8)
        let negative = utf8.first == UInt8(ascii: "-")
        let digits = utf8.first == UInt8(ascii: "-") || utf8.first == UInt8(ascii: "+") ? utf8.dropFirst() : utf8[...]
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return negative ? Int.min : Int.max
    }

    /// `start:stop:step` as Python writes it, empty parts for `nil`.
    public var description: String {
        let text = "\(start.map(String.init) ?? ""):\(stop.map(String.init) ?? "")"
        return step.map { text + ":\($0)" } ?? text
    }

    /// The three parts as script arguments (empty for `nil`).
    /// - Throws: ``PotteryError/Code/valueError`` for a zero step.
    func arguments(key: RedisKey) throws(PotteryError) -> [[UInt8]] {
        if step == 0 { throw PotteryError(.valueError, "slice step cannot be zero", key: key.description) }
        return [start, stop, step].map { $0.map { Array(String($0).utf8) } ?? [] }
    }
}

import PotteryKit

/// Reads and checks the values of verb options (`--timeout S`, `--count N`):
/// a malformed value is a usage error (exit 2) naming the option.
enum OptionValues {
    /// A finite number of seconds (at most 10^6), positive, or also zero with `allowZero`; `nil` when not given.
    static func seconds(_ invocation: Invocation, _ name: String, allowZero: Bool) throws(PotteryError) -> Duration? {
        guard let text = invocation.textOptions[name] else { return nil }
        guard let value = decimal(text), value.isFinite, allowZero ? value >= 0 : value > 0, value <= 1_000_000 else {
            throw PotteryError(.valueError, "--\(name) needs a number of seconds \(allowZero ? ">= 0" : "> 0") "
                               + "(at most 1000000), got \(text)")
        }
        return .nanoseconds(Int64((value * 1e9).rounded()))
    }

    /// `text` as a decimal number, as Python's `float()` reads one (`1.5`, `1e-3`, `inf`), or `nil`.
    /// Swift's `Double(_:)` also reads hexadecimal (`0x10` is 16, `0x1p-2` a quarter): Python does not.
    static func decimal(_ text: String) -> Double? {
        guard !text.contains(where: { $0 == "x" || $0 == "X" }) else { return nil }
        return Double(text)
    }

    /// A whole number in `range`; `nil` when not given.
    static func integer(_ invocation: Invocation, _ name: String, in range: ClosedRange<Int>) throws(PotteryError) -> Int? {
        guard let text = invocation.textOptions[name] else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw PotteryError(.valueError, "--\(name) needs a whole number from \(range.lowerBound) to \(range.upperBound), got \(text)")
        }
        return value
    }
}

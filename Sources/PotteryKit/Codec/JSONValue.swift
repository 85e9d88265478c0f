/// A JSON value as pottery stores it.
///
/// Pottery writes every element with Python's `json.dumps(value, sort_keys=True)`
/// and reads it with `json.loads`. This type keeps apart what those bytes keep
/// apart: an integer (`1`) is not a float (`1.0`) and neither is a boolean
/// (`true`), and integers may be of any size.
///
/// Equality and hashing mean "encodes to the same pottery bytes":
/// - `.double` values compare by bit pattern, except that every NaN equals
///   every other NaN (so `0.0 != -0.0` and `NaN == NaN`);
/// - `.int(1)`, `.double(1.0)` and `.bool(true)` are all different;
/// - strings and object keys compare by Unicode scalars, as Python compares
///   `str`, not by Swift's canonical equivalence: `"\u{E9}"` and `"e\u{301}"`
///   are different strings, and an object may hold both as keys (see
///   ``JSONObject``).
public enum JSONValue: Sendable {
    /// JSON `null` (Python `None`).
    case null
    /// JSON `true` or `false`.
    case bool(Bool)
    /// An integer that fits in `Int` (64 bits).
    case int(Int)
    /// An integer that does not fit in `Int`, as canonical decimal text:
    /// an optional `-`, then digits without leading zeros.
    ///
    /// Never holds a value that fits in `Int`; build integers with
    /// `JSONValue(integerText:)` or `JSONValue(_:)` so that they are normalised.
    case bigInt(String)
    /// A Python float. NaN and ±infinity are allowed (written `NaN`,
    /// `Infinity`, `-Infinity`).
    case double(Double)
    /// A string. Any Unicode text; it is written with `\uXXXX` escapes.
    case string(String)
    /// An ordered list (a Python list or tuple).
    case array([JSONValue])
    /// An object with string keys, told apart by code point. Keys are
    /// written in code point order.
    case object(JSONObject)
}

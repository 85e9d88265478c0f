/// A Redis key: any bytes, usually UTF-8 text.
///
/// Containers use the key verbatim, as pottery does; primitives (locks, ID
/// generators) add their own prefix.
public struct RedisKey: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The key's bytes as sent to Redis.
    public let bytes: [UInt8]

    /// A key made of the UTF-8 bytes of `string`.
    public init(_ string: String) { bytes = Array(string.utf8) }

    /// A key made of arbitrary bytes.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// A key made of the UTF-8 bytes of a string literal.
    public init(stringLiteral value: String) { self.init(value) }

    /// The key as text (invalid UTF-8 shown as U+FFFD).
    public var description: String { String(decoding: bytes, as: UTF8.self) }

    /// Whether the key begins with `prefix` (compared as UTF-8 bytes).
    public func hasPrefix(_ prefix: String) -> Bool { bytes.starts(with: prefix.utf8) }
}

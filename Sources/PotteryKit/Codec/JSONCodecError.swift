/// Why a value could not be encoded or decoded.
///
/// The error says what went wrong and where inside the value or the bytes; it
/// does not name a Redis key (callers add that).
public struct JSONCodecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The category of a ``JSONCodecError``.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        /// A short readable name, such as `"syntax error"`.
        public let description: String

        private init(_ description: String) {
            self.description = description
        }

        /// The bytes are not JSON as Python's `json.loads` reads it
        /// (including empty input, a leading BOM, extra data, and integers
        /// longer than Python's 4300-digit limit).
        public static let syntax = Kind("syntax error")
        /// Arrays and objects are nested deeper than 1000 levels.
        public static let tooDeep = Kind("nesting too deep")
        /// The bytes are not valid UTF-8.
        public static let invalidUTF8 = Kind("invalid UTF-8")
        /// A JSON value does not have the shape a `Decodable` type expects.
        public static let typeMismatch = Kind("type mismatch")
        /// An `Encodable` value cannot be turned into JSON.
        public static let unencodable = Kind("unencodable value")
    }

    /// The category of the failure.
    public let kind: Kind
    /// What went wrong and where, such as
    /// `Expecting ',' delimiter at byte 12 near "[1 2]"`.
    public let message: String
    /// The byte offset in the input, for errors found while parsing bytes.
    public let offset: Int?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - kind: The category.
    ///   - message: What went wrong and where.
    ///   - offset: The byte offset in the input, if the error is about bytes.
    public init(kind: Kind, message: String, offset: Int? = nil) {
        self.kind = kind
        self.message = message
        self.offset = offset
    }

    /// The kind and the message, such as `syntax error: Extra data at byte 1 near "01"`.
    public var description: String {
        "\(kind): \(message)"
    }
}

/// A reply from Redis, copied out of hiredis into Swift values.
///
/// In a pipeline or a transaction an error reply is a value of the batch
/// (``error(_:)``); ``RedisConnection/send(_:deadline:)`` throws it instead.
public enum RedisReply: Sendable, Hashable {
    /// A bulk string: arbitrary bytes.
    case bulk([UInt8])
    /// A status reply such as `OK` or `QUEUED`.
    case status(String)
    /// An integer reply.
    case integer(Int64)
    /// The nil reply (a missing value, or an aborted transaction).
    case null
    /// An array reply.
    case array([RedisReply])
    /// An error reply, parsed.
    case error(PotteryError)

    /// The bytes of a bulk or status reply.
    public var bytes: [UInt8]? {
        switch self {
        case .bulk(let bytes): return bytes
        case .status(let text): return Array(text.utf8)
        default: return nil
        }
    }

    /// The value of an integer reply, or of a bulk reply holding a decimal integer.
    public var integer: Int64? {
        switch self {
        case .integer(let value): return value
        case .bulk(let bytes): return Int64(String(decoding: bytes, as: UTF8.self))
        default: return nil
        }
    }

    /// The elements of an array reply.
    public var array: [RedisReply]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// Whether this is the nil reply.
    public var isNull: Bool { self == .null }

    /// The reply itself, or its error thrown.
    @discardableResult
    public func get() throws(PotteryError) -> RedisReply {
        if case .error(let error) = self { throw error }
        return self
    }
}

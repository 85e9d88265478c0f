/// The one error type thrown by PotteryKit.
///
/// A `PotteryError` says what happened (``code``, ``message``), on which server
/// (``server``, a URL with its password masked) and for which Redis key
/// (``key``). Errors that Redis itself answered keep the server's text and its
/// first word (``redisCode``, e.g. `WRONGTYPE`).
///
/// Codes are an extensible struct rather than an enum so new ones can be added
/// without breaking a `switch`; compare with `==` (`error.code == .keyError`).
public struct PotteryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure, named after pottery's (Python's) exception where one exists.
    public var code: Code
    /// A sentence saying what went wrong, for people.
    public var message: String
    /// The Redis key concerned, when there is one (lossy UTF-8 for display).
    public var key: String?
    /// The server concerned, as a URL with its password masked.
    public var server: String?
    /// The first word of a Redis error reply (`WRONGTYPE`, `NOAUTH`, `NOSCRIPT`, ...), if Redis answered one.
    public var redisCode: String?
    /// The error reply's text as the server sent it, when the error is one.
    var serverText: String?
    /// For a lock or ID over several masters: what went wrong on each master
    /// that failed (each naming its server), in the masters' order.
    public var causes: [PotteryError] = []
    /// A fan-out gave up on this server because the outcome was decided without it.
    var wasAbandoned = false

    /// Makes an error.
    public init(_ code: Code, _ message: String, key: String? = nil, server: String? = nil, redisCode: String? = nil) {
        self.code = code
        self.message = message
        self.key = key
        self.server = server
        self.redisCode = redisCode
    }

    /// `Code: message (key K, server S)`.
    public var description: String {
        var text = "\(code.name): \(message)"
        var context: [String] = []
        if let key { context.append("key \(key)") }
        if let server { context.append("server \(server)") }
        if !context.isEmpty { text += " (" + context.joined(separator: ", ") + ")" }
        return text
    }

    /// Returns a copy that names `key`, unless a key is already named.
    func naming(key newKey: RedisKey?) -> PotteryError {
        guard key == nil, let newKey else { return self }
        var copy = self
        copy.key = newKey.description
        return copy
    }
}

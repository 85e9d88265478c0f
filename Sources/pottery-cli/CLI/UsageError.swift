/// A command line that cannot run: unknown command or option, a missing or
/// malformed argument. Always exit status 2, found before any socket is opened.
struct UsageError: Error, Sendable {
    /// The `type` printed in the error object: `UsageError`, or the name of a
    /// PotteryKit code with the usage category (e.g. `InvalidURL`).
    var type: String = "UsageError"
    var message: String
    /// The command line's KEY, once the parser knows it (`null` in the error object before).
    var key: String?

    init(_ message: String) {
        self.message = message
    }

    init(type: String, _ message: String) {
        self.type = type
        self.message = message
    }
}

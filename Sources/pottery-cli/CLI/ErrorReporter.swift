import Glibc
import PotteryKit

/// Prints a failure on stderr as one JSON object and gives its exit status:
/// `{"error": {"key": K or null, "message": "...", "type": "KeyError"}}`.
///
/// `type` is pottery's (or redis-py's) exception name where one exists;
/// `UsageError` for command lines that cannot run. `key` is the Redis key
/// concerned, else the command line's KEY, else `null`. Messages name servers by
/// their masked URL, never with a password.
enum ErrorReporter {
    static func report(_ error: PotteryError) -> ExitStatus {
        emit(type: error.code.name, message: error.message, key: error.key)
        return ExitStatus(for: error.code)
    }

    /// Prints `error` as `report` does, for a run whose exit status says
    /// something else (`lock run` keeps its command's status).
    static func warn(_ error: PotteryError, note: String? = nil) {
        emit(type: error.code.name, message: error.message + (note.map { "; " + $0 } ?? ""), key: error.key)
    }

    static func report(_ error: UsageError) -> ExitStatus {
        emit(type: error.type, message: error.message, key: error.key)
        return .usage
    }

    /// A warning that does not change the outcome: `{"warning": {"message": "...", "type": "..."}}` on stderr.
    static func emitWarning(type: String, message: String) {
        let object: JSONValue = .object(["warning": .object(["type": .string(type), "message": .string(message)])])
        SystemIO.writeAll(PotteryJSON.encode(object) + [UInt8(ascii: "\n")], to: STDERR_FILENO)
    }

    static func emit(type: String, message: String, key: String?) {
        let object: JSONValue = .object([
            "error": .object([
                "type": .string(type),
                "message": .string(message),
                "key": key.map(JSONValue.string) ?? .null,
            ]),
        ])
        SystemIO.writeAll(PotteryJSON.encode(object) + [UInt8(ascii: "\n")], to: STDERR_FILENO)
    }
}

import PotteryKit

/// `cache` verbs: pottery's `redis_cache` hash (``RedisCache``), and `cache
/// run`, which memoizes a command's output across a fleet.
enum CacheCommands {
    static let ttlOption = OptionSpec(
        name: "ttl", value: .text("S"),
        summary: "seconds the whole cache lives after its last use (default 60, pottery's timeout; 0: for ever)")
    static let envOption = OptionSpec(
        name: "env", value: .text("NAMES"),
        summary: "comma-separated environment variables whose values are part of the entry's key too")

    static let structure = StructureSpec(
        "cache", summary: "pottery's redis_cache: memoized results in a Redis hash; cache run memoizes a command",
        verbs: [
            VerbSpec("run", [.key, .text("COMMAND", .command)],
                     options: [ttlOption, envOption, LockCommands.timeoutOption, LockCommands.noWaitOption],
                     summary: "prints COMMAND's stored output and exits with its stored status; runs it (no shell) and stores them when there is no entry",
                     prints: "COMMAND's stdout and exit status, stored or fresh; 75 when another run of the same command is still computing after --timeout (or at once with --no-wait); 127/126 when COMMAND cannot be found or run (nothing stored)",
                     details: CacheRunCommand.details,
                     handler: CacheRunCommand.run),
            VerbSpec("len", [.key],
                     summary: "the number of entries (cache_info().currsize)",
                     prints: "an integer",
                     handler: len),
            VerbSpec("clear", [.key],
                     summary: "deletes every entry (cache_clear())",
                     prints: "null; exit 4 with WrongTypeError, deleting nothing, when KEY holds another Redis type",
                     handler: clear),
        ])

    static func len(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        invocation.print(.int(try RedisCache(invocation.connection, key: invocation.key).count()))
    }

    static func clear(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        try RedisCache(invocation.connection, key: invocation.key).clear()
        return invocation.print(.null)
    }
}

/// The one table of commands: structure -> verbs -> arguments, options,
/// one-line summary, what it prints, handler. Dispatch and help are derived
/// from it, and so are the man page and completions (`pottery-cli __generate`).
/// Each structure declares its verbs next to their handlers
/// (`Commands/<Structure>Commands.swift`); a new structure is one more entry here.
///
/// A verb that mirrors a Python method prints its return value (`None` ->
/// `null`); where pottery returns nothing, some verbs print a count instead,
/// as their `prints` line says.
enum VerbTable {
    static let structures: [StructureSpec] = [
        DictCommands.structure, SetCommands.structure, CounterCommands.structure, ListCommands.structure,
        DequeCommands.structure, QueueCommands.structure, LockCommands.structure, SemaphoreCommands.structure, CacheCommands.structure,
        BloomCommands.structure, HLLCommands.structure,
    ]

    /// Commands that are not about one pottery structure.
    static let operators: [VerbSpec] = [
        VerbSpec("inspect", [.key],
                 summary: "shows what KEY holds: its Redis type, TTL, length, the pottery class it looks like, and its decoded contents",
                 prints: "a JSON object {\"contents\", \"key\", \"kind\", \"length\", \"ttl\", \"type\"}; exit 4 with JSONDecodeError when stored bytes are not pottery JSON (the object is still closed)",
                 details: InspectCommand.details,
                 handler: InspectCommand.run),
        VerbSpec("keys", [.text("PATTERN", .optional)],
                 summary: "lists the keys matching PATTERN (a Redis glob, default every key), found by SCAN",
                 prints: "a JSON array of key strings, streamed in SCAN's order",
                 details: KeysCommand.details,
                 handler: KeysCommand.run),
        NextIDCommand.spec,
    ]

    /// The structure called `name`, building only its own verb table (a
    /// one-shot call needs one of them).
    static func structure(named name: String) -> StructureSpec? {
        switch name {
        case "dict": DictCommands.structure
        case "set": SetCommands.structure
        case "counter": CounterCommands.structure
        case "list": ListCommands.structure
        case "deque": DequeCommands.structure
        case "queue": QueueCommands.structure
        case "lock": LockCommands.structure
        case "semaphore": SemaphoreCommands.structure
        case "cache": CacheCommands.structure
        case "bloom": BloomCommands.structure
        case "hll": HLLCommands.structure
        default: nil
        }
    }

    static func `operator`(named name: String) -> VerbSpec? {
        operators.first { $0.name == name }
    }
}

/// For each structure and each operator command that takes a key, one or two
/// commands as a script would run them (configuration, deduplication, locks
/// in cron jobs, ID generation, inspection), shown by its `--help` and in its
/// part of the man page. The tests run them in order on an empty database and
/// compare what they print; a structure added to ``VerbTable`` needs an entry
/// here (a test says so).
enum ScriptExamples {
    private typealias Step = CommandExample.Step

    private static let table: [String: CommandExample] = [
        "dict": CommandExample(text: "Settings a script reads back:", steps: [
            Step(arguments: ["dict", "set", "config:web", "port", "8080"], output: ["null"]),
            Step(arguments: ["dict", "get", "config:web", "port"], output: ["8080"]),
        ]),
        "set": CommandExample(text: "Remember what was seen; the exit status answers for if:", steps: [
            Step(arguments: ["set", "add", "seen:emails", "a@example.com", "b@example.com"], output: ["2"]),
            Step(arguments: ["set", "contains", "seen:emails", "c@example.com"], output: ["false"], status: 1),
        ]),
        "counter": CommandExample(text: "Count hits, then read the top one:", steps: [
            Step(arguments: ["counter", "update", "hits", "/home", "/home", "/about"], output: ["null"]),
            Step(arguments: ["counter", "most-common", "hits", "1"], output: [#"[["/home", 2]]"#]),
        ]),
        "list": CommandExample(text: "A log of deploys; --raw prints the last one bare:", steps: [
            Step(arguments: ["list", "extend", "deploys", "v1.0", "v1.1"], output: ["null"]),
            Step(arguments: ["--raw", "list", "get", "deploys", "-1"], output: ["v1.1"]),
        ]),
        "deque": CommandExample(text: "The last 100 logins, older ones dropped:", steps: [
            Step(arguments: ["deque", "append", "recent:logins", "alice", "--maxlen", "100"], output: ["null"]),
            Step(arguments: ["deque", "items", "recent:logins"], output: [#"["alice"]"#]),
        ]),
        "queue": CommandExample(text: "A producer puts a job; a worker takes it (--no-wait: exit 1 when none):", steps: [
            Step(arguments: ["queue", "put", "jobs", #"{"id": 1}"#], output: ["null"]),
            Step(arguments: ["queue", "get", "jobs", "--no-wait"], output: [#"{"id": 1}"#]),
        ]),
        "lock": CommandExample(text: "A cron job that runs on one machine at a time (exit 75 when another holds the lock):", steps: [
            Step(arguments: ["lock", "run", "nightly-backup", "--no-wait", "--", "echo", "backing", "up"],
                 output: ["backing up"]),
        ]),
        "semaphore": CommandExample(text: "At most two renders at once, across machines:", steps: [
            Step(arguments: ["semaphore", "run", "render", "--limit", "2", "--no-wait", "--", "echo", "rendering"],
                 output: ["rendering"]),
        ]),
        "cache": CommandExample(text: "Run an expensive command once per five minutes; later runs print its stored output:", steps: [
            Step(arguments: ["cache", "run", "expensive", "--ttl", "300", "--", "echo", "computed"], output: ["computed"]),
        ]),
        "bloom": CommandExample(text: "Remember what was seen, in a fixed number of bits (maybe-yes, surely-no):", steps: [
            Step(arguments: ["bloom", "add", "seen", "alice", "bob", "--num-elements", "1000", "--false-positives", "0.01"],
                 output: ["null"]),
            Step(arguments: ["bloom", "contains", "seen", "alice", "--num-elements", "1000", "--false-positives", "0.01"],
                 output: ["true"]),
        ]),
        "hll": CommandExample(text: "Count distinct visitors in 12 KB, whatever their number:", steps: [
            Step(arguments: ["hll", "add", "visitors", "alice", "bob", "alice"], output: ["null"]),
            Step(arguments: ["hll", "count", "visitors"], output: ["2"]),
        ]),
        "nextid": CommandExample(text: "IDs no other client receives, one or a block:", steps: [
            Step(arguments: ["nextid", "order-ids"], output: ["1"]),
            Step(arguments: ["nextid", "order-ids", "--count", "3"], output: ["[2, 3, 4]"]),
        ]),
        "inspect": CommandExample(text: "What a key holds:", steps: [
            Step(arguments: ["inspect", "config:web"],
                 output: [#"{"contents": [["port", 8080]], "key": "config:web", "kind": "RedisDict", "length": 1, "ttl": -1, "type": "hash"}"#]),
        ]),
        "keys": CommandExample(text: "Which keys match a pattern:", steps: [
            Step(arguments: ["keys", "config:*"], output: [#"["config:web"]"#]),
        ]),
    ]

    /// The order in which the tests run them: as ``VerbTable`` lists the
    /// commands (`inspect` and `keys` read what `dict` wrote).
    static var all: [(command: String, example: CommandExample)] {
        (VerbTable.structures.map(\.name) + VerbTable.operators.map(\.name)).compactMap { name in
            table[name].map { (name, $0) }
        }
    }

    /// The example of a structure or operator command, if it has one.
    static func example(for command: String) -> CommandExample? {
        table[command]
    }
}

/// The options every command takes, parsed once from the lexed tokens.
///
/// A repeated single-valued option keeps its last value; `--master`
/// accumulates; `--strings` and `--json` are one setting (the last one wins).
struct GlobalOptions: Sendable {
    var url: String?
    /// `--master URL`, in order. Accepted and checked now, used by locks and IDs later.
    var masters: [String] = []
    var passwordFile: String?
    var connectTimeout: String?
    var ioTimeout: String?
    var pretty = false
    var raw = false
    var elementMode: ElementArguments.Mode = .auto
    var help = false
    var version = false

    static let specs: [OptionSpec] = [
        OptionSpec(name: "url", value: .text("URL"),
                   summary: "the Redis server: redis://[[user]:password@]host[:port][/db] or unix:///path/redis.sock[?db=N], or a Redis Cluster: redis+cluster://[[user]:password@]host:port[,host:port...] (any live seed; multi-key work needs one {hash tag}); default $REDIS_URL, else redis://localhost:6379/0"),
        OptionSpec(name: "master", value: .text("URL"),
                   summary: "a Redlock/NextID master (repeatable; default $POTTERY_MASTERS, else --url); used by lock and nextid"),
        OptionSpec(name: "password-file", value: .text("FILE"),
                   summary: "read the password from FILE (trailing newline dropped) when the URL has none; else $REDISCLI_AUTH. A FILE other users can read gets a warning on stderr"),
        OptionSpec(name: "connect-timeout", value: .text("S"),
                   summary: "seconds allowed to connect (default 1)"),
        OptionSpec(name: "io-timeout", value: .text("S"),
                   summary: "seconds allowed per read or write (default 5)"),
        OptionSpec(name: "pretty", value: .none, summary: "indent JSON output"),
        OptionSpec(name: "raw", value: .none,
                   summary: "print a string result bare and an array one element per line (strings bare, others as JSON)"),
        OptionSpec(name: "strings", value: .none, summary: "read every element argument as a literal string"),
        OptionSpec(name: "json", value: .none, summary: "require every element argument to be valid JSON (else exit 2)"),
        OptionSpec(name: "help", shortName: "h", value: .none, summary: "print help for the command given and exit 0"),
        OptionSpec(name: "version", value: .none, summary: "print the version and exit 0"),
    ]

    static let names: Set<String> = Set(specs.map(\.name))

    /// The environment variables that stand in for options, with one line
    /// each: the man page's ENVIRONMENT.
    static let environment: [(name: String, meaning: String)] = [
        ("REDIS_URL", "the Redis server when --url is not given; else redis://localhost:6379/0, pottery's default"),
        ("REDISCLI_AUTH", "the password when neither the URL nor --password-file gives one, as for redis-cli"),
        ("POTTERY_MASTERS", "the Redlock/NextID masters when no --master is given, separated by spaces or commas; "
            + "else the one --url"),
    ]

    /// Reads the global options out of `tokens`; other tokens are ignored.
    init(tokens: [ArgumentLexer.Token]) {
        for token in tokens {
            guard case .option(let name, let value) = token.kind else { continue }
            switch name {
            case "url": url = value
            case "master": masters.append(value ?? "")
            case "password-file": passwordFile = value
            case "connect-timeout": connectTimeout = value
            case "io-timeout": ioTimeout = value
            case "pretty": pretty = true
            case "raw": raw = true
            case "strings": elementMode = .strings
            case "json": elementMode = .json
            case "help": help = true
            case "version": version = true
            default: break
            }
        }
    }
}

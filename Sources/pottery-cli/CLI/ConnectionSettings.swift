import PotteryKit
import Synchronization

/// Builds the Redis configuration from the global options and the
/// environment, checking everything before any socket is opened.
enum ConnectionSettings {
    static let defaultConnectTimeout: Duration = .seconds(1)
    static let defaultIOTimeout: Duration = .seconds(5)

    /// `--url`, else `$REDIS_URL` (unless empty), else pottery's `redis://localhost:6379/0`;
    /// the password from the URL, else `--password-file`, else `$REDISCLI_AUTH`;
    /// then the two time limits.
    static func configuration(_ options: GlobalOptions) throws(UsageError) -> RedisConfiguration {
        // An empty `$REDIS_URL` counts as unset, as an empty `$REDISCLI_AUTH` or `$POTTERY_MASTERS` does.
        let environmentURL = SystemIO.environment("REDIS_URL").flatMap { $0.isEmpty ? nil : $0 }
        let url = options.url ?? environmentURL ?? RedisConfiguration.defaultURL
        var configuration = try parse(url: url, option: options.url == nil ? "$REDIS_URL" : "--url")
        for master in options.masters {
            _ = try parse(url: master, option: "--master")
        }
        if configuration.password == nil {
            configuration.password = try sharedPassword(options)
        }
        configuration.connectTimeout = try seconds(options.connectTimeout, option: "--connect-timeout")
            ?? defaultConnectTimeout
        configuration.ioTimeout = try seconds(options.ioTimeout, option: "--io-timeout") ?? defaultIOTimeout
        return configuration
    }

    /// The Redlock / NextID masters: each `--master`, else each URL of
    /// `$POTTERY_MASTERS` (space- or comma-separated), else the `--url` server
    /// itself. The password file or `$REDISCLI_AUTH` and both time limits
    /// apply to each master whose URL has no password.
    static func masters(_ options: GlobalOptions, base: RedisConfiguration) throws(UsageError) -> [RedisConnection] {
        var urls = options.masters
        var origin = "--master"
        if urls.isEmpty, let listed = SystemIO.environment("POTTERY_MASTERS") {
            urls = listed.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\n" || $0 == "\t" }).map(String.init)
            origin = "$POTTERY_MASTERS"
        }
        guard !urls.isEmpty else { return [RedisConnection(base)] }
        var seen = Set<String>()
        var masters: [RedisConnection] = []
        for url in urls {
            var configuration = try parse(url: url, option: origin)
            // The same server under two names (127.0.0.1, localhost) would split every vote.
            let endpoints = urls.count > 1 ? configuration.resolvedEndpoints() : []
            guard seen.isDisjoint(with: endpoints) else {
                throw UsageError("\(origin): \(configuration.maskedURL) is given twice (perhaps under another name); "
                                 + "masters must be independent servers")
            }
            seen.formUnion(endpoints)
            if configuration.password == nil {
                configuration.password = try sharedPassword(options)
            }
            configuration.connectTimeout = base.connectTimeout
            configuration.ioTimeout = base.ioTimeout
            masters.append(RedisConnection(configuration))
        }
        return masters
    }

    private static func parse(url: String, option: String) throws(UsageError) -> RedisConfiguration {
        do {
            return try RedisConfiguration(url: url)
        } catch {
            // The message masks any password in the URL.
            throw UsageError(type: error.code.name, "\(option): \(error.message)")
        }
    }

    /// The password of `--password-file`, else `$REDISCLI_AUTH`, for URLs that carry none.
    private static func sharedPassword(_ options: GlobalOptions) throws(UsageError) -> String? {
        if let file = options.passwordFile { return try readPassword(file) }
        if let password = SystemIO.environment("REDISCLI_AUTH"), !password.isEmpty { return password }
        return nil
    }

    /// The file's text without its trailing newline (`\n` or `\r\n`).
    private static func readPassword(_ path: String) throws(UsageError) -> String {
        var bytes: [UInt8]
        switch SystemIO.readFile(path) {
        case .success(let content): bytes = content
        case .failure(let error): throw UsageError("--password-file: \(error.message)")
        }
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard let password = String(validating: bytes, as: UTF8.self) else {
            throw UsageError("--password-file: \(path) is not UTF-8 text")
        }
        // Read once for the --url server and once per master: warn once.
        if SystemIO.isReadableByOthers(path), warnedOfPasswordFile.withLock({ $0.insert(path).inserted }) {
            ErrorReporter.emitWarning(type: "InsecurePasswordFile",
                                      message: "--password-file: \(path) can be read by other users; chmod 600 it")
        }
        return password
    }

    /// The password files already warned about in this process.
    private static let warnedOfPasswordFile = Mutex<Set<String>>([])

    /// A positive, finite number of seconds (at most 10^6).
    private static func seconds(_ text: String?, option: String) throws(UsageError) -> Duration? {
        guard let text else { return nil }
        guard let value = OptionValues.decimal(text), value.isFinite, value > 0, value <= 1_000_000 else {
            throw UsageError("\(option) needs a number of seconds > 0 (at most 1000000), got \(text)")
        }
        return .seconds(value)
    }
}

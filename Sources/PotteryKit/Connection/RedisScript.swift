/// A Lua script, run by `EVALSHA` with a fallback to `EVAL` when the server
/// does not know it yet (`NOSCRIPT`, e.g. after `SCRIPT FLUSH` or a restart).
public struct RedisScript: Sendable, Hashable {
    /// The Lua source.
    public let source: String
    /// The source's UTF-8 bytes, made once: `EVAL` sends them on every call.
    let sourceBytes: [UInt8]
    /// The SHA1 of the source, lowercase hex: the script's name in the server's cache.
    public let sha1: String

    /// A script with the given Lua source.
    public init(_ source: String) {
        self.source = source
        self.sourceBytes = Array(source.utf8)
        self.sha1 = SHA1.hexDigest(Array(source.utf8))
    }

    /// `EVALSHA sha numkeys keys... args...`, which falls back to `EVAL` by
    /// itself when the server answers `NOSCRIPT` (in any exchange, a fan-out included;
    /// queued in a transaction it is sent as `EVAL`). A connection sends a
    /// script's first call as `EVAL`, which caches it on the server.
    ///
    /// - Note: in a pipeline, the fallback `EVAL` is sent when the `NOSCRIPT`
    ///   reply arrives, so the commands after the script in the same batch have
    ///   already run when the script runs (its reply still takes its own place).
    ///   When the order matters, run the script alone, inside a transaction, or
    ///   use ``RedisScript/evalCommand(keys:arguments:)``.
    public func command(keys: [RedisKey] = [], arguments: [[UInt8]] = []) -> RedisCommand {
        var command = RedisCommand("EVALSHA")
        command.append(sha1)
        command.append(keys.count)
        command.append(keys: keys)
        for argument in arguments { command.append(bytes: argument) }
        command.scriptSource = sourceBytes
        return command
    }
}

extension RedisScript {
    /// `EVAL source numkeys keys... args...`: the script's whole text every
    /// time. Redis hashes the text on every call (an `EVAL` of a short script
    /// costs the server about three times its `EVALSHA`), so prefer
    /// ``command(keys:arguments:)``: even a fan-out that returns once decided
    /// runs its `EVALSHA` on the masters left behind, since the `NOSCRIPT`
    /// answer of one is dropped by sending the `EVAL` in its place. `EVAL`
    /// keeps a pipeline's order where a `NOSCRIPT` would not.
    public func evalCommand(keys: [RedisKey] = [], arguments: [[UInt8]] = []) -> RedisCommand {
        var command = RedisCommand("EVAL")
        command.append(bytes: sourceBytes)
        command.append(keys.count)
        command.append(keys: keys)
        for argument in arguments { command.append(bytes: argument) }
        return command
    }
}

extension RedisCommand {
    /// The `EVAL` form of an `EVALSHA` made by ``RedisScript/command(keys:arguments:)``.
    var scriptFallback: RedisCommand? {
        guard let scriptSource else { return nil }
        var eval = RedisCommand("EVAL")
        eval.append(bytes: scriptSource)
        var index = 2
        while index < count {
            if isKey(at: index) { eval.append(key: RedisKey(bytes: Array(argument(index)))) } else { eval.append(bytes: argument(index)) }
            index += 1
        }
        return eval
    }
}

extension RedisConnection {
    /// Runs `script` with `keys` (as `KEYS`) and `arguments` (as `ARGV`).
    ///
    /// Sends `EVALSHA`; if the server answers `NOSCRIPT`, sends `EVAL`, which
    /// also caches the script. Both happen under one lock hold.
    /// - Throws: ``PotteryError`` for I/O failures and for an error the script raises.
    @discardableResult
    public func evaluate(_ script: RedisScript, keys: [RedisKey] = [], arguments: [[UInt8]] = [],
                         deadline: ContinuousClock.Instant? = nil) throws(PotteryError) -> RedisReply {
        try send(script.command(keys: keys, arguments: arguments), deadline: deadline)
    }
}

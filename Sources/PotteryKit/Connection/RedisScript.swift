/// A Lua script, run by `EVALSHA` with a fallback to `EVAL` when the server
/// does not know it yet (`NOSCRIPT`, e.g. after `SCRIPT FLUSH` or a restart).
public struct RedisScript: Sendable, Hashable {
    /// The Lua source.
    public let source: String
    /// The SHA1 of the source, lowercase hex: the script's name in the server's cache.
    public let sha1: String

    /// A script with the given Lua source.
    public init(_ source: String) {
        self.source = source
        self.sha1 = SHA1.hexDigest(Array(source.utf8))
    }

    func command(_ name: String, keys: [RedisKey], arguments: [[UInt8]]) -> RedisCommand {
        var command = RedisCommand(name)
        command.append(name == "EVALSHA" ? sha1 : source)
        command.append(keys.count)
        command.append(keys: keys)
        for argument in arguments { command.append(bytes: argument) }
        return command
    }
}

extension RedisConnection {
    /// Runs `script` with `keys` (as `KEYS`) and `arguments` (as `ARGV`).
    ///
    /// Sends `EVALSHA`; if the server answers `NOSCRIPT`, sends `EVAL`, which
    /// also caches the script. Both happen under one lock hold.
    /// - Throws: ``PotteryError`` for I/O failures and for an error the script raises.
    @discardableResult
    public func evaluate(_ script: RedisScript, keys: [RedisKey] = [], arguments: [[UInt8]] = []) throws(PotteryError) -> RedisReply {
        do {
            return try runScript(script, keys: keys, arguments: arguments)
        } catch {
            throw error.naming(key: keys.first)
        }
    }

    private func runScript(_ script: RedisScript, keys: [RedisKey], arguments: [[UInt8]]) throws(PotteryError) -> RedisReply {
        try withContext { context throws(PotteryError) in
            let bySHA = script.command("EVALSHA", keys: keys, arguments: arguments)
            let reply = try Self.exchange([bySHA], on: context)[0]
            if case .error(let error) = reply, error.redisCode == "NOSCRIPT" {
                let bySource = script.command("EVAL", keys: keys, arguments: arguments)
                return try Self.exchange([bySource], on: context)[0].get()
            }
            return try reply.get()
        }
    }
}

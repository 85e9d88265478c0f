internal import CHiredis

/// Random key names, as pottery's `random_key()`: `pottery:` followed by a
/// lowercase UUID4.
enum RandomKey {
    /// Picks a key that does not exist yet on `connection` (`EXISTS`), trying at most `attempts` names.
    /// - Throws: ``PotteryError/Code/randomKeyError`` when every name tried exists.
    static func make(on connection: RedisConnection, prefix: String = "pottery:", attempts: Int = 3) throws(PotteryError) -> RedisKey {
        for _ in 0..<attempts {
            let key = RedisKey(prefix + uuid4())
            if try connection.send(RedisCommand("EXISTS", key: key)) == .integer(0) { return key }
        }
        throw PotteryError(.randomKeyError, "no free random key after \(attempts) attempts", server: connection.server)
    }

    /// Picks a fresh name for a temporary key that is used together with `key`
    /// (one script, transaction or multi-key command): `pottery:<uuid4>` on one server,
    /// as pottery names them; on a cluster `pottery:{<tag>}<uuid4>`, whose hash tag
    /// puts it in `key`'s slot.
    static func temporary(beside key: RedisKey, on connection: RedisConnection) -> RedisKey {
        guard connection.configuration.isCluster else { return RedisKey("pottery:" + uuid4()) }
        return RedisKey("pottery:{" + HashSlot.tag(forSlot: HashSlot.of(key.bytes)) + "}" + uuid4())
    }

    /// ``make(on:prefix:attempts:)`` for a key used together with `key` (see ``temporary(beside:on:)``).
    static func make(on connection: RedisConnection, beside key: RedisKey, attempts: Int = 3) throws(PotteryError) -> RedisKey {
        for _ in 0..<attempts {
            let candidate = temporary(beside: key, on: connection)
            if try connection.send(RedisCommand("EXISTS", key: candidate)) == .integer(0) { return candidate }
        }
        throw PotteryError(.randomKeyError, "no free random key after \(attempts) attempts", server: connection.server)
    }

    /// A random UUID version 4, lowercase with hyphens.
    static func uuid4() -> String {
        var bytes = randomBytes16()
        bytes[6] = bytes[6] & 0x0f | 0x40
        bytes[8] = bytes[8] & 0x3f | 0x80
        return String(unsafeUninitializedCapacity: 36) { out in
            var position = 0
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    out[position] = UInt8(ascii: "-")
                    position += 1
                }
                out[position] = hexDigit(bytes[index] >> 4)
                out[position + 1] = hexDigit(bytes[index] & 0xf)
                position += 2
            }
            return position
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }

    /// 16 bytes from the kernel's CSPRNG, taken from the thread's pool of `getrandom(2)`
    /// bytes (`pottery_random_pooled`: one system call per 32 tokens, each byte handed out
    /// once, none shared with a forked child; the standard library's generator makes one
    /// call per 8 bytes).
    private static func randomBytes16() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 16)
        let status = bytes.withUnsafeMutableBytes { pottery_random_pooled($0.baseAddress, 16) }
        if status != 0 {  // interrupted or unavailable: the standard library's way
            var generator = SystemRandomNumberGenerator()
            for index in bytes.indices { bytes[index] = generator.next() }
        }
        return bytes
    }
}

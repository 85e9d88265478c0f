/// The Lua script of ``HyperLogLog``'s membership test: it validates the HLL
/// before it writes anything, and deletes its temporary key on every path.
enum HyperLogLogScripts {
    /// KEYS: hll. Deletes it unless it holds something `PFCOUNT` refuses (another
    /// Redis type, or a string that is not an HLL): then that `WRONGTYPE` error.
    static let clear = RedisScript("""
        local valid = redis.pcall('PFCOUNT', KEYS[1])
        if type(valid) == 'table' and valid.err then return valid end
        return redis.call('UNLINK', KEYS[1])
        """)

    /// KEYS: hll, tmp. ARGV: elements' JSON bytes. pottery's membership test for
    /// each element (copy the HLL, add the element to the copy, see whether a
    /// register changed), atomically; returns 1 (maybe present) or 0 per element.
    static let containsMany = RedisScript("""
        local valid = redis.pcall('PFCOUNT', KEYS[1])
        if type(valid) == 'table' and valid.err then return valid end
        if redis.call('EXISTS', KEYS[2]) == 1 then return redis.error_reply('ERR temporary key exists') end
        local answers = {}
        if redis.call('EXISTS', KEYS[1]) == 0 then
          for i = 1, #ARGV do answers[i] = 0 end
          return answers
        end
        for i = 1, #ARGV do
          redis.call('COPY', KEYS[1], KEYS[2], 'REPLACE')
          local changed = redis.pcall('PFADD', KEYS[2], ARGV[i])
          if type(changed) == 'table' and changed.err then
            redis.call('UNLINK', KEYS[2])
            return changed
          end
          answers[i] = 1 - changed
        end
        redis.call('UNLINK', KEYS[2])
        return answers
        """)
}

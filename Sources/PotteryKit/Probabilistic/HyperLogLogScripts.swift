/// The Lua scripts of ``HyperLogLog``: each validates the HLL before it writes
/// anything, and deletes its temporary key (if any) on every path.
enum HyperLogLogScripts {
    /// Lua, after `local kind = redis.call('TYPE', KEYS[1]).ok` and the script's own
    /// answer for a missing key: the `WRONGTYPE` error `PFADD` gives for a key of
    /// another Redis type. (A string that is not an HLL is left to the HLL commands.)
    private static let refuseOtherTypes =
        "if kind ~= 'string' then return redis.error_reply('WRONGTYPE Operation against a key holding the wrong kind of value') end"

    /// KEYS: hll. Deletes it unless it holds something `PFCOUNT` refuses (another
    /// Redis type, or a string that is not an HLL): then that `WRONGTYPE` error.
    static let clear = RedisScript("""
        local valid = redis.pcall('PFCOUNT', KEYS[1])
        if type(valid) == 'table' and valid.err then return valid end
        return redis.call('UNLINK', KEYS[1])
        """)

    /// KEYS: hll, tmp. Returns 1 when the HLL is missing or valid, else the
    /// `WRONGTYPE` error `PFCOUNT` gives; checked on a copy, since `PFCOUNT`
    /// stores its estimate in the header of the HLL it counts.
    static let validate = RedisScript("""
        local kind = redis.call('TYPE', KEYS[1]).ok
        if kind == 'none' then return 1 end
        \(refuseOtherTypes)
        redis.call('COPY', KEYS[1], KEYS[2], 'REPLACE')
        local valid = redis.pcall('PFCOUNT', KEYS[2])
        redis.call('UNLINK', KEYS[2])
        if type(valid) == 'table' and valid.err then return valid end
        return 1
        """)

    /// KEYS: hll. ARGV: elements' JSON bytes. pottery's update, byte for byte:
    /// pottery sends `PFMERGE hll` (which creates the HLL and marks the estimate
    /// `PFCOUNT` caches in its header as stale, even when no register changes),
    /// then `PFADD`. `PFMERGE` of a lone key rewrites all 16,384 registers (about
    /// 140 µs of server time on a dense HLL); its only effect on the bytes is
    /// that stale mark (bit 7 of header byte 15), so this `PFADD`s the elements
    /// (in chunks, for Lua's `unpack`) and then sets the mark itself.
    /// Returns 1 when a register changed.
    static let add = RedisScript("""
        local changed = 0
        for first = 1, #ARGV, 4000 do
          local added = redis.pcall('PFADD', KEYS[1], unpack(ARGV, first, math.min(first + 3999, #ARGV)))
          if type(added) == 'table' and added.err then return added end
          if added == 1 then changed = 1 end
        end
        local mark = string.byte(redis.call('GETRANGE', KEYS[1], 15, 15))
        if mark and mark < 128 then redis.call('SETRANGE', KEYS[1], 15, string.char(mark + 128)) end
        return changed
        """)

    /// KEYS: hll. Queued after `PFADD hll elements...` in one `MULTI`: the rest of
    /// pottery's `PFMERGE hll; PFADD hll elements...` (whose lone-key `PFMERGE` changes
    /// no register and only marks the cached estimate stale: bit 7 of header byte 15).
    /// `PFADD` marks it itself when it changes a register; this marks it when none
    /// changed, after checking the key as `PFADD` does (Redis' `isHLLObjectOrReply`:
    /// a string of at least 16 bytes, `HYLL`, encoding 0 (dense, exactly 12,304 bytes)
    /// or 1 (sparse)), so a key the queued `PFADD` refused is left as it is (another
    /// Redis type makes `GETRANGE` fail). One `redis.call` when the mark is set
    /// already. The elements never pass through Lua, which costs about half a
    /// microsecond of server time per element.
    static let markStale = RedisScript("""
        local header = redis.call('GETRANGE', KEYS[1], 0, 15)
        if #header < 16 or string.byte(header, 16) >= 128 or string.sub(header, 1, 4) ~= 'HYLL' then return 0 end
        local encoding = string.byte(header, 5)
        if encoding > 1 or (encoding == 0 and redis.call('STRLEN', KEYS[1]) ~= 12304) then return 0 end
        redis.call('SETRANGE', KEYS[1], 15, string.char(string.byte(header, 16) + 128))
        return 0
        """)

    /// KEYS: hll, tmp. ARGV: registers in Redis' dense encoding. When the HLL is
    /// dense, merges the registers in (`PFMERGE hll tmp`, the temporary key deleted
    /// whatever it answers) and returns 1: the bytes pottery's `PFADD` of the same
    /// elements leaves, since a dense HLL stays dense, `PFADD` and `PFMERGE` set the same
    /// registers and both mark the cached estimate stale. Otherwise (missing, sparse,
    /// or no HLL) writes nothing and returns 0: the caller `PFADD`s the elements,
    /// which keeps a sparse HLL sparse exactly when pottery's stays sparse (and
    /// reports a key that is no HLL). Another Redis type is `WRONGTYPE`.
    static let mergeIntoDense = RedisScript("""
        local kind = redis.call('TYPE', KEYS[1]).ok
        if kind == 'none' then return 0 end
        \(refuseOtherTypes)
        if redis.call('GETRANGE', KEYS[1], 0, 4) ~= 'HYLL\\0' then return 0 end
        if redis.call('EXISTS', KEYS[2]) == 1 then return redis.error_reply('ERR temporary key exists') end
        redis.call('SET', KEYS[2], ARGV[1])
        local merged = redis.pcall('PFMERGE', KEYS[1], KEYS[2])
        redis.call('UNLINK', KEYS[2])
        if type(merged) == 'table' and merged.err then return merged end
        return 1
        """)

    /// KEYS: hll, tmp. ARGV: elements' JSON bytes. pottery's membership test for
    /// each element (copy the HLL, add the element to the copy, see whether a
    /// register changed), atomically; returns 1 (maybe present) or 0 per element.
    /// The HLL itself is only read: its validity is checked with `PFCOUNT` on
    /// the copy (`PFCOUNT` stores its estimate in the HLL's header, which
    /// pottery's test never does, so the bytes stay pottery's).
    static let containsMany = RedisScript("""
        local kind = redis.call('TYPE', KEYS[1]).ok
        if kind == 'none' then
          local answers = {}
          for i = 1, #ARGV do answers[i] = 0 end
          return answers
        end
        \(refuseOtherTypes)
        if redis.call('EXISTS', KEYS[2]) == 1 then return redis.error_reply('ERR temporary key exists') end
        redis.call('COPY', KEYS[1], KEYS[2])
        local valid = redis.pcall('PFCOUNT', KEYS[2])
        if type(valid) == 'table' and valid.err then
          redis.call('UNLINK', KEYS[2])
          return valid
        end
        local answers = {}
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

/// The Lua scripts of ``BloomFilter``: each checks the key's type (and, when
/// the filter guards its sizing, the sizing record) before it writes anything,
/// so a refused call changes nothing.
enum BloomFilterScripts {
    /// `guard(filter, sizing, record, writing)`: nil when the call may go on;
    /// an error reply for a key of another type; `{0, stored}` when the
    /// recorded sizing places bits elsewhere; `{0, '', length}` when the
    /// filter is longer than this sizing's bits fill (`ceil(m/8)` bytes): it was
    /// made with other sizing (by pottery, which records none), whatever the record says.
    /// A record whose m the filter has outgrown is stale (pottery cleared the filter and
    /// made it anew with other sizing) and gives way to the call's sizing, which fits. Records the sizing on first use
    /// (any call on an existing filter, a write on a missing one); a record
    /// left beside a missing filter is stale and is replaced by a write.
    static let prelude = """
        local function shape(record)
          return string.match(record, '"num_hashes": (%d+), "size": (%d+)}$')
        end
        local function guard(filter, sizing, record, writing)
          local kind = redis.call('TYPE', filter)['ok']
          if kind ~= 'string' and kind ~= 'none' then
            return redis.error_reply('WRONGTYPE Operation against a key holding the wrong kind of value')
          end
          if sizing == nil or record == '' then return nil end
          if kind == 'none' then
            if writing then redis.call('SET', sizing, record) end
            return nil
          end
          local _, size = shape(record)
          local length = redis.call('STRLEN', filter)
          if size ~= nil and length > math.floor((tonumber(size) + 7) / 8) then return {0, '', length} end
          local stored = redis.call('GET', sizing)
          if not stored then
            redis.call('SET', sizing, record)
            return nil
          end
          local k1, m1 = shape(stored)
          local k2, m2 = shape(record)
          if k1 ~= nil and k1 == k2 and m1 == m2 then return nil end
          if m1 ~= nil and length > math.floor((tonumber(m1) + 7) / 8) then
            redis.call('SET', sizing, record)  -- the filter outgrew its record: pottery cleared and remade it
            return nil
          end
          return {0, stored}
        end

        """

    /// KEYS: filter, tmp[, sizing]. ARGV: record ('' unguarded), TTL in ms ('0': none).
    /// ORs the bitmap staged at tmp into the filter (a streamed update's last
    /// step). tmp is gone afterwards, whatever happens. `BITOP` stores a new
    /// value, which drops the filter's expiry: it is put back (pottery's
    /// `SETBIT` keeps it), unless ARGV[2] sets one.
    static let orBitmap = RedisScript(prelude + """
        local refused = guard(KEYS[1], KEYS[3], ARGV[1], true)
        if refused then
          redis.call('UNLINK', KEYS[2])
          return refused
        end
        local expiry = redis.call('PTTL', KEYS[1])
        local done = redis.pcall('BITOP', 'OR', KEYS[1], KEYS[1], KEYS[2])
        redis.call('UNLINK', KEYS[2])
        if type(done) == 'table' and done.err then return done end
        if ARGV[2] ~= '0' then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
        elseif expiry > 0 then
          redis.call('PEXPIRE', KEYS[1], expiry)
        end
        return 1
        """)

    /// KEYS: filter, sizing. ARGV: record, '1' for a write ('0' for a read). Returns 1.
    static let check = RedisScript(prelude + """
        local refused = guard(KEYS[1], KEYS[2], ARGV[1], ARGV[2] == '1')
        if refused then return refused end
        return 1
        """)

    /// KEYS: filter, sizing. Deletes both unless the filter holds another type.
    static let clear = RedisScript("""
        local kind = redis.call('TYPE', KEYS[1])['ok']
        if kind ~= 'string' and kind ~= 'none' then
          return redis.error_reply('WRONGTYPE Operation against a key holding the wrong kind of value')
        end
        return redis.call('UNLINK', KEYS[1], KEYS[2])
        """)
}

/// The Lua scripts of a ``RedisSemaphore``: one per operation, so each is
/// atomic on the server. Time is the server's (`TIME`), never a client's.
///
/// KEYS: 1 `semaphore:{KEY}` (holders: a sorted set, token -> lease end, ms),
/// 2 `semaphore:{KEY}:waiters` (token -> arrival, µs), 3
/// `semaphore:{KEY}:waiting` (token -> the waiter's own lease end, ms), 4
/// `semaphore:{KEY}:limit` (the limit the last caller asked for). Every key
/// expires when the last lease in it ends, so nothing outlives its holders.
enum SemaphoreScripts {
    /// Refuses keys of another type before anything changes, reads the
    /// server's clock, drops expired holders and waiters, and defines `keep()`,
    /// which sets each key's expiry to its last lease.
    private static let prelude = """
        local kinds = {'zset', 'zset', 'zset', 'string'}
        for i = 1, 4 do
            local kind = redis.call('type', KEYS[i]).ok
            if kind ~= 'none' and kind ~= kinds[i] then
                return redis.error_reply('WRONGTYPE Operation against a key holding the wrong kind of value')
            end
        end
        local time = redis.call('time')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        redis.call('zremrangebyscore', KEYS[1], '-inf', now)
        local gone = redis.call('zrangebyscore', KEYS[3], '-inf', now)
        for i = 1, #gone do redis.call('zrem', KEYS[2], gone[i]) end
        redis.call('zremrangebyscore', KEYS[3], '-inf', now)
        local function keep()
            local last = 0
            local held = redis.call('zrange', KEYS[1], -1, -1, 'withscores')
            if held[2] then
                last = tonumber(held[2])
                redis.call('pexpireat', KEYS[1], last)
            end
            local waiting = redis.call('zrange', KEYS[3], -1, -1, 'withscores')
            if waiting[2] then
                local until_ = tonumber(waiting[2])
                redis.call('pexpireat', KEYS[2], until_)
                redis.call('pexpireat', KEYS[3], until_)
                if until_ > last then last = until_ end
            end
            if last > 0 then redis.call('pexpireat', KEYS[4], last) else redis.call('del', KEYS[4]) end
        end

        """

    /// ARGV: token, limit, lease ms, `1` to queue as a waiter when not admitted,
    /// the waiter's lease ms. Admits when the holders plus the waiters queued
    /// ahead of this token are below the limit (arrival order: a newcomer never
    /// overtakes a waiter). Returns `{1, holders}` when admitted, else `{0, holders, ahead}`.
    static let acquire = RedisScript(prelude + """
        local limit = tonumber(ARGV[2])
        local holders = redis.call('zcard', KEYS[1])
        local rank = redis.call('zrank', KEYS[2], ARGV[1])
        local ahead = rank or redis.call('zcard', KEYS[2])
        if holders + ahead < limit then
            redis.call('zadd', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
            if rank then
                redis.call('zrem', KEYS[2], ARGV[1])
                redis.call('zrem', KEYS[3], ARGV[1])
            end
            redis.call('set', KEYS[4], ARGV[2])
            keep()
            return {1, holders + 1}
        end
        if ARGV[4] == '1' then
            if not rank then
                redis.call('zadd', KEYS[2], tonumber(time[1]) * 1000000 + tonumber(time[2]), ARGV[1])
            end
            redis.call('zadd', KEYS[3], now + tonumber(ARGV[5]), ARGV[1])
            redis.call('set', KEYS[4], ARGV[2])
            keep()
        end
        return {0, holders, ahead}
        """)

    /// ARGV: token. Drops the permit (and the token's place among the
    /// waiters); 1 when it was held, else 0.
    static let release = RedisScript(prelude + """
        local released = redis.call('zrem', KEYS[1], ARGV[1])
        redis.call('zrem', KEYS[2], ARGV[1])
        redis.call('zrem', KEYS[3], ARGV[1])
        keep()
        return released
        """)

    /// ARGV: token, lease ms. Resets the permit's lease; 1 when held, else 0.
    static let extend = RedisScript(prelude + """
        if not redis.call('zscore', KEYS[1], ARGV[1]) then return 0 end
        redis.call('zadd', KEYS[1], 'xx', now + tonumber(ARGV[2]), ARGV[1])
        keep()
        return 1
        """)

    /// Changes nothing. Returns `{limit or nil, waiters, ms left of each lease...}`, shortest first.
    static let status = RedisScript("""
        local time = redis.call('time')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local kinds = {'zset', 'zset', 'zset', 'string'}
        for i = 1, 4 do
            local kind = redis.call('type', KEYS[i]).ok
            if kind ~= 'none' and kind ~= kinds[i] then
                return redis.error_reply('WRONGTYPE Operation against a key holding the wrong kind of value')
            end
        end
        local result = {redis.call('get', KEYS[4]), redis.call('zcount', KEYS[3], '(' .. now, '+inf')}
        local held = redis.call('zrangebyscore', KEYS[1], '(' .. now, '+inf', 'withscores')
        for i = 2, #held, 2 do result[#result + 1] = tonumber(held[i]) - now end
        return result
        """)
}

/// The Lua scripts of a ``RedisSemaphore``: one per operation, so each is
/// atomic on the server. Time is the server's (`TIME`), never a client's.
///
/// KEYS: 1 `semaphore:{KEY}` (holders: a sorted set, token -> lease end, ms,
/// plus the member `""` scored minus the limit the last caller asked for, for
/// `status`: lease ends are positive and the limit's score negative, so one
/// `ZREMRANGEBYSCORE 0 now` drops expired permits and keeps the limit), 2
/// `semaphore:{KEY}:waiters` (token -> arrival, µs), 3
/// `semaphore:{KEY}:waiting` (token -> the waiter's own lease end, ms). Each
/// key expires no sooner than the last lease in it, so nothing outlives its
/// holders for long, and expired entries are dropped before anyone counts.
///
/// Every server call costs about 2 µs inside a script (more than most
/// commands themselves: `INFO commandstats`), so the common path (nobody
/// queued) makes six: `TIME`, `ZREMRANGEBYSCORE`, `ZCARD`, `ZCOUNT`, `ZADD`,
/// `PTTL`; a release three. A key of another type is refused by the
/// sorted-set commands themselves (`WRONGTYPE`) before anything changes.
enum SemaphoreScripts {
    /// ARGV: token, limit, lease ms, `1` to queue as a waiter when not admitted,
    /// the waiter's lease ms. Admits when the holders plus the waiters queued
    /// ahead of this token are below the limit (arrival order: a newcomer never
    /// overtakes a waiter). Returns `{1, holders}` when admitted, else `{0, holders, ahead}`.
    static let acquire = RedisScript("""
        local time = redis.call('time')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        redis.call('zremrangebyscore', KEYS[1], 0, now)
        local queued = redis.call('zcard', KEYS[2])
        local rank = false
        if queued > 0 then
            local gone = redis.call('zrangebyscore', KEYS[3], '-inf', now)
            if #gone > 0 then
                for i = 1, #gone do redis.call('zrem', KEYS[2], gone[i]) end
                redis.call('zremrangebyscore', KEYS[3], '-inf', now)
                queued = redis.call('zcard', KEYS[2])
            end
            rank = redis.call('zrank', KEYS[2], ARGV[1])
        end
        local holders = redis.call('zcount', KEYS[1], 0, '+inf')
        local ahead = rank or queued
        local limit = tonumber(ARGV[2])
        local admitted = holders + ahead < limit
        local ends
        if admitted then
            ends = now + tonumber(ARGV[3])
            redis.call('zadd', KEYS[1], ends, ARGV[1], -limit, '')
            if rank then
                redis.call('zrem', KEYS[2], ARGV[1])
                redis.call('zrem', KEYS[3], ARGV[1])
            end
        elseif ARGV[4] == '1' then
            if not rank then
                redis.call('zadd', KEYS[2], tonumber(time[1]) * 1000000 + tonumber(time[2]), ARGV[1])
            end
            ends = now + tonumber(ARGV[5])
            redis.call('zadd', KEYS[3], ends, ARGV[1])
            redis.call('pexpireat', KEYS[2], ends)
            redis.call('pexpireat', KEYS[3], ends)
            redis.call('zadd', KEYS[1], -limit, '')  -- for status while only waiters are left
        else
            return {0, holders, ahead}
        end
        local ttl = redis.call('pttl', KEYS[1])
        if ttl < 0 or now + ttl < ends then redis.call('pexpireat', KEYS[1], ends) end
        if admitted then return {1, holders + 1} end
        return {0, holders, ahead}
        """)

    /// ARGV: token. Drops the permit, or the token's place among the waiters;
    /// 1 when a live permit was held, else 0. What is left (the limit) expires
    /// with the last lease.
    static let release = RedisScript("""
        if ARGV[1] == '' then return 0 end
        local time = redis.call('time')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local ends = redis.call('zscore', KEYS[1], ARGV[1])
        if ends then
            redis.call('zrem', KEYS[1], ARGV[1])
            if tonumber(ends) > now then return 1 end
            return 0
        end
        redis.call('zrem', KEYS[2], ARGV[1])
        redis.call('zrem', KEYS[3], ARGV[1])
        return 0
        """)

    /// ARGV: token, lease ms. Resets a live permit's lease; 1 when held, else 0.
    static let extend = RedisScript("""
        if ARGV[1] == '' then return 0 end
        local time = redis.call('time')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local ends = redis.call('zscore', KEYS[1], ARGV[1])
        if not ends or tonumber(ends) <= now then return 0 end
        ends = now + tonumber(ARGV[2])
        redis.call('zadd', KEYS[1], 'xx', ends, ARGV[1])
        local ttl = redis.call('pttl', KEYS[1])
        if ttl < 0 or now + ttl < ends then redis.call('pexpireat', KEYS[1], ends) end
        return 1
        """)

    /// Changes nothing. Returns `{limit or nil, waiters, ms left of each lease...}`, shortest first.
    static let status = RedisScript("""
        local time = redis.call('time')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local waiters = redis.call('zcount', KEYS[3], '(' .. now, '+inf')
        local held = redis.call('zrangebyscore', KEYS[1], '(' .. now, '+inf', 'withscores')
        local limit = redis.call('zscore', KEYS[1], '')
        if #held == 0 and waiters == 0 then limit = false end
        if limit then limit = -tonumber(limit) end
        local result = {limit, waiters}
        for i = 2, #held, 2 do result[#result + 1] = tonumber(held[i]) - now end
        return result
        """)
}

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
/// What an acquire costs the server (Redis 7.0, counted with callgrind, see
/// BENCHMARKS.md): about 11k instructions for any `EVALSHA` (a `SET` is 5k),
/// 1.5k for each key and argument (Lua tables), 3-7k for each `redis.call`
/// (`TIME`'s array reply the dearest), and 3k for each Lua number handed to
/// a command (Redis 7.0 prints it with `%.17g`), 2k for each string turned
/// into a number. So the scripts hand commands strings (the milliseconds
/// built from `TIME`'s own digits), and the common acquire (nobody queued)
/// makes six calls: `TIME`, `ZREMRANGEBYSCORE`, `ZCARD` of the waiters,
/// `ZCARD` of the holders (the limit's member `""` is in every holders' set
/// these scripts write: one less), `ZADD`, `PEXPIREAT ... GT` (a key just
/// created has no expiry, which `GT` treats as infinite: it gets a plain
/// `PEXPIREAT`). A key of another type is refused by the sorted-set commands
/// themselves (`WRONGTYPE`) before anything changes.
enum SemaphoreScripts {
    /// ARGV: token, limit, lease ms, the waiter's lease ms (empty: do not
    /// queue when not admitted). Admits when the holders plus the waiters
    /// queued ahead of this token are below the limit (arrival order: a
    /// newcomer never overtakes a waiter). Returns the holders, this one
    /// included, when admitted (at least 1), else `-1 - ahead`, `ahead` the
    /// waiters queued ahead of this token.
    static let acquire = RedisScript("""
        local time = redis.call('time')
        local now = time[1] .. string.sub('00000' .. time[2], -6, -4)
        redis.call('zremrangebyscore', KEYS[1], '0', now)
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
        local held = redis.call('zcard', KEYS[1])
        local holders = held
        if held > 0 then holders = held - 1 end
        local ahead = rank or queued
        local limit = tonumber(ARGV[2])
        if holders + ahead < limit then
            local ends = string.format('%d', now + ARGV[3])
            if redis.call('zadd', KEYS[1], ends, ARGV[1], '-' .. ARGV[2], '') == 2 and held > 0 then
                holders = held  -- "" was missing (a set these scripts did not write): all were holders
                if holders + ahead >= limit then
                    redis.call('zrem', KEYS[1], ARGV[1])
                    return -1 - ahead
                end
            end
            if rank then
                redis.call('zrem', KEYS[2], ARGV[1])
                redis.call('zrem', KEYS[3], ARGV[1])
            end
            if held > 0 then redis.call('pexpireat', KEYS[1], ends, 'gt') else redis.call('pexpireat', KEYS[1], ends) end
            return holders + 1
        end
        if ARGV[4] ~= '' then
            local ends = string.format('%d', now + ARGV[4])
            redis.call('zadd', KEYS[3], ends, ARGV[1])  -- first: a WRONGTYPE here leaves nothing behind
            if not rank then
                redis.call('zadd', KEYS[2], time[1] .. string.sub('00000' .. time[2], -6), ARGV[1])
            end
            redis.call('pexpireat', KEYS[2], ends)
            redis.call('pexpireat', KEYS[3], ends)
            redis.call('zadd', KEYS[1], '-' .. ARGV[2], '')  -- for status while only waiters are left
            if held > 0 then redis.call('pexpireat', KEYS[1], ends, 'gt') else redis.call('pexpireat', KEYS[1], ends) end
        end
        return -1 - ahead
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
        local now = time[1] .. string.sub('00000' .. time[2], -6, -4)
        local ends = redis.call('zscore', KEYS[1], ARGV[1])
        if not ends or tonumber(ends) <= tonumber(now) then return 0 end
        ends = string.format('%d', now + ARGV[2])
        redis.call('zadd', KEYS[1], 'xx', ends, ARGV[1])
        redis.call('pexpireat', KEYS[1], ends, 'gt')
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

/// NextID's conditional set, compatible with pottery 3.0.1's: a master
/// accepts a proposed block of IDs only when it is above the value it holds.
///
/// KEYS[1] = `nextid:<name>`; ARGV[1] = the first ID proposed, ARGV[2] = the
/// last. When the stored value is missing or below ARGV[1], it becomes ARGV[2]
/// and the reply is `{1, ARGV[2]}`; otherwise `{0, stored}`, so a refusal also
/// tells the caller what to propose next. Values are compared as exact
/// decimal integers (pottery's Lua numbers lose precision above 2^53): as
/// Lua numbers up to 15 characters (exact), digit by digit beyond. A stored
/// value that is not an integer is an error reply (`NOTANID`) and is left alone.
///
/// Sent as `EVALSHA` (``RedisScript/command(keys:arguments:)``; a socket's
/// first draw as `EVAL`): Redis would hash the whole source of an `EVAL` on
/// every draw. A master that answers `NOSCRIPT` gets the `EVAL` in the same
/// call, or, when the quorum was decided without it, with the connection's
/// next exchange (until then it keeps its lower value, as a slow master would).
enum NextIDScript {
    static let propose = RedisScript("""
        local stored = redis.call('GET', KEYS[1])
        if not stored then
          redis.call('SET', KEYS[1], ARGV[2])
          return {1, ARGV[2]}
        end
        if not string.match(stored, '^%-?%d+$') then
          return redis.error_reply('NOTANID ' .. KEYS[1] .. ' holds a value that is not an integer')
        end
        local below
        if #stored < 16 and #ARGV[1] < 16 then
          below = tonumber(stored) < tonumber(ARGV[1])
        else
          local function normal(text)
            local negative = string.sub(text, 1, 1) == '-'
            local digits = string.gsub(negative and string.sub(text, 2) or text, '^0+', '')
            return negative and digits ~= '', digits
          end
          local aneg, adigits = normal(stored)
          local bneg, bdigits = normal(ARGV[1])
          if aneg ~= bneg then
            below = aneg
          else
            local less
            if #adigits ~= #bdigits then less = #adigits < #bdigits else less = adigits < bdigits end
            if aneg then below = (not less) and adigits ~= bdigits else below = less end
          end
        end
        if below then
          redis.call('SET', KEYS[1], ARGV[2])
          return {1, ARGV[2]}
        end
        return {0, stored}
        """)
}

/// NextID's conditional set, compatible with pottery 3.0.1's: a master
/// accepts a proposed block of IDs only when it is above the value it holds.
///
/// KEYS[1] = `nextid:<name>`; ARGV[1] = the first ID proposed, ARGV[2] = the
/// last. When the stored value is missing or below ARGV[1], it becomes ARGV[2]
/// and the reply is `{1, ARGV[2]}`; otherwise `{0, stored}`, so a refusal also
/// tells the caller what to propose next. Values are compared as exact
/// decimal integers (pottery's Lua numbers lose precision above 2^53). A
/// stored value that is not an integer is an error reply (`NOTANID`) and is
/// left alone.
enum NextIDScript {
    static let propose = RedisScript("""
        local stored = redis.call('GET', KEYS[1])
        local function normal(text)
          local negative = string.sub(text, 1, 1) == '-'
          local digits = string.gsub(negative and string.sub(text, 2) or text, '^0+', '')
          return negative and digits ~= '', digits
        end
        local function below(a, b)
          local aneg, adigits = normal(a)
          local bneg, bdigits = normal(b)
          if aneg ~= bneg then return aneg end
          local less
          if #adigits ~= #bdigits then less = #adigits < #bdigits else less = adigits < bdigits end
          if aneg then return (not less) and adigits ~= bdigits end
          return less
        end
        if stored and not string.match(stored, '^%-?%d+$') then
          return redis.error_reply('NOTANID ' .. KEYS[1] .. ' holds a value that is not an integer')
        end
        if not stored or below(stored, ARGV[1]) then
          redis.call('SET', KEYS[1], ARGV[2])
          return {1, ARGV[2]}
        end
        return {0, stored}
        """)
}

/// The Lua scripts of ``RedisList`` and ``RedisDeque``: every mutation that
/// needs more than one Redis command runs as one script, so no other client
/// sees a half-done step or slips in between.
///
/// Lists are rewritten by position: an index is reached with `LINDEX`/`LSET`
/// and an item removed by marking it with a tombstone (a random UUID4, which
/// is not JSON and so never a pottery item) and `LREM`ing the tombstone, as
/// pottery does. Errors for the caller are replies whose first word is
/// `INDEXERROR` or `VALUEERROR` (see ``RedisList``).
enum ListScripts {
    /// Shared helpers: Python's `slice.indices`, the indices a slice selects,
    /// and pushing many items in chunks (Lua's `unpack` has a stack limit).
    private static let helpers = """
        local function indices(n, a, b, c)
          local step = 1
          if c ~= '' then step = tonumber(c) end
          local lower, upper = 0, n
          if step < 0 then lower, upper = -1, n - 1 end
          local function bound(text, default)
            if text == '' then return default end
            local v = tonumber(text)
            if v < 0 then
              v = v + n
              if v < lower then v = lower end
            elseif v > upper then
              v = upper
            end
            return v
          end
          local start = bound(a, step < 0 and upper or lower)
          local stop = bound(b, step < 0 and lower or upper)
          return start, stop, step
        end
        local function positions(start, stop, step)
          local out = {}
          local i = start
          if step > 0 then
            while i < stop do out[#out + 1] = i; i = i + step end
          else
            while i > stop do out[#out + 1] = i; i = i + step end
          end
          return out
        end
        local function push(command, key, items, first, last)
          local i = first
          while i <= last do
            local j = math.min(i + 999, last)
            redis.call(command, key, unpack(items, i, j))
            i = j + 1
          end
        end

        """

    private static func script(_ body: String) -> RedisScript {
        RedisScript(helpers + body)
    }

    /// ARGV: start, stop, step (empty for none). Returns the items of the slice.
    static let getSlice = script("""
        local n = redis.call('LLEN', KEYS[1])
        local start, stop, step = indices(n, ARGV[1], ARGV[2], ARGV[3])
        local pos = positions(start, stop, step)
        if #pos == 0 then return {} end
        local lo, hi = pos[1], pos[#pos]
        if lo > hi then lo, hi = hi, lo end
        local items = redis.call('LRANGE', KEYS[1], lo, hi)
        local out = {}
        for k = 1, #pos do out[k] = items[pos[k] - lo + 1] end
        return out
        """)

    /// ARGV: start, stop, step, tombstone. Deletes the slice; returns how many items went.
    static let deleteSlice = script("""
        local n = redis.call('LLEN', KEYS[1])
        local start, stop, step = indices(n, ARGV[1], ARGV[2], ARGV[3])
        local pos = positions(start, stop, step)
        if #pos == 0 then return 0 end
        local lo, hi = pos[1], pos[#pos]
        if lo > hi then lo, hi = hi, lo end
        if (step == 1 or step == -1) and lo == 0 then
          redis.call('LTRIM', KEYS[1], hi + 1, -1)
        elseif (step == 1 or step == -1) and hi == n - 1 then
          redis.call('LTRIM', KEYS[1], 0, lo - 1)
        else
          for k = 1, #pos do redis.call('LSET', KEYS[1], pos[k], ARGV[4]) end
          redis.call('LREM', KEYS[1], #pos, ARGV[4])
        end
        return #pos
        """)

    /// ARGV: start, stop, step, maxlen (empty for none), then the new items.
    /// Python's `l[start:stop:step] = items`: a step of 1 replaces the range
    /// with any number of items; any other step needs exactly one item per index.
    static let assignSlice = script("""
        local key = KEYS[1]
        local n = redis.call('LLEN', key)
        local start, stop, step = indices(n, ARGV[1], ARGV[2], ARGV[3])
        local m = #ARGV - 4
        if step == 1 then
          if stop < start then stop = start end
          if ARGV[4] ~= '' and n - (stop - start) + m > tonumber(ARGV[4]) and m > stop - start then
            return redis.error_reply('INDEXERROR deque already at its maximum size')
          end
          if m == stop - start then
            for k = 1, m do redis.call('LSET', key, start + k - 1, ARGV[4 + k]) end
            return m
          end
          local items = redis.call('LRANGE', key, 0, -1)
          redis.call('DEL', key)
          push('RPUSH', key, items, 1, start)
          push('RPUSH', key, ARGV, 5, #ARGV)
          push('RPUSH', key, items, stop + 1, n)
          return m
        end
        local pos = positions(start, stop, step)
        if #pos ~= m then
          return redis.error_reply('VALUEERROR attempt to assign sequence of size ' .. m .. ' to extended slice of size ' .. #pos)
        end
        for k = 1, m do redis.call('LSET', key, pos[k], ARGV[4 + k]) end
        return m
        """)

    /// ARGV: index, tombstone, `pop` or `del`. Removes the item at a Python
    /// index and returns it (pop) or nothing (del).
    static let removeAt = script("""
        local key = KEYS[1]
        local n = redis.call('LLEN', key)
        local i = tonumber(ARGV[1])
        if i < 0 then i = i + n end
        if i < 0 or i >= n then
          if ARGV[3] ~= 'pop' then return redis.error_reply('INDEXERROR list assignment index out of range') end
          if n == 0 then return redis.error_reply('INDEXERROR pop from empty list') end
          return redis.error_reply('INDEXERROR pop index out of range')
        end
        if i == 0 then return redis.call('LPOP', key) end
        if i == n - 1 then return redis.call('RPOP', key) end
        local item = redis.call('LINDEX', key, i)
        redis.call('LSET', key, i, ARGV[2])
        redis.call('LREM', key, 1, ARGV[2])
        return item
        """)

    /// ARGV: index, item, tombstone, maxlen (empty for none). Python's
    /// `l.insert(index, item)`: inserts before the index, clamped to the ends.
    static let insert = script("""
        local key = KEYS[1]
        local n = redis.call('LLEN', key)
        if ARGV[4] ~= '' and n >= tonumber(ARGV[4]) then
          return redis.error_reply('INDEXERROR deque already at its maximum size')
        end
        local i = tonumber(ARGV[1])
        if i < 0 then
          i = i + n
          if i < 0 then i = 0 end
        elseif i > n then
          i = n
        end
        if i == 0 then return redis.call('LPUSH', key, ARGV[2]) end
        if i == n then return redis.call('RPUSH', key, ARGV[2]) end
        local pivot = redis.call('LINDEX', key, i)
        redis.call('LSET', key, i, ARGV[3])
        redis.call('LINSERT', key, 'BEFORE', ARGV[3], ARGV[2])
        redis.call('LSET', key, i + 1, pivot)
        return n + 1
        """)

    /// ARGV: `RPUSH` or `LPUSH`, maxlen, then the items. Pushes and trims to
    /// maxlen from the other end, as `collections.deque` does. Returns the length.
    /// A list already longer than maxlen is refused (`INDEXERROR`), untouched.
    static let pushBounded = script("""
        local key = KEYS[1]
        local maxlen = tonumber(ARGV[2])
        if redis.call('LLEN', key) > maxlen then
          return redis.error_reply('INDEXERROR persistent RedisDeque beyond its maximum size')
        end
        if maxlen == 0 then return 0 end
        push(ARGV[1], key, ARGV, math.max(3, #ARGV - maxlen + 1), #ARGV)
        if ARGV[1] == 'RPUSH' then
          redis.call('LTRIM', key, -maxlen, -1)
        else
          redis.call('LTRIM', key, 0, maxlen - 1)
        end
        return redis.call('LLEN', key)
        """)

    /// Reverses the list in place (LPUSH of the items in order).
    static let reverse = script("""
        local items = redis.call('LRANGE', KEYS[1], 0, -1)
        if #items < 2 then return #items end
        redis.call('DEL', KEYS[1])
        push('LPUSH', KEYS[1], items, 1, #items)
        return #items
        """)

    /// ARGV: n as decimal text. Rotates right by n (left when negative),
    /// modulo the length, moving the shorter side.
    static let rotate = script("""
        local key = KEYS[1]
        local len = redis.call('LLEN', key)
        if len == 0 then return 0 end
        local text = ARGV[1]
        local negative = string.sub(text, 1, 1) == '-'
        if negative then text = string.sub(text, 2) end
        local r = 0
        for k = 1, #text do r = (r * 10 + string.byte(text, k) - 48) % len end
        if negative then r = (len - r) % len end
        if r == 0 then return 0 end
        if r <= len - r then
          local tail = redis.call('LRANGE', key, -r, -1)
          redis.call('LTRIM', key, 0, len - r - 1)
          local reversed = {}
          for k = 1, #tail do reversed[k] = tail[#tail - k + 1] end
          push('LPUSH', key, reversed, 1, #reversed)
        else
          local head = redis.call('LRANGE', key, 0, len - r - 1)
          redis.call('LTRIM', key, len - r, -1)
          push('RPUSH', key, head, 1, #head)
        end
        return r
        """)
}

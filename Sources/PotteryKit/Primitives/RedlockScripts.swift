/// The Lua scripts of a Redlock. Their texts are byte for byte pottery 3.0.1's
/// (leading newline and indentation included), so their SHA1s match and
/// Python and Swift share the server's script cache.
enum RedlockScripts {
    /// Returns the key's PTTL when it holds ARGV[1] (the token), else 0.
    static let acquired = RedisScript("""

                        if redis.call('get', KEYS[1]) == ARGV[1] then
                            local pttl = redis.call('pttl', KEYS[1])
                            return (pttl > 0) and pttl or 0
                        else
                            return 0
                        end
                    
        """)

    /// Resets the TTL to ARGV[2] ms when the key holds ARGV[1]; 1 on success, else 0.
    static let extend = RedisScript("""

                        if redis.call('get', KEYS[1]) == ARGV[1] then
                            return redis.call('pexpire', KEYS[1], ARGV[2])
                        else
                            return 0
                        end
                    
        """)

    /// Deletes the key when it holds ARGV[1]; 1 on success, else 0.
    static let release = RedisScript("""

                        if redis.call('get', KEYS[1]) == ARGV[1] then
                            return redis.call('del', KEYS[1])
                        else
                            return 0
                        end
                    
        """)
}

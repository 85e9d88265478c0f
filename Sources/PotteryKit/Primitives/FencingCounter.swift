/// The fencing tokens of a Redlock: a ``NextID`` named `redlock:<name>`
/// (Redis key `nextid:redlock:<name>` on the lock's masters), drawn once per
/// grant. Python reads it as `NextID(key='redlock:<name>')`.
///
/// The lock's `SET NX PX` round also reads the counter (`GET`), so drawing
/// a token usually costs one more round trip: the proposal of the highest
/// value read + 1. Tokens never repeat (NextID's guarantee); a grant that
/// follows another (after its release or expiry) always gets a larger one,
/// because it reads a majority that includes a master holding the earlier token.
struct FencingCounter {
    let ids: NextID

    init(name: String, masters: [RedisConnection]) {
        ids = NextID(key: Self.name(for: name), masters: masters, numTries: 10)
    }

    static func name(for lock: String) -> String { "redlock:" + lock }

    /// The counter's Redis key for the lock named `lock`.
    static func key(for lock: String) -> RedisKey { NextID.redisKey(name(for: lock)) }

    /// Draws a token, starting from the values the acquire round read (the
    /// second reply of each master's batch).
    func draw(after acquireRound: Tally) throws(PotteryError) -> Int {
        for index in ids.masters.indices {
            if let reply = acquireRound.replies(index), reply.count > 1, let bytes = reply[1].bytes,
               let value = Int(String(decoding: bytes, as: UTF8.self)) {
                ids.learn(value)
            }
        }
        return try ids.next()
    }
}

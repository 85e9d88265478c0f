/// What every container handle has: a connection, a key, and, for a
/// container made on a random key, the duty to delete that key.
///
/// - Important: a container is a handle, not a copy: two handles on one key
///   see the same data. A container made with `init(temporaryOn:)` gets a
///   random `pottery:<uuid4>` key, as pottery's containers made without a key,
///   and deletes it (`UNLINK`) when the handle is deinitialised, without
///   waiting for the reply: on an idle connection it is written at once,
///   otherwise it goes with the connection's next exchange. Unlike
///   pottery, a key you name yourself is never deleted, even if it starts
///   with `pottery:`.
public class RedisContainer: @unchecked Sendable {
    // Unchecked Sendable: non-final (the containers subclass it); its stored properties are `let`s of Sendable
    // types
    /// The connection to the server holding the data.
    public let connection: RedisConnection
    /// The Redis key, used verbatim (no prefix), as pottery does.
    public let key: RedisKey
    let storage: ContainerStorage
    private let isTemporary: Bool

    init(_ connection: RedisConnection, key: RedisKey, redisType: String, isTemporary: Bool = false) {
        self.connection = connection
        self.key = key
        self.storage = ContainerStorage(connection: connection, key: key, redisType: redisType)
        self.isTemporary = isTemporary
    }

    init(temporaryOn connection: RedisConnection, redisType: String) throws(PotteryError) {
        self.connection = connection
        self.key = try RandomKey.make(on: connection)
        self.storage = ContainerStorage(connection: connection, key: key, redisType: redisType)
        self.isTemporary = true
    }

    deinit {
        // Never blocks: against a frozen server, or inside a transaction body on this
        // connection, the UNLINK waits in line for the connection's next exchange.
        if isTemporary { connection.sendLater(RedisCommand("UNLINK", key: key)) }
    }
}

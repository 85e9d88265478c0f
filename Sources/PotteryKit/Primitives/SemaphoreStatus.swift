/// What a ``RedisSemaphore`` looks like on its server now, for operators:
/// never the tokens.
public struct SemaphoreStatus: Sendable, Equatable {
    /// The limit the last caller asked for, while anyone holds or waits; `nil` when idle.
    public let limit: Int?
    /// How long each permit's lease has left, shortest first.
    public let leases: [Duration]
    /// How many callers are queued for a permit.
    public let waiters: Int

    /// How many permits are held.
    public var holders: Int { leases.count }
}

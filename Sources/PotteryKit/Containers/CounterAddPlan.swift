/// What ``RedisCounter/addPlan(_:sign:)`` makes: outside the generic class, so
/// that making one needs no generic metadata.
struct CounterAddPlan: Sendable {
    let key: RedisKey
    /// One element's `HINCRBY`, tried first.
    let single: RedisCommand?
    /// The encoded elements and their deltas, for the exact path.
    let deltas: [([UInt8], Int)]

    /// The increment script, made only when it is sent: one element's
    /// `HINCRBY` usually suffices, and building the script costs as much.
    var script: RedisCommand {
        var arguments: [[UInt8]] = []
        arguments.reserveCapacity(2 * deltas.count)
        for (field, delta) in deltas {
            arguments.append(field)
            arguments.append(Array(String(delta).utf8))
        }
        return CounterScripts.increment.command(keys: [key], arguments: arguments)
    }
}

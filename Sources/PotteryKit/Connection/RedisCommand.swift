/// One Redis command: its arguments as bytes, and which of them are keys.
///
/// Arguments live in one contiguous buffer (cheap to build and to hand to
/// hiredis). Knowing the keys lets errors name them and lets a cluster client
/// route the command by slot.
///
/// ```swift
/// var hset = RedisCommand("HSET")
/// hset.append(key: "tel")
/// hset.append(bytes: field)
/// hset.append(bytes: value)
/// ```
public struct RedisCommand: Sendable, Hashable, CustomStringConvertible {
    private var buffer: [UInt8] = []
    private var ends: [Int] = []
    /// The position of the first key (-1: none) and of the others: most
    /// commands have one key, which then costs no array.
    private var firstKeyPosition = -1
    private var moreKeyPositions: [Int] = []
    /// For an `EVALSHA`: the script's source, to send as `EVAL` on `NOSCRIPT`.
    var scriptSource: [UInt8]?
    /// Arguments already in RESP, after the others (``appendArguments(_:)``).
    var respRun = RESPArgumentRun()

    /// Starts a command with its name, e.g. `RedisCommand("HGET")`.
    public init(_ name: String) {
        // Room for a typical command at once: growing by doubling from empty
        // costs an allocation and a copy per step, on every call.
        buffer.reserveCapacity(64)
        ends.reserveCapacity(6)
        append(name)
    }

    /// Starts a command with its name and its first key, e.g. `RedisCommand("HLEN", key: k)`.
    public init(_ name: String, key: RedisKey) {
        self.init(name)
        append(key: key)
    }

    /// Appends a key argument.
    public mutating func append(key: RedisKey) {
        if firstKeyPosition < 0 {
            firstKeyPosition = ends.count
        } else {
            moreKeyPositions.append(ends.count)
        }
        append(bytes: key.bytes)
    }

    /// Positions (in ``arguments``) of the arguments that are keys.
    public var keyPositions: [Int] {
        firstKeyPosition < 0 ? [] : [firstKeyPosition] + moreKeyPositions
    }

    /// Whether the argument at `position` is a key.
    func isKey(at position: Int) -> Bool {
        position == firstKeyPosition || (position > firstKeyPosition && moreKeyPositions.contains(position))
    }

    /// Appends several key arguments.
    public mutating func append(keys: some Sequence<RedisKey>) {
        for key in keys { append(key: key) }
    }

    /// Appends an argument made of arbitrary bytes.
    public mutating func append(bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
        ends.append(buffer.count)
    }

    /// Appends an argument of `count` zero bytes that `initialize` then fills
    /// in place (a Bloom filter's bitmap: built where it is sent from, not copied in).
    mutating func append(zeroedBytes count: Int, initialize: (UnsafeMutableBufferPointer<UInt8>) -> Void) {
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: count))
        buffer.withUnsafeMutableBufferPointer { initialize(UnsafeMutableBufferPointer(rebasing: $0[start...])) }
        ends.append(buffer.count)
    }

    /// Appends an argument that `write` appends to the command's own buffer
    /// (e.g. pottery JSON encoded in place: no array per argument). When
    /// `write` throws, the command is left as it was.
    mutating func appendArgument<E: Error>(_ write: (inout [UInt8]) throws(E) -> Void) throws(E) {
        let start = buffer.count
        do {
            try write(&buffer)
        } catch {
            buffer.removeSubrange(start...)
            throw error
        }
        ends.append(buffer.count)
    }

    /// Appends the UTF-8 bytes of `string`.
    public mutating func append(_ string: String) {
        var string = string
        string.withUTF8 { buffer.append(contentsOf: $0) }  // contiguous bytes: one copy, not a byte at a time
        ends.append(buffer.count)
    }

    /// Appends an integer as decimal text (written straight into the buffer:
    /// no `String` per number, for commands with thousands of offsets).
    public mutating func append(_ integer: Int) {
        let start = buffer.count
        var value = integer.magnitude
        repeat {
            buffer.append(UInt8(ascii: "0") + UInt8(value % 10))
            value /= 10
        } while value > 0
        if integer < 0 { buffer.append(UInt8(ascii: "-")) }
        buffer[start...].reverse()
        ends.append(buffer.count)
    }

    /// Makes room for `bytes` more bytes in `arguments` more arguments.
    mutating func reserve(bytes: Int, arguments: Int) {
        buffer.reserveCapacity(buffer.count + bytes)
        ends.reserveCapacity(ends.count + arguments)
    }

    /// The number of arguments, the name included.
    public var count: Int { ends.count + respRun.count }

    /// The command name, upper-cased.
    public var name: String { String(decoding: argument(0), as: UTF8.self).uppercased() }

    /// Whether the command's name is `upper` (ASCII, any case), without
    /// building a string: checked on every reply.
    func isNamed(_ upper: String) -> Bool {
        // A plain loop over bytes: `zip` over a String's UTF8View costs every
        // process a few runtime conformance lookups (measured: 20% of a one-shot CLI call).
        let name = argument(0)
        var upper = upper
        return upper.withUTF8 { wanted in
            guard name.count == wanted.count else { return false }
            var index = name.startIndex
            for byte in wanted {
                let have = name[index]
                guard have == byte || (have >= 0x61 && have <= 0x7a && have - 0x20 == byte) else { return false }
                index += 1
            }
            return true
        }
    }

    /// The keys this command touches, in argument order.
    public var keys: [RedisKey] { keyPositions.map { RedisKey(bytes: Array(argument($0))) } }

    /// The first key, if any: the one named in errors.
    public var firstKey: RedisKey? { firstKeyPosition < 0 ? nil : RedisKey(bytes: Array(argument(firstKeyPosition))) }

    /// Every argument, the name first.
    public var arguments: [[UInt8]] { (0..<count).map { Array(argument($0)) } }

    /// The bytes of argument `index`.
    public func argument(_ index: Int) -> ArraySlice<UInt8> {
        if index >= ends.count { return respRun.argument(index - ends.count) }
        let start = index == 0 ? 0 : ends[index - 1]
        return buffer[start..<ends[index]]
    }

    /// The command as text, arguments longer than 40 bytes shortened: for messages.
    public var description: String {
        (0..<count).map { index in
            let text = String(decoding: argument(index).prefix(40), as: UTF8.self)
            return argument(index).count > 40 ? text + "…" : text
        }.joined(separator: " ")
    }

    /// The size in bytes of the command in RESP (``writeRESP(to:)``).
    var respCount: Int {
        var total = 3 + RESPHeader.digitCount(count) + respRun.bytes.count
        var start = 0
        for end in ends {
            total += 5 + RESPHeader.digitCount(end - start) + (end - start)
            start = end
        }
        return total
    }

    /// Writes the command in RESP, as Redis reads it
    /// (`*N\r\n$len\r\narg\r\n...`), to `out`, which has room for
    /// ``respCount`` bytes: straight into hiredis's output buffer, no buffer of its own.
    func writeRESP(to out: UnsafeMutablePointer<UInt8>) {
        var at = RESPHeader.write(UInt8(ascii: "*"), count, to: out)
        var start = 0
        buffer.withUnsafeBufferPointer { bytes in
            for end in ends {
                at = RESPHeader.write(UInt8(ascii: "$"), end - start, to: at)
                if end > start { (at).update(from: bytes.baseAddress! + start, count: end - start) }
                at += end - start
                at[0] = 13
                at[1] = 10
                at += 2
                start = end
            }
        }
        respRun.bytes.withUnsafeBufferPointer { run in if run.count > 0 { at.update(from: run.baseAddress!, count: run.count) } }
    }
}

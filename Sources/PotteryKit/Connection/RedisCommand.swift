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
    /// Positions (in ``arguments``) of the arguments that are keys.
    public private(set) var keyPositions: [Int] = []
    /// For an `EVALSHA`: the script's source, to send as `EVAL` on `NOSCRIPT`.
    var scriptSource: [UInt8]?

    /// Starts a command with its name, e.g. `RedisCommand("HGET")`.
    public init(_ name: String) {
        append(name)
    }

    /// Starts a command with its name and its first key, e.g. `RedisCommand("HLEN", key: k)`.
    public init(_ name: String, key: RedisKey) {
        self.init(name)
        append(key: key)
    }

    /// Appends a key argument.
    public mutating func append(key: RedisKey) {
        keyPositions.append(ends.count)
        append(bytes: key.bytes)
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

    /// Appends the UTF-8 bytes of `string`.
    public mutating func append(_ string: String) {
        append(bytes: string.utf8)
    }

    /// Appends an integer as decimal text.
    public mutating func append(_ integer: Int) {
        append(String(integer))
    }

    /// The number of arguments, the name included.
    public var count: Int { ends.count }

    /// The command name, upper-cased.
    public var name: String { String(decoding: argument(0), as: UTF8.self).uppercased() }

    /// Whether the command's name is `upper` (ASCII, any case), without
    /// building a string: checked on every reply.
    func isNamed(_ upper: String) -> Bool {
        let name = argument(0)
        return name.count == upper.utf8.count
            && zip(name, upper.utf8).allSatisfy { $0 == $1 || ($0 >= 0x61 && $0 <= 0x7a && $0 - 0x20 == $1) }
    }

    /// The keys this command touches, in argument order.
    public var keys: [RedisKey] { keyPositions.map { RedisKey(bytes: Array(argument($0))) } }

    /// The first key, if any: the one named in errors.
    public var firstKey: RedisKey? { keyPositions.first.map { RedisKey(bytes: Array(argument($0))) } }

    /// Every argument, the name first.
    public var arguments: [[UInt8]] { (0..<count).map { Array(argument($0)) } }

    /// The bytes of argument `index`.
    public func argument(_ index: Int) -> ArraySlice<UInt8> {
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

    /// Calls `body` with hiredis-style argv: pointers to each argument and their lengths.
    func withArgv<R>(_ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) throws -> R) rethrows -> R {
        try buffer.withUnsafeBufferPointer { bytes in
            // An empty buffer may have a nil base address; hiredis only needs a valid pointer.
            let base = UnsafeRawPointer(bytes.baseAddress) ?? UnsafeRawPointer(bitPattern: 1)!
            var pointers: [UnsafePointer<CChar>?] = []
            var lengths: [Int] = []
            pointers.reserveCapacity(count)
            lengths.reserveCapacity(count)
            var start = 0
            for end in ends {
                pointers.append((base + start).assumingMemoryBound(to: CChar.self))
                lengths.append(end - start)
                start = end
            }
            return try pointers.withUnsafeMutableBufferPointer { argv in
                try lengths.withUnsafeBufferPointer { argvlen in
                    try body(Int32(count), argv.baseAddress!, argvlen.baseAddress!)
                }
            }
        }
    }
}

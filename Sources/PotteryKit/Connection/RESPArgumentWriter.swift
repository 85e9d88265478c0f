/// Writes arguments in RESP (`$len\r\nbytes\r\n`) one after the other into a
/// buffer of its own, growing by doubling: the builder of a ``RESPArgumentRun``.
///
/// Each argument is written once, header and all (no array per argument, no
/// second pass to frame it); ``finish()`` copies the whole run once into the
/// run's array.
struct RESPArgumentWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var used = 0
    /// How many arguments are written.
    private(set) var count = 0

    /// A writer with room for about `bytes` bytes before it grows.
    init(reservingBytes bytes: Int) {
        capacity = max(64, bytes)
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deallocate()
    }

    /// Appends one argument: `bytes`.
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        let length = bytes.count
        reserve(length + 24)
        var at = RESPHeader.write(UInt8(ascii: "$"), length, to: base + used)
        if length > 0 { at.update(from: bytes.baseAddress!, count: length) }
        at += length
        at[0] = 13
        at[1] = 10
        used = at + 2 - base
        count += 1
    }

    /// Appends one argument: `text` between double quotes (a JSON string whose
    /// bytes need no escape: see ``PlainJSONText``).
    mutating func appendQuoted(_ text: UnsafeBufferPointer<UInt8>) {
        let length = text.count
        reserve(length + 26)
        var at = RESPHeader.write(UInt8(ascii: "$"), length + 2, to: base + used)
        at[0] = 0x22
        at += 1
        if length > 0 { at.update(from: text.baseAddress!, count: length) }
        at += length
        at[0] = 0x22
        at[1] = 13
        at[2] = 10
        used = at + 3 - base
        count += 1
    }

    /// Appends one argument of `length` bytes that `write` puts at the pointer it
    /// is given (room for exactly `length`), unless it returns `false`: then
    /// nothing is appended and `false` returned.
    @inline(__always)
    mutating func appendArgument(length: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Bool) -> Bool {
        reserve(length + 24)
        let body = RESPHeader.write(UInt8(ascii: "$"), length, to: base + used)
        guard write(body) else { return false }
        body[length] = 13
        body[length + 1] = 10
        used = body + length + 2 - base
        count += 1
        return true
    }

    /// The arguments written, as a run to attach to a command.
    consuming func finish() -> RESPArgumentRun {
        let bytes = [UInt8](unsafeUninitializedCapacity: used) { buffer, initialized in
            if used > 0 { buffer.baseAddress!.initialize(from: base, count: used) }
            initialized = used
        }
        return RESPArgumentRun(bytes: bytes, count: count)
    }

    /// Makes room for `more` bytes after those written.
    @inline(__always)
    private mutating func reserve(_ more: Int) {
        if used + more > capacity { grow(toFit: more) }
    }

    private mutating func grow(toFit more: Int) {
        var grown = capacity * 2
        while used + more > grown { grown *= 2 }
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        moved.initialize(from: base, count: used)
        base.deallocate()
        base = moved
        capacity = grown
    }
}

/// Arguments already written in RESP (`$len\r\nbytes\r\n` each), ready to go on
/// the wire as they are: the tail of a ``RedisCommand`` with thousands of
/// arguments (an HLL's `PFADD`), each element encoded once, straight into its
/// place, instead of encoded, then framed and copied argument by argument.
///
/// Built with a ``RESPArgumentWriter``; attached with
/// ``RedisCommand/appendArguments(_:)``, after the command's other arguments.
struct RESPArgumentRun: Sendable, Hashable {
    /// The arguments in RESP, one after the other.
    private(set) var bytes: [UInt8] = []
    /// How many arguments `bytes` holds.
    private(set) var count = 0

    init() {}

    init(bytes: [UInt8], count: Int) {
        self.bytes = bytes
        self.count = count
    }

    /// The bytes of argument `index` (reading the headers before it: for messages
    /// and tests, never on the hot path).
    func argument(_ index: Int) -> ArraySlice<UInt8> {
        precondition(index >= 0 && index < count, "argument \(index) of \(count)")
        var at = 0
        var current = 0
        while true {
            at += 1  // "$"
            var length = 0
            while bytes[at] != 13 {
                length = length * 10 + Int(bytes[at] - UInt8(ascii: "0"))
                at += 1
            }
            at += 2  // "\r\n"
            if current == index { return bytes[at..<at + length] }
            at += length + 2
            current += 1
        }
    }
}

extension RedisCommand {
    /// Appends arguments already written in RESP, after every other argument: an
    /// argument appended later would go on the wire before them, so none may be.
    mutating func appendArguments(_ run: RESPArgumentRun) {
        precondition(respRun.count == 0, "one run of RESP arguments per command")
        respRun = run
    }
}

import PotteryKit

/// Prints a long listing (`set members`, `dict items`, `list items`, `keys`)
/// as a streamed JSON array, fast: pages are fetched one ahead on a thread of
/// their own (``PagePrefetcher``) while the current page prints, and stored
/// elements that are already the bytes the CLI would print are copied through
/// (``StoredJSON``). Anything else is decoded as the containers decode it, with
/// the same errors: every element before a bad one is printed, then the error
/// (naming the key, showing the bytes) stops the listing.
struct StoredListing {
    let key: RedisKey?
    let server: String

    init(key: RedisKey?, connection: RedisConnection) {
        self.key = key
        self.server = connection.server
    }

    /// Walks `fetch`'s pages, handing each to `body` with the open array.
    static func print(_ fetch: @escaping PagePrefetcher<[RedisReply]>.Fetch, to output: OutputWriter,
                      _ body: ([RedisReply], inout JSONArrayStream) throws(PotteryError) -> Void) throws(PotteryError) {
        let pages = PagePrefetcher(fetch: fetch)
        pages.start()
        defer { pages.finish() }
        try output.writeArray { (array: inout JSONArrayStream) throws(PotteryError) in
            while let page = try pages.next() { try body(page, &array) }
        }
    }

    /// Appends one stored element: as stored when that is what would print, else decoded.
    func append(_ element: RedisReply, to array: inout JSONArrayStream) throws(PotteryError) {
        if case .bulk(let bytes) = element, try array.appendVerbatim(bytes) { return }
        try array.append(decode(element))
    }

    /// Appends one `[field, value]` pair of a hash, decoding the field first, as `RedisDict` does.
    func appendPair(_ field: RedisReply, _ value: RedisReply, to array: inout JSONArrayStream) throws(PotteryError) {
        if case .bulk(let first) = field, case .bulk(let second) = value, try array.appendVerbatimPair(first, second) { return }
        let decodedField = try decode(field)
        try array.append(.array([decodedField, try decode(value)]))
    }

    /// Appends a Redis key's name as a JSON string (bytes that are not UTF-8 shown as U+FFFD).
    func appendName(_ name: RedisReply, to array: inout JSONArrayStream) throws(PotteryError) {
        let bytes = name.bytes ?? []
        if try array.appendVerbatimName(bytes) { return }
        try array.append(.string(String(decoding: bytes, as: UTF8.self)))
    }

    /// Decodes stored bytes as the containers do: bytes that are not pottery JSON
    /// are a data error naming the key and showing the bytes.
    func decode(_ element: RedisReply) throws(PotteryError) -> JSONValue {
        guard let bytes = element.bytes else {
            throw PotteryError(.responseError, "expected a bulk reply, got \(element)", key: key?.description, server: server)
        }
        do {
            return try PotteryJSON.decode(JSONValue.self, from: bytes)
        } catch {
            throw PotteryError.undecodable(bytes, as: "JSONValue", error, key: key?.description, server: server)
        }
    }
}

extension JSONArrayStream {
    /// Appends stored pottery JSON as stored when it is a canonical scalar
    /// (``StoredJSON/isCanonicalScalar(_:)``), which prints the same compact,
    /// pretty or raw (a plain string's text); returns `false`, appending
    /// nothing, when it must be decoded instead.
    mutating func appendVerbatim(_ bytes: [UInt8]) throws(PotteryError) -> Bool {
        guard StoredJSON.isCanonicalScalar(bytes) else { return false }
        try beginElement()
        if raw {
            output.append(bytes.first == UInt8(ascii: "\"") ? bytes[1..<(bytes.count - 1)] : bytes[...])
            output.append(Self.newline)
        } else {
            output.append(bytes)
        }
        return true
    }

    /// Appends `[first, second]` from two canonical stored scalars, in compact
    /// or raw output (raw prints an array as one compact line); `false` otherwise.
    mutating func appendVerbatimPair(_ first: [UInt8], _ second: [UInt8]) throws(PotteryError) -> Bool {
        guard !output.pretty, StoredJSON.isCanonicalScalar(first), StoredJSON.isCanonicalScalar(second) else { return false }
        try beginElement()
        output.append(Self.openBracket)
        output.append(first)
        output.append(Self.comma)
        output.append(second)
        output.append(Self.closeBracket)
        if raw { output.append(Self.newline) }
        return true
    }

    /// Appends a key name made of printable ASCII other than `"` and `\` as the
    /// JSON string it is (raw: the name itself); `false` for any other name.
    mutating func appendVerbatimName(_ bytes: [UInt8]) throws(PotteryError) -> Bool {
        guard bytes.allSatisfy({ $0 >= 0x20 && $0 <= 0x7e && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) else {
            return false
        }
        try beginElement()
        if raw {
            output.append(bytes)
            output.append(Self.newline)
        } else {
            output.append(Self.quote)
            output.append(bytes)
            output.append(Self.quote)
        }
        return true
    }

    private static let newline: [UInt8] = [UInt8(ascii: "\n")]
    private static let quote: [UInt8] = [UInt8(ascii: "\"")]
    private static let openBracket: [UInt8] = [UInt8(ascii: "[")]
    private static let closeBracket: [UInt8] = [UInt8(ascii: "]")]
    private static let comma: [UInt8] = Array(", ".utf8)
}

@testable import pottery_cli
import PotteryKit
import PotteryTestSupport
import Testing

/// The fast listings (`set members`, `dict items`, `list items`, `keys`): stored
/// bytes copied through when they are what the CLI would print, pages fetched
/// one ahead on a thread. Each output is compared byte for byte with the slow
/// path's answer (decode, then `PotteryJSON.encode`), over several pages.
@Suite struct StoredListingTests {
    /// Stored forms that print as stored, and forms that must be decoded first
    /// (escapes, non-ASCII, floats, `-0`, leading zeros and spaces, unsorted
    /// objects, long integers, surrogate pairs).
    static let stored: [String] = [
        #""plain""#, #""""#, #""with space ~""#, "0", "-7", "123456789012345678", "true", "false", "null",
        #""tab\there""#, #""quote\"d""#, #""\u00e9""#, #""\u00E9""#, #""\/""#, #""\ud83d\ude00""#,
        "1.0", "-0", "1e5", "-0.0", "1234567890123456789", "12345678901234567890123", " 5", "5 ",
        #"{"b": 1, "a": [true, null]}"#, "[]", #"["x",1]"#, #""\u007f""#,
    ]

    /// What the CLI prints for one stored element: its decoded value, encoded.
    static func printed(_ bytes: String, pretty: Bool = false) throws -> [UInt8] {
        let value = try PotteryJSON.decode(JSONValue.self, from: Array(bytes.utf8))
        return pretty ? PotteryJSON.encodePretty(value) : PotteryJSON.encode(value)
    }

    /// `count` elements cycling through ``stored``, each made distinct by a
    /// string member of its own where a set or a hash needs distinct bytes.
    static func elements(_ count: Int) -> [String] {
        (0..<count).map { index in index % 3 == 0 ? "\"member \(index)\"" : stored[index % stored.count] }
    }

    @Test func canonicalScalarsAreRecognisedExactly() throws {
        for form in Self.stored {
            let canonical = StoredJSON.isCanonicalScalar(Array(form.utf8))
            let roundTrip = try Self.printed(form) == Array(form.utf8)
            // Recognised only when printing it as stored is right.
            if canonical { #expect(roundTrip, "\(form)") }
        }
        for form in [#""plain""#, "0", "-7", "true", "false", "null", #""""#] {
            #expect(StoredJSON.isCanonicalScalar(Array(form.utf8)), "\(form)")
        }
        for form in ["-0", "01", "1.0", "", "-", #"""#, #""a"#, "nul", "1234567890123456789", #""\n""#, "[]"] {
            #expect(!StoredJSON.isCanonicalScalar(Array(form.utf8)), "\(form)")
        }
    }

    @Test func listItemsOverSeveralPagesPrintAsTheSlowPathWould() throws {
        let key = uniqueKey("listing-list")
        let items = Self.elements(PagedReads.pageSize * 2 + 321)
        for chunk in stride(from: 0, to: items.count, by: 1000) {
            try Raw.send("RPUSH", arguments: [key] + items[chunk..<min(chunk + 1000, items.count)])
        }
        let compact = try CLI.run(["list", "items", key])
        #expect(compact.status == 0, "\(compact.stderr)")
        var expected: [UInt8] = Array("[".utf8)
        for (index, item) in items.enumerated() {
            if index > 0 { expected += Array(", ".utf8) }
            expected += try Self.printed(item)
        }
        expected += Array("]\n".utf8)
        #expect(compact.stdout == expected)

        let raw = try CLI.run(["--raw", "list", "items", key])
        var rawExpected: [UInt8] = []
        for item in items {
            let value = try PotteryJSON.decode(JSONValue.self, from: Array(item.utf8))
            if case .string(let text) = value { rawExpected += Array(text.utf8) } else { rawExpected += PotteryJSON.encode(value) }
            rawExpected.append(UInt8(ascii: "\n"))
        }
        #expect(raw.status == 0 && raw.stdout == rawExpected)

        let pretty = try CLI.run(["--pretty", "list", "items", Self.smallList()])
        let prettyExpected = PotteryJSON.encodePretty(.array(try Self.stored.map { try PotteryJSON.decode(JSONValue.self, from: Array($0.utf8)) }))
        #expect(pretty.status == 0 && pretty.stdout == prettyExpected + [UInt8(ascii: "\n")])
    }

    private static func smallList() throws -> String {
        let key = uniqueKey("listing-small")
        try Raw.send("RPUSH", arguments: [key] + stored)
        return key
    }

    @Test func setMembersAndDictItemsOverSeveralPagesHoldEveryElementOnce() throws {
        let count = PagedReads.pageSize * 2 + 77
        let setKey = uniqueKey("listing-set")
        let dictKey = uniqueKey("listing-dict")
        let members = (0..<count).map { "\"member \($0)\"" } + Self.stored
        let values = Self.elements(members.count)
        for chunk in stride(from: 0, to: members.count, by: 1000) {
            let range = chunk..<min(chunk + 1000, members.count)
            try Raw.send("SADD", arguments: [setKey] + members[range])
            try Raw.send("HSET", arguments: [dictKey] + range.flatMap { [members[$0], values[$0]] })
        }
        for mode in [[], ["--raw"]] {
            let listed = try CLI.run(mode + ["set", "members", setKey])
            #expect(listed.status == 0, "\(listed.stderr)")
            let lines = try Self.elementsPrinted(listed.stdout, raw: !mode.isEmpty)
            // SSCAN may repeat an element when the set is resized during the walk; this one is not.
            var expected = try members.map { try Self.printed($0) }
            if !mode.isEmpty { expected = try members.map { try Self.rawLine($0) } }
            #expect(lines.sorted { $0.lexicographicallyPrecedes($1) } == expected.sorted { $0.lexicographicallyPrecedes($1) })
        }
        let items = try CLI.run(["dict", "items", dictKey])
        #expect(items.status == 0, "\(items.stderr)")
        let pairs = try Self.elementsPrinted(items.stdout, raw: false)
        let expectedPairs = try zip(members, values).map { field, value in
            Array("[".utf8) + (try Self.printed(field)) + Array(", ".utf8) + (try Self.printed(value)) + Array("]".utf8)
        }
        #expect(pairs.sorted { $0.lexicographicallyPrecedes($1) } == expectedPairs.sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func keysOverSeveralPagesListEachMatchingNameAsAJSONString() throws {
        let prefix = uniqueKey("listing-keys")
        let names = (0..<(PagedReads.pageSize + 500)).map { "\(prefix):\($0)" } + ["\(prefix):quote\"d", "\(prefix):é"]
        for chunk in stride(from: 0, to: names.count, by: 1000) {
            try Raw.send("MSET", arguments: names[chunk..<min(chunk + 1000, names.count)].flatMap { [$0, "1"] })
        }
        let listed = try CLI.run(["keys", "\(prefix):*"])
        #expect(listed.status == 0, "\(listed.stderr)")
        let printed = try Self.elementsPrinted(listed.stdout, raw: false)
        let expected = names.map { PotteryJSON.encode(.string($0)) }
        #expect(printed.sorted { $0.lexicographicallyPrecedes($1) } == expected.sorted { $0.lexicographicallyPrecedes($1) })
        let raw = try CLI.run(["--raw", "keys", "\(prefix):*"])
        #expect(Set(String(decoding: raw.stdout, as: UTF8.self).split(separator: "\n").map(String.init)) == Set(names))
    }

    @Test func aBadElementOnALaterPageStopsTheListingAfterEveryElementBeforeIt() throws {
        let key = uniqueKey("listing-bad")
        let good = (0..<(PagedReads.pageSize + 10)).map { "\"v\($0)\"" }
        try Raw.send("RPUSH", arguments: [key] + good + ["{not json", "\"after\""])
        let listed = try CLI.run(["list", "items", key])
        #expect(listed.status == 4)
        #expect(listed.error?.type == "JSONDecodeError" && listed.error?.key == .string(key), "\(listed.stderr)")
        // stdout is still one valid JSON array: every element before the bad one.
        let printed = try PotteryJSON.decode(JSONValue.self, from: listed.stdout)
        #expect(printed == .array(good.indices.map { .string("v\($0)") }))
    }

    @Test func aListingStopsWhenStdoutIsClosed() throws {
        let key = uniqueKey("listing-closed")
        for chunk in 0..<20 {
            try Raw.send("RPUSH", arguments: [key] + (0..<1000).map { "\"element \(chunk * 1000 + $0) padded to make the output long\"" })
        }
        let listed = try CLI.run(["list", "items", key], closeStdout: true)
        #expect(listed.status == 141, "\(listed.stderr)")
    }

    /// The elements of a printed compact array (`[a, b, ...]`, split at the
    /// top level) or of raw lines.
    static func elementsPrinted(_ stdout: [UInt8], raw: Bool) throws -> [[UInt8]] {
        if raw { return stdout.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast().map(Array.init) }
        guard case .array(let values) = try PotteryJSON.decode(JSONValue.self, from: stdout) else { return [] }
        return values.map(PotteryJSON.encode)
    }

    static func rawLine(_ stored: String) throws -> [UInt8] {
        let value = try PotteryJSON.decode(JSONValue.self, from: Array(stored.utf8))
        if case .string(let text) = value { return Array(text.utf8) }
        return PotteryJSON.encode(value)
    }
}

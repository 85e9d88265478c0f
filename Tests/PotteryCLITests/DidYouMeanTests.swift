@testable import pottery_cli
import PotteryTestSupport
import Testing

/// A mistyped structure, verb or option names the nearest valid one in the
/// usage error (still exit 2, JSON on stderr, nothing on stdout); a word far
/// from every candidate gets no suggestion.
@Suite struct DidYouMeanTests {
    /// Runs `arguments` against a dead server (a usage error never connects)
    /// and returns the error message, after checking exit 2 and the JSON shape.
    private func usageMessage(_ arguments: [String]) throws -> String {
        let result = try CLI.run(arguments, url: deadServerURL)
        #expect(result.status == 2, "\(arguments): \(result)")
        #expect(result.stdout.isEmpty, "\(arguments): \(result)")
        let error = try #require(result.error, "\(arguments): \(result)")
        #expect(error.type == "UsageError", "\(arguments): \(result)")
        return error.message
    }

    @Test func mistypedVerbSuggestsTheVerb() throws {
        let message = try usageMessage(["dict", "gte", "k", "f"])
        #expect(message.hasPrefix(#"unknown verb dict gte; did you mean "dict get"?"#), "\(message)")
        #expect(try usageMessage(["set", "contains-man", "k", "1"]).contains(#"did you mean "set contains-many"?"#))
        #expect(try usageMessage(["counter", "mostcommon", "k"]).contains(#"did you mean "counter most-common"?"#))
        #expect(try usageMessage(["help", "dict", "itmes"]).contains(#"did you mean "dict items"?"#))
    }

    @Test func mistypedStructureOrCommandSuggestsIt() throws {
        #expect(try usageMessage(["dcit", "get", "k", "f"]).hasPrefix(#"unknown command dcit; did you mean "dict"?"#))
        #expect(try usageMessage(["inpsect", "k"]).contains(#"did you mean "inspect"?"#))
        #expect(try usageMessage(["semaphor", "status", "k"]).contains(#"did you mean "semaphore"?"#))
        #expect(try usageMessage(["help", "cuonter"]).contains(#"did you mean "counter"?"#))
    }

    @Test func mistypedOptionSuggestsTheOption() throws {
        #expect(try usageMessage(["--prety", "dict", "len", "k"]).hasPrefix(#"unknown option --prety; did you mean "--pretty"?"#))
        #expect(try usageMessage(["-pretty", "dict", "len", "k"]).contains(#"did you mean "--pretty"?"#))
        #expect(try usageMessage(["dict", "get", "k", "f", "--defualt=1"]).contains(#"did you mean "--default"?"#))
        #expect(try usageMessage(["--ulr", "redis://h", "dict", "len", "k"]).contains(#"did you mean "--url"?"#))
        // An option of another verb: the nearest of this verb's own options.
        #expect(try usageMessage(["lock", "acquire", "k", "--count", "1"])
            == "lock acquire takes no option --count")
        #expect(try usageMessage(["queue", "get", "k", "--no-wait", "--token", "t"])
            == "queue get takes no option --token")
    }

    @Test func farWordsGetNoSuggestion() throws {
        for arguments in [["dict", "frobnicate", "k"], ["zzz", "get"], ["--nothing-like-it", "dict", "len", "k"],
                          ["-x", "dict", "len", "k"], ["set", "xy", "k"]] {
            let message = try usageMessage(arguments)
            #expect(!message.contains("did you mean"), "\(arguments): \(message)")
        }
    }

    @Test func distanceCountsSwapsAsOneEdit() {
        func distance(_ a: String, _ b: String) -> Int {
            Suggestion.distance(Array(a.unicodeScalars), Array(b.unicodeScalars))
        }
        #expect(distance("gte", "get") == 1)
        #expect(distance("get", "get") == 0)
        #expect(distance("", "abc") == 3)
        #expect(distance("kitten", "sitting") == 3)
        #expect(distance("ca", "abc") == 3)  // optimal string alignment, not unrestricted Damerau
        #expect(Suggestion.nearest(to: "lne", among: ["len", "keys"]) == "len")
        #expect(Suggestion.nearest(to: "ab", among: ["b"]) == nil)  // as many edits as the candidate has letters
        #expect(Suggestion.nearest(to: "apend", among: ["append", "appendleft"]) == "append")
        #expect(Suggestion.nearest(to: "abcdefg", among: ["xyzdefg"]) == nil)
    }
}

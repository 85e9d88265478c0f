import PotteryKit
import PotteryTestSupport
import Testing

/// Help at every level (the same text for `help X`, `X --help` and `X -h`), and --version.
@Suite struct HelpTests {
    /// The verbs the contract lists for the structures implemented so far.
    static let verbs: [String: [String]] = [
        "dict": ["get", "set", "del", "contains", "len", "keys", "values", "items", "update", "pop",
                 "popitem", "setdefault", "clear"],
        "set": ["add", "remove", "discard", "contains", "contains-many", "len", "members", "pop", "clear",
                "union", "intersection", "difference", "symmetric-difference", "isdisjoint", "issubset",
                "issuperset", "update", "difference-update", "intersection-update",
                "symmetric-difference-update"],
    ]

    /// Runs the three spellings of one help request; they must agree, exit 0,
    /// print to stdout only, and never connect.
    private func help(_ path: [String]) throws -> String {
        let forms = [["help"] + path, path + ["--help"], path + ["-h"]]
        var texts: [String] = []
        for form in forms {
            let result = try CLI.run(form, url: deadServerURL)
            #expect(result.status == 0, "\(form): \(result)")
            #expect(result.stderr.isEmpty, "\(form): \(result)")
            texts.append(result.out)
        }
        #expect(texts[0] == texts[1] && texts[1] == texts[2], "\(path)")
        #expect(!texts[0].isEmpty)
        return texts[0]
    }

    @Test func topLevelListsStructuresCommandsOptionsAndExitCodes() throws {
        let text = try help([])
        for word in ["dict", "set", "inspect", "keys", "--url", "--master", "--password-file", "--connect-timeout",
                     "--io-timeout", "--pretty", "--raw", "--strings", "--json", "--version", "Exit status"] {
            #expect(text.contains(word), "\(word)")
        }
    }

    @Test(arguments: ["dict", "set"])
    func structureHelpListsEveryVerb(structure: String) throws {
        let text = try help([structure])
        for verb in Self.verbs[structure]! {
            #expect(text.contains("\n  \(verb) KEY"), "\(structure) \(verb)")
        }
    }

    @Test(arguments: ["dict", "set"])
    func everyVerbHasHelpSayingWhatItPrints(structure: String) throws {
        for verb in Self.verbs[structure]! {
            let text = try help([structure, verb])
            #expect(text.hasPrefix("Usage: pottery-cli [GLOBAL OPTIONS] \(structure) \(verb) KEY"), "\(text)")
            #expect(text.contains("Prints: "), "\(structure) \(verb)")
        }
    }

    @Test func operatorHelp() throws {
        #expect(try help(["inspect"]).contains("RedisSimpleQueue"))
        #expect(try help(["keys"]).contains("SCAN"))
    }

    @Test func helpIgnoresArgumentsAfterTheVerb() throws {
        let result = try CLI.run(["dict", "get", "k", "f", "--help"], url: deadServerURL)
        #expect(result.status == 0)
        #expect(result.out == (try CLI.run(["help", "dict", "get"], url: deadServerURL)).out)
    }

    @Test func versionPrintsPotteryKitVersion() throws {
        let result = try CLI.run(["--version"], url: deadServerURL)
        #expect(result.status == 0 && result.out == PotteryKit.version + "\n" && result.stderr.isEmpty)
    }
}

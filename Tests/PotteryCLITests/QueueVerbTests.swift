import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// Every `queue` verb: stdout parsed as JSON, exit statuses, and the stream in Redis checked.
@Suite struct QueueVerbTests {
    /// The entries' fields and values as text, oldest first (IDs left out).
    static func entries(_ key: String) throws -> [[String]] {
        try Raw.send("XRANGE", key, "-", "+").array?.map { (entry: RedisReply) -> [String] in
            let fields: [RedisReply] = entry.array?[1].array ?? []
            return fields.map(Raw.text)
        } ?? []
    }

    @Test func putGetQsizeAndEmptyStoreWhatPotteryStores() throws {
        let key = uniqueKey()
        let empty = try CLI.run(["queue", "empty", key])
        #expect(empty.status == 0 && empty.json == true, "\(empty)")
        #expect(try CLI.run(["queue", "qsize", key]).json == 0)
        let put = try CLI.run(["queue", "put", key, "jack", "4098", "{\"b\": 1, \"a\": \"é\"}", "null"])
        #expect(put.status == 0 && put.json == .null, "\(put)")
        #expect(try CLI.run(["--strings", "queue", "put", key, "4098"]).status == 0)
        let fromStdin = try CLI.run(["queue", "put", key, "-"], stdin: "[1, 2]\nlast line\n")
        #expect(fromStdin.status == 0, "\(fromStdin)")
        #expect(try Self.entries(key) == [
            ["item", "\"jack\""], ["item", "4098"], ["item", "{\"a\": \"\\u00e9\", \"b\": 1}"], ["item", "null"],
            ["item", "\"4098\""], ["item", "[1, 2]"], ["item", "\"last line\""],
        ])
        let notEmpty = try CLI.run(["queue", "empty", key])
        #expect(notEmpty.status == 1 && notEmpty.json == false, "\(notEmpty)")
        #expect(try CLI.run(["queue", "qsize", key]).json == 7)
        let inspected = try CLI.run(["inspect", key])
        #expect(inspected.json?.objectValue?["contents"] == ["jack", 4098, ["a": "é", "b": 1], nil, "4098", [1, 2], "last line"])
        var got: [JSONValue] = []
        for options in [[], ["--no-wait"], ["--timeout", "0"], ["--timeout", "2.5"], [], [], ["--raw"]] {
            let result = try CLI.run(["queue", "get", key] + options)
            #expect(result.status == 0, "\(options): \(result)")
            got.append(options == ["--raw"] ? .string(String(result.out.dropLast())) : result.json ?? "missing")
        }
        #expect(got == ["jack", 4098, ["a": "é", "b": 1], nil, "4098", [1, 2], "last line"])
        #expect(try CLI.run(["queue", "qsize", key]).json == 0)
        #expect(try CLI.run(["queue", "empty", key]).status == 0)
    }

    @Test func anEmptyQueueAfterTheWaitIsQueueEmptyErrorExit1() throws {
        let key = uniqueKey()
        for options in [["--no-wait"], ["--timeout", "0"], ["--timeout", "0.3"]] {
            let result = try CLI.run(["queue", "get", key] + options)
            #expect(result.status == 1 && result.stdout.isEmpty, "\(options): \(result)")
            #expect(result.error?.type == "QueueEmptyError" && result.error?.key == .string(key), "\(result)")
        }
        #expect(try Raw.type(key) == "none")
    }

    @Test func badTimeoutsAndBadElementsAreUsageErrorsAndChangeNothing() throws {
        let key = uniqueKey()
        #expect(try CLI.run(["queue", "put", key, "kept"]).status == 0)
        for options in [["--timeout", "-1"], ["--timeout", "abc"], ["--timeout", "nan"], ["--timeout", "inf"],
                        ["--timeout", "1", "--no-wait"], ["--timeout"]] {
            let result = try CLI.run(["queue", "get", key] + options)
            #expect(result.status == 2 && result.stdout.isEmpty, "\(options): \(result)")
        }
        let badJSON = try CLI.run(["--json", "queue", "put", key, "1", "not json"])
        #expect(badJSON.status == 2, "\(badJSON)")
        let badStdin = try CLI.run(["--json", "queue", "put", key, "-"], stdin: "1\n2\n{oops\n")
        #expect(badStdin.status == 2, "\(badStdin)")
        #expect(try CLI.run(["queue", "put", key]).status == 2)
        #expect(try Self.entries(key) == [["item", "\"kept\""]])
    }

    @Test func aKeyOfAnotherTypeIsExit4AndNothingChanges() throws {
        let key = uniqueKey()
        try Raw.send("HSET", key, "f", "v")
        for arguments in [["put", key, "x"], ["get", key], ["get", key, "--no-wait"], ["get", key, "--timeout", "5"],
                          ["qsize", key], ["empty", key]] {
            let result = try CLI.run(["queue"] + arguments)
            #expect(result.status == 4 && result.error?.type == "WrongTypeError", "\(arguments): \(result)")
        }
        #expect(try Raw.hgetall(key) == ["f": "v"])
    }

    @Test func anEntryNotInPotteryShapeIsExit4AndStaysQueued() throws {
        for fields in [["other", "1"], ["item", "not json"], ["item", "1", "extra", "2"]] {
            let key = uniqueKey()
            try Raw.send("XADD", arguments: [key, "*"] + fields)
            try Raw.send("XADD", key, "*", "item", "2")
            let result = try CLI.run(["queue", "get", key, "--no-wait"])
            #expect(result.status == 4 && result.error?.type == "JSONDecodeError" && result.stdout.isEmpty, "\(fields): \(result)")
            #expect(try CLI.run(["inspect", key]).status == 4)
            #expect(try Self.entries(key) == [fields, ["item", "2"]])
        }
    }

    @Test func aWaitingGetPrintsAnElementPutLater() throws {
        let key = uniqueKey()
        let consumer = try CLI.start(["queue", "get", key])
        usleep(300_000)
        #expect(try CLI.run(["queue", "put", key, "{\"job\": 7}"]).status == 0)
        let result = consumer.finish(within: .seconds(20))
        #expect(result.status == 0 && result.json == ["job": 7], "\(result)")
        #expect(try CLI.run(["queue", "qsize", key]).json == 0)
    }
}

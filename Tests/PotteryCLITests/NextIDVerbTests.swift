import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// `nextid KEY` over five real masters: pottery's sequence, blocks, the
/// present value, reset, bad stored data, dead masters and Python pottery.
@Suite struct NextIDVerbTests {
    let masters = CLIMasters.shared

    func cli(_ arguments: [String]) throws -> CLIResult {
        try CLI.run(masters.options + arguments)
    }

    @Test func drawsOneTwoThreeStoredAsPlainDecimalOnEveryMaster() throws {
        let name = uniqueKey()
        for expected in 1...3 {
            let result = try cli(["nextid", name])
            #expect(result.status == 0, "\(result)")
            #expect(result.out == "\(expected)\n")
            #expect(result.stderr.isEmpty)
        }
        #expect(try masters.values("nextid:" + name, settlingOn: Array(repeating: "3", count: 5)) == Array(repeating: "3", count: 5))
    }

    @Test func everyMasterHoldsTheDrawWhenTheProcessHasExited() throws {
        // A draw returns at quorum; the process waits a moment for the other masters before it
        // exits, so a script reading every master right after sees them agree (no settling here).
        let name = uniqueKey()
        for expected in 1...3 {
            #expect(try cli(["nextid", name]).out == "\(expected)\n")
            #expect(try masters.values("nextid:" + name) == Array(repeating: String(expected), count: 5))
        }
        let token = try #require(try cli(["lock", "acquire", name, "--no-wait"]).json?.objectValue?["token"]?.stringValue)
        #expect(try masters.values("redlock:" + name) == Array(repeating: token, count: 5))
        #expect(try cli(["lock", "release", name, "--token", token]).status == 0)
        #expect(try masters.values("redlock:" + name) == Array(repeating: nil, count: 5))
    }

    @Test func countPrintsAnArrayOfConsecutiveIDs() throws {
        let name = uniqueKey()
        #expect(try cli(["nextid", name]).out == "1\n")
        let three = try cli(["nextid", name, "--count", "3"])
        #expect(three.status == 0, "\(three)")
        #expect(three.json == [2, 3, 4])
        let one = try cli(["nextid", name, "--count", "1"])
        #expect(one.status == 0, "\(one)")
        #expect(one.json == [5], "an array even for one: \(one)")
        #expect(try cli(["nextid", name]).out == "6\n")
        // A large block is one round: the masters hold its last ID.
        let big = try cli(["nextid", name, "--count", "1000"])
        let block = try #require(big.json?.arrayValue?.compactMap { $0.intValue })
        #expect(block == Array(7...1006))
        #expect(try masters.values("nextid:" + name, settlingOn: Array(repeating: "1006", count: 5)) == Array(repeating: "1006", count: 5))
    }

    @Test(arguments: [["--count", "0"], ["--count", "1000001"], ["--count", "abc"], ["--count", "-1"], ["--count", "1.5"],
                      ["--count", "2", "--current"], ["--current", "--reset"], ["--reset", "--count", "2"]])
    func badCountOrTwoModesIsAUsageError(options: [String]) throws {
        let name = uniqueKey()
        #expect(try cli(["nextid", name]).out == "1\n")
        let result = try cli(["nextid", name] + options)
        #expect(result.status == 2, "\(options): \(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.error != nil, "\(result)")
        // Nothing was drawn or reset.
        #expect(try masters.values("nextid:" + name, settlingOn: Array(repeating: "1", count: 5)) == Array(repeating: "1", count: 5))
    }

    @Test func currentPrintsWithoutDrawingAndResetStartsOver() throws {
        let name = uniqueKey()
        let fresh = try cli(["nextid", name, "--current"])
        #expect(fresh.status == 0 && fresh.out == "0\n", "\(fresh)")
        #expect(try masters.values("nextid:" + name, settlingOn: Array(repeating: nil, count: 5)) == Array(repeating: nil, count: 5))
        _ = try cli(["nextid", name, "--count", "4"])
        for _ in 0..<2 {
            let current = try cli(["nextid", name, "--current"])
            #expect(current.status == 0 && current.out == "4\n", "\(current)")
        }
        #expect(try cli(["nextid", name]).out == "5\n")

        let reset = try cli(["nextid", name, "--reset"])
        #expect(reset.status == 0, "\(reset)")
        #expect(reset.out == "null\n")
        #expect(try masters.values("nextid:" + name, settlingOn: Array(repeating: nil, count: 5)) == Array(repeating: nil, count: 5))
        #expect(try cli(["nextid", name]).out == "1\n")
    }

    @Test func aKeyOfAnotherTypeAndAValueAtTheLimitAreDataErrors() throws {
        let name = uniqueKey()
        for index in masters.urls.indices { try masters.send(index, "HSET", "nextid:" + name, "f", "v") }
        for arguments in [["nextid", name], ["nextid", name, "--current"]] {
            let result = try cli(arguments)
            #expect(result.status == 4, "\(arguments): \(result)")
            #expect(result.error?.type == "WrongTypeError", "\(arguments): \(result)")
        }
        let full = uniqueKey()
        for index in masters.urls.indices { try masters.send(index, "SET", "nextid:" + full, String(Int.max)) }
        let result = try cli(["nextid", full])
        #expect(result.status == 4, "\(result)")
        #expect(result.error?.type == "TypeError", "\(result)")
        #expect(try masters.values("nextid:" + full, settlingOn: Array(repeating: String(Int.max), count: 5)) == Array(repeating: String(Int.max), count: 5))
    }

    @Test func pythonAndTheCLIContinueOneSequence() throws {
        let name = uniqueKey()
        #expect(try cli(["nextid", name]).out == "1\n")
        let python = try Python.run(masters.pythonMasters + """
            from pottery import NextID
            ids = NextID(key='\(name)', masters=masters)
            print(next(ids), next(ids))
            """)
        #expect(python.status == 0, "\(python.stderr)")
        #expect(String(decoding: python.stdout, as: UTF8.self) == "2 3\n")
        #expect(try cli(["nextid", name]).out == "4\n")
        #expect(try cli(["nextid", name, "--count", "2"]).json == [5, 6])
        let again = try Python.run(masters.pythonMasters + """
            from pottery import NextID
            print(next(NextID(key='\(name)', masters=masters)))
            """)
        #expect(String(decoding: again.stdout, as: UTF8.self) == "7\n", "\(again.stderr)")
        #expect(try cli(["nextid", name, "--current"]).out == "7\n")
    }

    @Test func aMinorityHoldingGarbageCountsAsFailedMastersAndIsLeftAlone() throws {
        let name = uniqueKey()
        #expect(try cli(["nextid", name]).out == "1\n")
        try masters.send(2, "SET", "nextid:" + name, "garbage")
        #expect(try cli(["nextid", name]).out == "2\n")
        #expect(try cli(["nextid", name, "--count", "2"]).out == "[3, 4]\n")
        #expect(try cli(["nextid", name, "--current"]).out == "4\n")
        #expect(try masters.values("nextid:" + name)[2] == "garbage")
    }

    @Test func aMajorityHoldingGarbageIsADataError() throws {
        let name = uniqueKey()
        #expect(try cli(["nextid", name]).out == "1\n")
        for index in [0, 2, 4] { try masters.send(index, "SET", "nextid:" + name, "garbage") }
        for options in [[], ["--count", "2"], ["--current"]] {
            let result = try cli(["nextid", name] + options)
            #expect(result.status == 4, "\(options): \(result)")
            #expect(result.stdout.isEmpty)
            #expect(result.error?.type == "TypeError", "\(result)")
        }
        // Left alone.
        let values = try masters.values("nextid:" + name)
        #expect([0, 2, 4].allSatisfy { values[$0] == "garbage" }, "\(values)")
    }

    @Test func threeOfFiveMastersDeadIsQuorumIsImpossible() throws {
        let name = uniqueKey()
        let urls = Array(masters.urls.prefix(2)) + CLIMasters.dead
        for options in [[], ["--count", "3"], ["--current"]] {
            let result = try CLI.run(CLIMasters.options(urls) + ["nextid", name] + options)
            #expect(result.status == 3, "\(options): \(result)")
            #expect(result.error?.type == "QuorumIsImpossible", "\(result)")
            #expect(result.stdout.isEmpty)
            #expect(result.elapsed < .seconds(3))
        }
    }

    @Test func twoOfFiveMastersDeadStillDrawTheNextIDs() throws {
        let name = uniqueKey()
        let urls = Array(masters.urls.prefix(3)) + CLIMasters.dead.prefix(2)
        var drawn: [String] = []
        for _ in 0..<3 {
            let result = try CLI.run(CLIMasters.options(urls) + ["nextid", name])
            #expect(result.status == 0, "\(result)")
            drawn.append(result.out)
        }
        // As pottery: the next ID is the majority's highest + 1, holes only under contention.
        #expect(drawn == ["1\n", "2\n", "3\n"])
        #expect(try masters.values("nextid:" + name, settlingOn: ["3", "3", "3", nil, nil]) == ["3", "3", "3", nil, nil])
        #expect(try CLI.run(CLIMasters.options(urls) + ["nextid", name, "--current"]).out == "3\n")
        // reset needs every master, as pottery's: QuorumNotAchieved, and the live masters were reset.
        let reset = try CLI.run(CLIMasters.options(urls) + ["nextid", name, "--reset"])
        #expect(reset.status == 1, "\(reset)")
        #expect(reset.error?.type == "QuorumNotAchieved", "\(reset)")
        #expect(try masters.values("nextid:" + name, settlingOn: Array(repeating: nil, count: 5)) == Array(repeating: nil, count: 5))
    }
}

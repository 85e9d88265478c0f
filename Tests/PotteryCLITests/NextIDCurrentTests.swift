import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// `nextid KEY --current` over diverged masters: it prints the highest ID a
/// majority holds, so the next draw (ours or pottery's) is always above it,
/// even when a minority of masters holds a higher value no majority accepted.
@Suite struct NextIDCurrentTests {
    let masters = CLIMasters.shared

    func cli(_ arguments: [String]) throws -> CLIResult {
        try CLI.run(masters.options + arguments)
    }

    @Test func aValueOnlyAMinorityHoldsIsNotTheCurrentOne() throws {
        let name = uniqueKey()
        // 5 and 3 on two of five masters: no majority ever accepted them.
        try masters.send(0, "SET", "nextid:" + name, "5")
        try masters.send(1, "SET", "nextid:" + name, "3")
        let current = try cli(["nextid", name, "--current"])
        #expect(current.status == 0, "\(current)")
        #expect(current.out == "0\n")
        let drawn = try #require(try cli(["nextid", name]).json?.intValue)
        #expect(drawn > 0)
        let after = try #require(try cli(["nextid", name, "--current"]).json?.intValue)
        #expect(after >= drawn)
    }

    @Test func withAMasterSilentTheCurrentValueIsStillEveryDrawnID() throws {
        let name = uniqueKey()
        // 7 was drawn by masters 0, 1 and a master that is now dead; 2 and 3 lag at 5.
        for (index, value) in [(0, "7"), (1, "7"), (2, "5"), (3, "5")] { try masters.send(index, "SET", "nextid:" + name, value) }
        let options = CLIMasters.options(Array(masters.urls.prefix(4)) + [CLIMasters.dead[0]])
        let current = try CLI.run(options + ["nextid", name, "--current"])
        #expect(current.status == 0, "\(current)")
        #expect(current.out == "7\n")
        #expect(try CLI.run(options + ["nextid", name]).json?.intValue ?? 0 > 7)
    }

    @Test func theCurrentValueIsBelowPotterysNextDraw() throws {
        let name = uniqueKey()
        // Three masters at 7 (a majority), two ahead at 9 and 12.
        for index in 0..<3 { try masters.send(index, "SET", "nextid:" + name, "7") }
        try masters.send(3, "SET", "nextid:" + name, "9")
        try masters.send(4, "SET", "nextid:" + name, "12")
        #expect(try cli(["nextid", name, "--current"]).out == "7\n")
        let python = try Python.run(masters.pythonMasters + """
            from pottery import NextID
            print(next(NextID(key='\(name)', masters=masters)))
            """)
        #expect(python.status == 0, "\(python.stderr)")
        let drawn = try #require(Int(String(decoding: python.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(drawn > 7)
    }
}

import PotteryKit

/// `nextid KEY`: pottery's NextID over the masters (key nextid:KEY).
enum NextIDCommand {
    static let spec = VerbSpec(
        "nextid", [.key],
        options: [
            OptionSpec(name: "count", value: .text("N"),
                       summary: "reserve N consecutive IDs (1 to 1000000) in one quorum round; prints an array"),
            OptionSpec(name: "current", value: .none, summary: "print the current value without drawing"),
            OptionSpec(name: "reset", value: .none, summary: "set the sequence back to 0 on every master (NextID.reset())"),
        ],
        summary: "draws the next unique, increasing ID of the sequence KEY from a majority of the masters (next(NextID))",
        prints: "the ID; with --count N an array of N consecutive IDs; with --current the present value; with --reset null. "
            + "Exit 1 with QuorumNotAchieved when no majority accepted, 3 with QuorumIsImpossible when most masters fail, "
            + "4 with TypeError when no majority could be had and a master holds a value that is not an integer (such a master counts as failed)",
        details: [
            "The masters are --master URL (repeatable), else $POTTERY_MASTERS, else the --url server.",
            "The IDs of --count N are consecutive and no other client ever receives any of them.",
        ],
        handler: run)

    static func run(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let chosen = ["count", "current", "reset"].filter { invocation.textOptions[$0] != nil }
        if chosen.count > 1 {
            throw PotteryError(.valueError, "nextid takes one of --count, --current and --reset, got " +
                               chosen.map { "--" + $0 }.joined(separator: " and "))
        }
        let ids = NextID(key: invocation.text("KEY"), masters: invocation.masters, numTries: 10)
        if invocation.flag("current") { return invocation.print(.int(try ids.current())) }
        if invocation.flag("reset") {
            try ids.reset()
            return invocation.print(.null)
        }
        if let count = try OptionValues.integer(invocation, "count", in: 1...1_000_000) {
            let block = try ids.next(count: count)
            try invocation.output.writeArray { (array: inout JSONArrayStream) throws(PotteryError) in
                for id in block { try array.append(.int(id)) }
            }
            return .success
        }
        return invocation.print(.int(try ids.next()))
    }
}

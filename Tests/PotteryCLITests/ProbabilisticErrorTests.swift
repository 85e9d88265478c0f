import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// Error reports of the probabilistic verbs name the key they are about.
@Suite struct ProbabilisticErrorTests {
    @Test func lenOfASaturatedBloomFilterIsAValueErrorNamingTheKey() throws {
        let key = uniqueKey()
        let sizing = ["--num-elements", "1", "--false-positives", "0.5"]  // m = 2 bits
        #expect(try CLI.run(["bloom", "add", key, "a", "b", "c", "d"] + sizing).status == 0)
        let len = try CLI.run(["bloom", "len", key] + sizing)
        #expect(len.status == 2, "\(len)")
        #expect(len.stdout.isEmpty)
        #expect(len.error?.type == "ValueError", "\(len)")
        #expect(len.error?.key == .string(key), "\(len)")
        #expect(try CLI.run(["bloom", "clear", key]).status == 0)
    }
}

import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// Contract: exit 3 when the quorum is impossible; `lock run`: "3 when no quorum
/// of masters answers". With an even number of masters of which exactly half are
/// down, no majority can ever grant (pottery's `errors > count // 2` would keep
/// trying: `lock run` used to exit 75 saying the lock was held by another).
@Suite struct EvenMastersQuorumTests {
    @Test func halfTheMastersDeadIsQuorumImpossible() throws {
        let dead = try RefusingPort()
        let masters = ["--master", RedisServer.shared.url, "--master", dead.url]
        let key = uniqueKey()
        let acquire = try CLI.run(masters + ["lock", "acquire", key, "--no-wait"])
        #expect(acquire.status == 3 && acquire.error?.type == "QuorumIsImpossible", "\(acquire)")
        let run = try CLI.run(masters + ["lock", "run", key, "--no-wait", "--", "true"])
        #expect(run.status == 3 && run.error?.type == "QuorumIsImpossible", "\(run)")
        let id = try CLI.run(masters + ["nextid", key])
        #expect(id.status == 3 && id.error?.type == "QuorumIsImpossible", "\(id)")
    }
}

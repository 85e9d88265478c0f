import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// pottery-cli on a cluster whose master was killed (SIGKILL): once a replica
/// is promoted, the same `--url` (the dead node still its first seed) works
/// again for keys of the dead master's slots, and what was written to the
/// other masters is all there. A private cluster, stopped afterwards.
@Suite struct ClusterFailoverCLITests {
    @Test func theCLIWorksAgainAfterAMasterIsKilled() throws {
        let cluster = try RedisCluster(nodeTimeout: 2000)
        let victim = try cluster.masters()[0]
        // The dead master first in the URL: the seed order must not matter.
        let url = "redis+cluster://" + ([victim] + cluster.nodes.filter { $0.port != victim.port })
            .map { "127.0.0.1:\($0.port)" }.joined(separator: ",")
        let prefix = "clfail-\(UInt64.random(in: 0..<UInt64.max)):"
        var onVictim: String?
        var elsewhere: [String] = []
        var index = 0
        while onVictim == nil || elsewhere.count < 3 {
            let key = "\(prefix)\(index)"
            index += 1
            var keyslot = RedisCommand("CLUSTER")
            keyslot.append("KEYSLOT")
            keyslot.append(key)
            let slot = Int(try cluster.direct(victim).send(keyslot).integer ?? -1)
            if try cluster.master(of: slot).port == victim.port {
                if onVictim == nil { onVictim = key }
            } else if elsewhere.count < 3 {
                elsewhere.append(key)
            }
        }
        let victimKey = try #require(onVictim)
        for key in elsewhere + [victimKey] {
            let set = try CLI.run(["--url", url, "dict", "set", key, "f", "1"], url: nil)
            #expect(set.status == 0, "\(set)")
        }

        victim.kill()
        let limit = ContinuousClock.now + .seconds(90)
        var last: CLIResult?
        while ContinuousClock.now < limit {
            let set = try CLI.run(["--url", url, "dict", "set", victimKey, "f", "2"], url: nil)
            last = set
            if set.status == 0 { break }
            usleep(200_000)
        }
        #expect(last?.status == 0, "\(String(describing: last))")
        let get = try CLI.run(["dict", "get", victimKey, "f"], url: url)
        #expect(get.status == 0 && get.out == "2\n", "\(get)")
        for key in elsewhere {
            let other = try CLI.run(["--url", url, "dict", "get", key, "f"], url: nil)
            #expect(other.status == 0 && other.out == "1\n", "\(other)")
        }
        #expect(try cluster.masters().allSatisfy { $0.port != victim.port })
    }
}

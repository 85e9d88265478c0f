import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// A master killed with SIGKILL (a crash, not `CLUSTER FAILOVER`): its replica
/// is promoted after `cluster-node-timeout`, and one client, whose map still
/// names the dead master, recovers while threads keep writing to the other
/// masters. Part of ``ClusterTopologyTests`` (serialized, its own cluster); the
/// killed node is started again afterwards and rejoins as a replica.
extension ClusterTopologyTests {
    @Test func aKilledMasterIsReplacedAndTheClientRecoversWithoutLosingWrites() throws {
        let connection = cluster.connection()
        let prefix = ClusterCheck.prefix("kill")
        let victim = try cluster.masters()[0]
        // A key in the victim's slots, and keys on the other masters.
        var onVictim: RedisKey?
        var elsewhere: [RedisKey] = []
        var index = 0
        while onVictim == nil || elsewhere.count < 8 {
            let key = RedisKey("\(prefix)\(index)")
            index += 1
            if try cluster.master(of: try slot(of: key)).port == victim.port {
                if onVictim == nil { onVictim = key }
            } else if elsewhere.count < 8 {
                elsewhere.append(key)
            }
        }
        let dict = RedisDict<String, Int>(connection, key: try #require(onVictim))
        try dict.set(1, for: "before")
        var wait = RedisCommand("WAIT")
        wait.append("1")
        wait.append("10000")
        #expect(try cluster.direct(victim).send(wait) == .integer(1))  // the replica has it

        // Writers on the other masters, through the same client, all along.
        let stop = ReshardFlag()
        let acknowledged = ReshardCounted()
        let failures = ReshardFailures()
        let targets = elsewhere
        let writer = Thread {
            var round = 0
            while !stop.isSet {
                do {
                    try connection.send(RedisCommand("RPUSH", key: targets[round % targets.count]).adding("\(round)"))
                    acknowledged.add(round)
                } catch {
                    failures.add("\(error)")  // CLUSTERDOWN while the cluster votes: allowed, not acknowledged
                }
                round += 1
            }
            acknowledged.done.set()
        }
        writer.start()
        defer {
            stop.set()
            acknowledged.done.wait()
        }

        victim.kill()
        var revived = false
        defer { if !revived { try? cluster.revive(victim) } }  // whatever happens, the other tests get a whole cluster
        // The client recovers by itself: writes to the dead master's slots succeed again.
        let limit = ContinuousClock.now + .seconds(90)
        var recovered = false
        var lastError = ""
        while ContinuousClock.now < limit, !recovered {
            do {
                try dict.set(2, for: "after")
                recovered = true
            } catch {
                lastError = "\(error)"
                usleep(100_000)
            }
        }
        #expect(recovered, "\(lastError)")
        stop.set()
        acknowledged.done.wait()
        #expect(try cluster.master(of: try slot(of: dict.key)).port != victim.port)
        #expect(try dict.get("before") == 1)
        #expect(try dict.get("after") == 2)

        // No acknowledged write to the other masters is lost.
        let rounds = acknowledged.all.keys.sorted()
        #expect(!rounds.isEmpty)
        var stored: Set<Int> = []
        for key in elsewhere {
            for value in try ClusterCheck.raw(connection, "LRANGE", key, extra: ["0", "-1"]) { stored.insert(Int(value)!) }
        }
        #expect(Set(rounds).isSubset(of: stored), "lost: \(Set(rounds).subtracting(stored).sorted().prefix(10))")

        // Put the cluster back together for the other tests: the node rejoins as a replica.
        try cluster.revive(victim)
        revived = true
        #expect(try dict.get("after") == 2)
    }

    @Test func aWriteWhoseOutcomeIsUnknownIsReportedAndNotSentAgain() throws {
        var configuration = try RedisConfiguration(url: cluster.url)
        configuration.ioTimeout = .milliseconds(500)
        let connection = RedisConnection(configuration)
        let key = RedisKey("{unknown-\(RandomTag.next())}n")
        #expect(try connection.send(RedisCommand("INCR", key: key)) == .integer(1))  // the map and socket are ready
        let master = try cluster.master(of: try slot(of: key))
        master.freeze()  // takes the bytes, answers nothing: the INCR may or may not run
        defer { master.thaw() }
        let error = #expect(throws: PotteryError.self) { try connection.send(RedisCommand("INCR", key: key)) }
        #expect(error?.code == .timeout, "\(String(describing: error))")
        master.thaw()
        // The frozen master runs the INCR it had taken, once: the client did not send it again.
        let limit = ContinuousClock.now + .seconds(60)
        var value = RedisReply.bulk(Array("1".utf8))
        while ContinuousClock.now < limit, value == .bulk(Array("1".utf8)) {
            value = (try? connection.send(RedisCommand("GET", key: key))) ?? value
            usleep(20_000)
        }
        #expect(value == .bulk(Array("2".utf8)))
    }
}

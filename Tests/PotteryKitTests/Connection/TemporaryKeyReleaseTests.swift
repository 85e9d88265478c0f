import Foundation
import Synchronization
import PotteryKit
import PotteryTestSupport
import Testing

/// A temporary container's key is deleted when the handle goes away, without
/// the release ever blocking, and the reply nobody waits for never answers a
/// later command.
@Suite struct TemporaryKeyReleaseTests {
    /// A temporary dict holding one entry, and its key.
    private func temporaryDict(on connection: RedisConnection) throws -> (RedisDict<String, Int>, RedisKey) {
        let dict = try RedisDict<String, Int>(temporaryOn: connection)
        try dict.set(1, for: "a")
        return (dict, dict.key)
    }

    @Test func releaseOnAnIdleConnectionDeletesTheKeyShortlyAfter() throws {
        let server = RedisServer.shared
        let connection = server.connection()
        let observer = server.connection()
        var (dict, key): (RedisDict<String, Int>?, RedisKey) = try temporaryDict(on: connection)
        #expect(try Engine.exists(key, on: observer))
        let (_, took) = Engine.timed { () throws(PotteryError) in dict = nil }
        #expect(dict == nil)
        #expect(took < .milliseconds(50))
        #expect(try Engine.eventually { () throws(PotteryError) in try !Engine.exists(key, on: observer) })
        // The connection owes one dropped reply; its next call still gets its own.
        #expect(try connection.send(Engine.echo("next")) == Engine.bulk("next"))
    }

    @Test func releaseWhileTheServerIsFrozenReturnsAtOnce() throws {
        let own = try RedisServer()
        defer { own.thaw() }
        let connection = own.connection()
        let observer = own.connection()
        var (dict, key): (RedisDict<String, Int>?, RedisKey) = try temporaryDict(on: connection)
        #expect(try Engine.exists(key, on: observer))
        own.freeze()
        let (_, took) = Engine.timed { () throws(PotteryError) in dict = nil }
        #expect(dict == nil)
        #expect(took < .milliseconds(50))
        own.thaw()
        let (next, _) = try #require(Engine.bounded { () throws(PotteryError) in try connection.send(Engine.echo("next")) })
        #expect(try next.get() == Engine.bulk("next"))
        #expect(try !Engine.exists(key, on: observer))
    }

    @Test func releaseWhileAnotherThreadWaitsOnAFrozenServerReturnsAtOnceAndGoesWithTheNextCall() throws {
        let own = try RedisServer()
        defer { own.thaw() }
        let connection = own.connection()
        let observer = own.connection()
        var (dict, key): (RedisDict<String, Int>?, RedisKey) = try temporaryDict(on: connection)
        own.freeze()
        // Another thread holds the connection, waiting for the frozen server.
        let busyDone = DispatchSemaphore(value: 0)
        let busyReply = Mutex<RedisReply?>(nil)
        Thread {
            let reply = try? connection.send(Engine.echo("busy"))
            busyReply.withLock { $0 = reply }
            busyDone.signal()
        }.start()
        usleep(50_000)
        let (_, took) = Engine.timed { () throws(PotteryError) in dict = nil }
        #expect(dict == nil)
        #expect(took < .milliseconds(50))
        own.thaw()
        #expect(busyDone.wait(timeout: .now() + 10) == .success)
        #expect(busyReply.withLock { $0 } == Engine.bulk("busy"))
        // The UNLINK waited for the connection's next exchange; that call gets its own reply.
        let (next, _) = try #require(Engine.bounded { () throws(PotteryError) in try connection.send(Engine.echo("next")) })
        #expect(try next.get() == Engine.bulk("next"))
        #expect(try !Engine.exists(key, on: observer))
    }

    @Test func releaseWithoutASocketGoesWithTheNextCall() throws {
        let server = RedisServer.shared
        let connection = server.connection()
        let observer = server.connection()
        var (dict, key): (RedisDict<String, Int>?, RedisKey) = try temporaryDict(on: connection)
        connection.close()
        dict = nil
        #expect(dict == nil)
        usleep(20_000)
        #expect(try Engine.exists(key, on: observer), "nothing can be sent before the next call")
        #expect(try connection.send(Engine.echo("next")) == Engine.bulk("next"))  // reconnects, UNLINK first
        #expect(try !Engine.exists(key, on: observer))
    }

    @Test func releaseInsideATransactionBodyOnTheSameConnectionDoesNotDeadlock() throws {
        let server = RedisServer.shared
        let connection = server.connection()
        let observer = server.connection()
        let watched = uniqueKey()
        let (temporary, _) = try temporaryDict(on: connection)
        let key = temporary.key
        let box = Mutex<RedisDict<String, Int>?>(temporary)
        _ = consume temporary
        let (outcome, took) = try #require(Engine.bounded { () throws(PotteryError) in
            try connection.transaction(watching: [watched]) { transaction throws(PotteryError) -> RedisReply in
                box.withLock { $0 = nil }  // the last handle goes away here, the lock held by this thread
                let read = try transaction.send(Engine.echo("read"))
                transaction.enqueue(command("SET", watched.description, "done"))
                return read
            }
        })
        #expect(took < .seconds(2))
        let (read, replies) = try outcome.get()
        #expect(read == Engine.bulk("read"))
        #expect(replies == [.status("OK")])
        #expect(try connection.send(Engine.echo("next")) == Engine.bulk("next"))
        #expect(try !Engine.exists(key, on: observer))
        try connection.send(RedisCommand("DEL", key: watched))
    }

    @Test func repliesStayPairedWhileManyReleasesInterleaveWithCalls() throws {
        let server = RedisServer.shared
        let connection = server.connection()
        let observer = server.connection()
        var released: [RedisKey] = []
        var generator = SystemRandomNumberGenerator()
        for round in 0..<150 {
            // 0 to 3 temporary dicts released before each call, some while a pipeline is next.
            for _ in 0..<Int.random(in: 0...3, using: &generator) {
                let (dict, key) = try temporaryDict(on: connection)
                released.append(key)
                _ = consume dict
            }
            switch round % 3 {
            case 0:
                #expect(try connection.send(Engine.echo("r\(round)")) == Engine.bulk("r\(round)"))
            case 1:
                let replies = try connection.pipeline([Engine.echo("a\(round)"), RedisCommand("PING"), Engine.echo("b\(round)")])
                #expect(replies == [Engine.bulk("a\(round)"), .status("PONG"), Engine.bulk("b\(round)")])
            default:
                let dict = try RedisDict<String, Int>(temporaryOn: connection)
                try dict.set(round, for: "n")
                #expect(try dict.get("n") == round)
                released.append(dict.key)
            }
        }
        #expect(try connection.send(Engine.echo("last")) == Engine.bulk("last"))
        var existing: [RedisKey] = []
        for key in released where try Engine.exists(key, on: observer) { existing.append(key) }
        #expect(existing.isEmpty, "\(existing.count) of \(released.count) temporary keys left")
    }

    @Test func aReleaseWaitingForAServerThatIsDownIsNotForgotten() throws {
        // The server keeps its data across the restart (AOF), so a lost UNLINK would leak the key.
        let own = try RedisServer(config: ["appendonly yes", "appendfsync always"])
        let connection = own.connection()
        var (dict, key): (RedisDict<String, Int>?, RedisKey) = try temporaryDict(on: connection)
        connection.close()
        dict = nil  // no socket: the UNLINK waits for the next call
        #expect(dict == nil)
        own.kill()
        let down = Engine.timed { () throws(PotteryError) in try connection.send(RedisCommand("PING")) }
        #expect(Engine.failure(down.0)?.code == .connectionError)
        try own.restart()
        let observer = own.connection()
        #expect(try Engine.exists(key, on: observer), "the key survived the restart")
        #expect(try connection.send(Engine.echo("back")) == Engine.bulk("back"))
        #expect(try !Engine.exists(key, on: observer))
    }

    @Test func aConnectionOwingADroppedReplyIsStillReplacedWhenTheServerClosedIt() throws {
        // As for any idle connection (ConnectionTests.anIdleConnectionClosedByTheServerIsReplacedBeforeUse):
        // a socket the server closed is noticed before use, even when a reply is still owed on it.
        let server = RedisServer.shared
        let connection = server.connection()
        let admin = server.connection()
        let id = try #require(try connection.send(RedisCommand("CLIENT").with("ID")).integer)
        var (dict, key): (RedisDict<String, Int>?, RedisKey) = try temporaryDict(on: connection)
        dict = nil  // UNLINK written now, its reply owed
        #expect(dict == nil)
        #expect(try Engine.eventually { () throws(PotteryError) in try !Engine.exists(key, on: admin) })
        try admin.send(RedisCommand("CLIENT").with("KILL", "ID", String(id)))
        usleep(50_000)
        #expect(try connection.send(Engine.echo("after kill")) == Engine.bulk("after kill"))
    }

    @Test func aConnectionOwingADroppedReplyReconnectsAfterARestart() throws {
        let own = try RedisServer()
        let connection = own.connection()
        var (dict, _): (RedisDict<String, Int>?, RedisKey) = try temporaryDict(on: connection)
        dict = nil
        #expect(dict == nil)
        usleep(20_000)  // the UNLINK's reply has arrived
        try own.restart()
        #expect(try connection.send(Engine.echo("after restart")) == Engine.bulk("after restart"))
    }
}

extension RedisCommand {
    /// This command with `arguments` appended.
    func with(_ arguments: String...) -> RedisCommand {
        var copy = self
        for argument in arguments { copy.append(argument) }
        return copy
    }
}

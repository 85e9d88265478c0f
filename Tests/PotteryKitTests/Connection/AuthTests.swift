import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

@Suite struct AuthTests {
    @Test func aclUserPasswordAndWrongPassword() throws {
        let server = try RedisServer(config: [
            "user default on >defaultpw ~* &* +@all",
            "user alice on >alice-secret ~app:* +@all",
        ])
        let alice = try RedisConnection(url: "redis://alice:alice-secret@127.0.0.1:\(server.port)/0")
        var set = RedisCommand("SET", key: "app:x")
        set.append("1")
        #expect(try alice.send(set) == .status("OK"))
        // The ACL limits alice to app:* keys: NOPERM surfaces with the server's text.
        var other = RedisCommand("SET", key: "other")
        other.append("1")
        let denied = try #require(throws: PotteryError.self) { try alice.send(other) }
        #expect(denied.code == .noPermissionError)  // redis-py's NoPermissionError
        #expect(denied.redisCode == "NOPERM")

        let defaultUser = try RedisConnection(url: "redis://:defaultpw@127.0.0.1:\(server.port)")
        #expect(try defaultUser.send(RedisCommand("PING")) == .status("PONG"))

        let wrong = try RedisConnection(url: "redis://alice:nope@127.0.0.1:\(server.port)/0")
        let refused = try #require(throws: PotteryError.self) { try wrong.send(RedisCommand("PING")) }
        #expect(refused.code == .authenticationError)
        #expect(refused.redisCode == "WRONGPASS")
        // The password never appears in messages.
        #expect(!refused.description.contains("nope"))
        #expect(refused.server == "redis://alice:***@127.0.0.1:\(server.port)/0")

        let none = try RedisConnection(url: server.url)
        let noauth = try #require(throws: PotteryError.self) { try none.send(RedisCommand("PING")) }
        #expect(noauth.code == .authenticationError)
        #expect(noauth.redisCode == "NOAUTH")
    }

    @Test func requirepassServerOverUnixSocket() throws {
        let server = try RedisServer(config: ["requirepass s3cr%t"])
        let connection = try RedisConnection(url: "unix://:s3cr%25t@\(server.socketPath)?db=2")
        #expect(try connection.send(RedisCommand("PING")) == .status("PONG"))
        #expect(try connection.send(RedisCommand("CLIENT", key: "INFO")).bytes.map { String(decoding: $0, as: UTF8.self).contains("db=2") } == true)
    }
}

@Suite struct AuthWithoutServerPasswordTests {
    @Test func aPasswordForAServerWithoutOneIsRefusedOnce() throws {
        let connection = try RedisConnection(url: "redis://:unneeded@127.0.0.1:\(RedisServer.shared.port)/0")
        let error = try #require(throws: PotteryError.self) { try connection.send(RedisCommand("PING")) }
        #expect(error.code == .authenticationError)
        #expect(error.message.components(separatedBy: "refused the credentials").count == 2)
        #expect(!error.description.contains("unneeded"))
    }
}

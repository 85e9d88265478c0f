import PotteryKit
import Testing

@Suite struct URLTests {
    @Test func parsesRedisURLs() throws {
        let full = try RedisConfiguration(url: "redis://bob:p%40ss@example.com:6380/4")
        #expect(full.endpoint == .tcp(host: "example.com", port: 6380))
        #expect(full.username == "bob")
        #expect(full.password == "p@ss")
        #expect(full.database == 4)
        #expect(full.maskedURL == "redis://bob:***@example.com:6380/4")

        let passwordOnly = try RedisConfiguration(url: "redis://:secret@localhost")
        #expect(passwordOnly.username == nil)
        #expect(passwordOnly.password == "secret")
        #expect(passwordOnly.endpoint == .tcp(host: "localhost", port: 6379))
        #expect(passwordOnly.maskedURL == "redis://:***@localhost:6379/0")

        let ipv6 = try RedisConfiguration(url: "redis://[::1]:7000/1")
        #expect(ipv6.endpoint == .tcp(host: "::1", port: 7000))
        #expect(ipv6.maskedURL == "redis://[::1]:7000/1")

        let query = try RedisConfiguration(url: "redis://h?db=5&password=x")
        #expect(query.database == 5)
        #expect(query.password == "x")

        let unix = try RedisConfiguration(url: "unix:///run/redis.sock?db=2")
        #expect(unix.endpoint == .unix(path: "/run/redis.sock"))
        #expect(unix.database == 2)
        #expect(unix.maskedURL == "unix:///run/redis.sock?db=2")

        let defaults = try RedisConfiguration(url: RedisConfiguration.defaultURL)
        #expect(defaults.endpoint == .tcp(host: "localhost", port: 6379))
        #expect(defaults.connectTimeout == .seconds(1))
        #expect(defaults.ioTimeout == .seconds(5))
    }

    @Test(arguments: [
        "localhost:6379", "http://x", "redis://h:0", "redis://h:99999", "redis://h:abc",
        "redis://h/notanumber", "redis://h?db=-1", "unix://relative.sock", "redis://[::1",
    ])
    func rejectsMalformedURLs(_ url: String) {
        #expect(throws: PotteryError.self) { try RedisConfiguration(url: url) }
        do { _ = try RedisConfiguration(url: url) } catch { #expect(error.code == .invalidURL) }
    }

    @Test func refusesTLSClearly() {
        do {
            _ = try RedisConfiguration(url: "rediss://:pw@host:6380/0")
            Issue.record("rediss:// was accepted")
        } catch {
            #expect(error.code == .invalidURL)
            #expect(error.message.contains("TLS"))
            #expect(!error.message.contains("pw"))
        }
    }

    @Test func masksPasswordsOfURLsThatDoNotParse() {
        do {
            _ = try RedisConfiguration(url: "redis://u:hunter2@h:notaport")
            Issue.record("accepted a bad port")
        } catch {
            #expect(!error.description.contains("hunter2"))
        }
    }

    @Test(arguments: [
        "unix:///tmp/x.sock?db=abc&password=sekrit", "redis://127.0.0.1:6414/x?password=sekrit",
        "unix://?password=sekrit", ":sekrit@127.0.0.1:6414", "redis//:sekrit@h", "redis:/:sekrit@h",
        "unix:/:sekrit@/x.sock", "x:sekrit@h", "redis://u:sekrit@h:notaport", "redis://u:se@krit@h:99999",
        "redis://h?PASSWORD=sekrit&db=zz",
    ])
    func neverShowsThePasswordOfAURLThatDoesNotParse(_ url: String) {
        do {
            _ = try RedisConfiguration(url: url)
            Issue.record("accepted \(url)")
        } catch {
            #expect(!error.description.contains("sekrit"), "\(error)")
            #expect(!error.description.contains("krit"), "\(error)")
            #expect(error.description.contains("***"), "\(error)")
        }
    }
}

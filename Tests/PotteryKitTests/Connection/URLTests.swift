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

/// Passwords holding URL delimiters (`/@:%?#[]`), written raw or percent-encoded.
@Suite struct URLPasswordMaskingTests {
    /// The reported defect and its relatives: each URL is refused and `secret` never shown.
    @Test(arguments: [
        ("redis://:pa/ss@host:99999", "pa/ss"),
        ("redis://u:pa/ss@host:99999", "pa/ss"),
        ("redis://:a/b/c@h:0", "a/b/c"),
        ("redis://:pa?ss@host", "pa?ss"),
        ("redis://:pa#ss@h:0", "pa#ss"),
        ("redis://:pa@ss@h:abc", "pa@ss"),
        ("redis://:p:a:ss@h:70000", "p:a:ss"),
        ("redis://:[pass]@h:0", "[pass]"),
        ("redis://:pw%zz@h:0", "pw%zz"),
        ("redis://:a?db=zzz@h", "a?db=zzz"),
        ("redis://:a/bcd?e@h:0", "a/bcd?e"),
        ("redis://bob:sec/ret@h/notadb", "sec/ret"),
        ("redis://:sec/ret@[::1", "sec/ret"),
        ("redis://:sec/ret@[::1]x", "sec/ret"),
        ("http://:sec/ret@h", "sec/ret"),
        ("rediss://:sec/ret@h:6380", "sec/ret"),
        ("redis:/:x://yyy@h", "x://yyy"),
        (":sec/ret@h:6379", "sec/ret"),
        ("unix://:pa/ss@/tmp/x.sock?db=x", "pa/ss"),
        ("unix://:pa/ss@tmp/x.sock", "pa/ss"),
        ("unix://:@/ss@relative.sock", "@/ss"),
        ("unix://:sec/ret@relative.sock", "sec/ret"),
        ("unix:///tmp/x.sock?db=zz&password=a/b@c", "a/b@c"),
        ("redis://h?password=a@bcd&db=zz", "a@bcd"),
        ("redis://h?password=abc&x&db=zz", "abc&x"),
        ("redis://secret@h:99999", "secret"),
        ("redis://:p%2Fss@h:99999", "p%2Fss"),
        ("redis://:\u{301}secret@h:0", "secret"),
        ("redis://bob:@\u{301}secret@h:0", "secret"),
    ])
    func neverShowsThePassword(_ url: String, _ secret: String) {
        do {
            let configuration = try RedisConfiguration(url: url)
            Issue.record("accepted \(url) as \(configuration.maskedURL)")
        } catch {
            #expect(error.code == .invalidURL)
            #expect(!error.description.contains(secret), "\(error)")
            #expect(error.description.contains("***"), "\(error)")
        }
    }

    @Test func theReportedURLSaysWhatIsWrong() {
        do {
            _ = try RedisConfiguration(url: "redis://:pa/ss@host:99999")
            Issue.record("accepted a port above 65535")
        } catch {
            #expect(error.code == .invalidURL)
            #expect(error.message == "invalid Redis URL redis://:***@host:99999: port must be 1-65535, got 99999")
        }
    }

    @Test(arguments: ["redis://h:65536", "redis://h:99999", "redis://h:0", "redis://h:-1", "redis://h:",
                      "redis://h:100000000000000000000", "redis://[::1]:70000", "redis://[::1]:0"])
    func refusesPortsOutsideOneTo65535(_ url: String) {
        do {
            let configuration = try RedisConfiguration(url: url)
            Issue.record("accepted \(url) as \(configuration.maskedURL)")
        } catch {
            #expect(error.code == .invalidURL)
            #expect(error.message.contains("port must be 1-65535"), "\(error)")
        }
    }

    @Test func acceptsTheWholePortRange() throws {
        #expect(try RedisConfiguration(url: "redis://h:1").endpoint == .tcp(host: "h", port: 1))
        #expect(try RedisConfiguration(url: "redis://h:65535").endpoint == .tcp(host: "h", port: 65535))
        #expect(try RedisConfiguration(url: "redis://[::1]:65535").endpoint == .tcp(host: "::1", port: 65535))
    }

    @Test func redissShowsTheMaskedURL() {
        do {
            _ = try RedisConfiguration(url: "rediss://:p/w@host:6380/0")
            Issue.record("rediss:// was accepted")
        } catch {
            #expect(error.message.hasPrefix("invalid Redis URL rediss://:***@host:6380/0: "), "\(error)")
            #expect(error.message.contains("TLS"))
        }
    }

    @Test func parsesPercentEncodedDelimitersInCredentials() throws {
        let tcp = try RedisConfiguration(url: "redis://us%40er:p%2F%40%3A%25%3F%23%5B%5D@h:6380/1")
        #expect(tcp.username == "us@er")
        #expect(tcp.password == "p/@:%?#[]")
        #expect(tcp.endpoint == .tcp(host: "h", port: 6380))
        #expect(tcp.database == 1)
        #expect(tcp.maskedURL == "redis://us%40er:***@h:6380/1")

        let unix = try RedisConfiguration(url: "unix://:a%2Fb%40c%3F%23@/tmp/r.sock?db=2")
        #expect(unix.password == "a/b@c?#")
        #expect(unix.endpoint == .unix(path: "/tmp/r.sock"))
        #expect(unix.maskedURL == "unix://:***@/tmp/r.sock?db=2")

        let query = try RedisConfiguration(url: "redis://h?password=a%26b%3Dc%2F%40&db=3")
        #expect(query.password == "a&b=c/@")
        #expect(query.database == 3)
        #expect(query.maskedURL == "redis://:***@h:6379/3")

        // Raw `/`, `@`, `:`, `[` and `]` in a password work too: the credentials end at the last `@`.
        let raw = try RedisConfiguration(url: "redis://:pa/ss@w:o[r]d@h:6380")
        #expect(raw.password == "pa/ss@w:o[r]d")
        #expect(raw.endpoint == .tcp(host: "h", port: 6380))
        #expect(raw.maskedURL == "redis://:***@h:6380/0")
        let rawUnix = try RedisConfiguration(url: "unix://:pa/ss@w:o[r]d@/tmp/r.sock")
        #expect(rawUnix.password == "pa/ss@w:o[r]d")
        #expect(rawUnix.endpoint == .unix(path: "/tmp/r.sock"))
        #expect(rawUnix.maskedURL == "unix://:***@/tmp/r.sock?db=0")
    }

    @Test func socketPathsMayHoldAnAt() throws {
        // With no credentials, as is...
        let plain = try RedisConfiguration(url: "unix:///run/redis@main/redis.sock?db=1")
        #expect(plain.endpoint == .unix(path: "/run/redis@main/redis.sock"))
        #expect(plain.password == nil)
        // ...and percent-encoded after credentials, which end at the last `@`.
        let withPassword = try RedisConfiguration(url: "unix://:pw@/run/redis%40main/redis.sock")
        #expect(withPassword.endpoint == .unix(path: "/run/redis@main/redis.sock"))
        #expect(withPassword.password == "pw")
        do {
            _ = try RedisConfiguration(url: "unix://:pw@/run/redis@main/redis.sock")
            Issue.record("read part of the path as the password")
        } catch {
            #expect(error.message.contains("%40"), "\(error)")
            #expect(!error.message.contains("pw@"), "\(error)")
        }
    }

    @Test func decodesOnlyTwoHexDigitsAfterAPercentSign() throws {
        #expect(try RedisConfiguration(url: "redis://:a%+fb@h").password == "a%+fb")
        #expect(try RedisConfiguration(url: "redis://:a%-0b@h").password == "a%-0b")
        #expect(try RedisConfiguration(url: "redis://:a%zzb%4@h").password == "a%zzb%4")
        #expect(try RedisConfiguration(url: "redis://:a%4a%4B@h").password == "aJK")
    }
}

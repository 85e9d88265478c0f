import PotteryKit
import PotteryTestSupport
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

/// Random passwords full of URL delimiters, in random URL shapes, valid and not:
/// no error and no ``RedisConfiguration/maskedURL`` may show one.
@Suite struct URLPasswordFuzzTests {
    /// How the password is written into the URL.
    enum Writing {
        /// Every byte but `A-Za-z0-9-._~` percent-encoded.
        case encoded
        /// Only the bytes that would end credentials early (`%`, `?`, `#`) percent-encoded.
        case userInfoMinimal
        /// Only `%` and `&` percent-encoded: enough for a query value.
        case queryMinimal
        /// As is.
        case raw
    }

    /// What parsing must give.
    enum Outcome {
        /// A configuration holding exactly the password.
        case parsesToThePassword
        /// The password exactly, if it holds none of these characters; else either.
        case parsesToThePasswordWithout(String)
        /// An `invalidURL` error.
        case fails
        /// Either; the password must not show in whichever comes.
        case either
    }

    /// A URL shape: text before and after the password.
    struct Shape: Sendable {
        let name: String
        let writing: Writing
        let outcome: Outcome
        let around: @Sendable (inout SeededGenerator) -> (before: String, after: String)

        init(_ name: String, _ writing: Writing, _ outcome: Outcome,
             _ around: @escaping @Sendable (inout SeededGenerator) -> (before: String, after: String)) {
            self.name = name
            self.writing = writing
            self.outcome = outcome
            self.around = around
        }
    }

    static let badPorts = ["99999", "65536", "0", "-1", "abc", "", "100000000000000000000", "6379x"]
    static let badDatabases = ["x", "-1", "1.5", "%31x", "1/2"]
    static let badSchemes = ["http", "rediss", "REDISS", "redis+tls", "", "re dis", "unix2"]
    static let noSchemes = [":", "redis:/:", "redis//:", "x:", "redis:"]
    static let missingHosts = ["@", "@:6380", "@/2", "@:", "@?db=1"]

    static let shapes: [Shape] = [
        Shape("tcp user:password, encoded", .encoded, .parsesToThePassword) { _ in ("redis://bob:", "@example.com:6380/4") },
        Shape("tcp IPv6, encoded", .encoded, .parsesToThePassword) { _ in ("redis://:", "@[::1]:7000/1") },
        Shape("tcp, minimal encoding", .userInfoMinimal, .parsesToThePassword) { _ in ("redis://u:", "@h/2") },
        Shape("unix, encoded", .encoded, .parsesToThePassword) { _ in ("unix://:", "@/tmp/redis.sock?db=3") },
        Shape("tcp query, encoded", .encoded, .parsesToThePassword) { _ in ("redis://h?db=2&password=", "") },
        Shape("unix query, minimal encoding", .queryMinimal, .parsesToThePassword) { _ in
            ("unix:///tmp/x.sock?password=", "&db=1")
        },
        Shape("bad port, encoded", .encoded, .fails) { r in ("redis://:", "@h:" + badPorts.randomElement(using: &r)!) },
        Shape("bad port, raw", .raw, .either) { r in ("redis://:", "@host:" + badPorts.randomElement(using: &r)!) },
        Shape("bad IPv6 port, raw", .raw, .either) { r in ("redis://u:", "@[::1]:" + badPorts.randomElement(using: &r)!) },
        Shape("bad db, raw", .raw, .either) { r in ("redis://bob:", "@host:6379/" + badDatabases.randomElement(using: &r)!) },
        Shape("bad db, encoded", .encoded, .fails) { r in ("redis://bob:", "@host/" + badDatabases.randomElement(using: &r)!) },
        Shape("unknown scheme, raw", .raw, .fails) { r in (badSchemes.randomElement(using: &r)! + "://:", "@host") },
        Shape("unknown scheme, encoded", .encoded, .fails) { r in (badSchemes.randomElement(using: &r)! + "://u:", "@h:1/0") },
        Shape("no scheme, raw", .raw, .either) { r in (noSchemes.randomElement(using: &r)!, "@127.0.0.1:6379") },
        Shape("missing host, raw", .raw, .either) { r in ("redis://:", missingHosts.randomElement(using: &r)!) },
        Shape("unclosed IPv6, raw", .raw, .either) { _ in ("redis://:", "@[::1:6379") },
        Shape("tcp, raw", .raw, .parsesToThePasswordWithout("%?#")) { _ in ("redis://:", "@h:6380/1") },
        Shape("unix relative path, raw", .raw, .either) { _ in ("unix://:", "@relative.sock") },
        Shape("unix empty path, raw", .raw, .either) { _ in ("unix://bob:", "@") },
        Shape("unix absolute path, raw", .raw, .parsesToThePasswordWithout("%?#")) { _ in ("unix://:", "@/tmp/x.sock") },
        Shape("tcp query then bad db, raw", .raw, .fails) { r in
            ("redis://h:6379?password=", "&db=" + badDatabases.randomElement(using: &r)!)
        },
        Shape("unix query after bad db, raw", .raw, .fails) { _ in ("unix:///tmp/x.sock?db=zz&password=", "") },
        Shape("tcp query, raw", .raw, .parsesToThePasswordWithout("%")) { _ in ("redis://h?password=", "") },
        Shape("query and user info, raw", .raw, .either) { r in
            ("redis://:", "@h:" + badPorts.randomElement(using: &r)! + "?password=x")
        },
    ]

    static let delimiters = Array("/@:%?#[]".unicodeScalars)

    /// Heavy in URL delimiters; letters (some hex digits, so `%` may start an escape),
    /// a few digits (so a password may look like a port), a non-ASCII letter and a combining mark.
    static let alphabet: [String] = Array(repeating: ["/", "@", ":", "%", "?", "#", "[", "]"], count: 3).flatMap { $0 }
        + ["a", "b", "c", "d", "e", "f", "k", "m", "p", "s", "w", "x", "z", "A", "F", "K", "Q", "W"]
        + ["0", "4", "7", "é", "\u{301}"]

    @Test func noErrorOrMaskedURLShowsARandomPassword() {
        let seed: UInt64 = 0x5EED_0A11
        var random = SeededGenerator(seed: seed)
        // Text every message may hold whatever the password: a password found in it proves nothing.
        let vocabulary = Self.fixedText()
        let cases = 6000
        var checked = 0
        var failuresChecked = 0
        var successesChecked = 0
        var checkedPerShape: [String: Int] = [:]
        var delimitersSeen: [Unicode.Scalar: Int] = [:]

        for index in 0..<cases {
            let shape = Self.shapes.randomElement(using: &random)!
            let length = Int.random(in: 3...14, using: &random)
            let password = (0..<length).map { _ in Self.alphabet.randomElement(using: &random)! }.joined()
            let written = Self.write(password, shape.writing)
            let (before, after) = shape.around(&random)
            let url = before + written + after
            let context = "case \(index) (seed \(seed)), shape \(shape.name), URL \(url)"

            // Only a password that stands out from everything else a message may say.
            let secrets = written == password ? [password] : [password, written]
            let elsewhere = Array((before + after).utf8)
            if secrets.contains(where: { Self.contains(elsewhere, $0) || Self.contains(vocabulary, $0) }) { continue }
            checked += 1
            checkedPerShape[shape.name, default: 0] += 1
            for delimiter in Self.delimiters where password.unicodeScalars.contains(delimiter) {
                delimitersSeen[delimiter, default: 0] += 1
            }

            do {
                let configuration = try RedisConfiguration(url: url)
                successesChecked += 1
                let shown = secrets.filter { Self.contains(Array(configuration.maskedURL.utf8), $0) }
                #expect(shown.isEmpty, "\(context): maskedURL \(configuration.maskedURL) shows \(shown)")
                if configuration.password != nil {
                    #expect(configuration.maskedURL.contains("***"), "\(context): \(configuration.maskedURL)")
                }
                switch shape.outcome {
                case .parsesToThePassword:
                    #expect(configuration.password == password, "\(context)")
                case .parsesToThePasswordWithout(let characters):
                    if !password.unicodeScalars.contains(where: { characters.unicodeScalars.contains($0) }) {
                        #expect(configuration.password == password, "\(context)")
                    }
                case .fails:
                    Issue.record("\(context): accepted as \(configuration.maskedURL)")
                case .either:
                    break
                }
            } catch {
                failuresChecked += 1
                #expect(error.code == .invalidURL, "\(context)")
                for text in [error.message, error.description] {
                    let shown = secrets.filter { Self.contains(Array(text.utf8), $0) }
                    #expect(shown.isEmpty, "\(context): \(text) shows \(shown)")
                    #expect(text.contains("***"), "\(context): \(text)")
                }
                switch shape.outcome {
                case .parsesToThePassword:
                    Issue.record("\(context): \(error)")
                case .parsesToThePasswordWithout(let characters):
                    #expect(password.unicodeScalars.contains(where: { characters.unicodeScalars.contains($0) }),
                            "\(context): \(error)")
                case .fails, .either:
                    break
                }
            }
        }

        // Not vacuous: nearly every case was checked, in every shape, both ways, with every delimiter.
        #expect(checked >= cases * 9 / 10, "checked only \(checked) of \(cases)")
        #expect(failuresChecked >= 2000, "\(failuresChecked) errors checked")
        #expect(successesChecked >= 1000, "\(successesChecked) parsed URLs checked")
        for shape in Self.shapes {
            #expect(checkedPerShape[shape.name, default: 0] >= 100, "shape \(shape.name): \(checkedPerShape[shape.name, default: 0])")
        }
        for delimiter in Self.delimiters {
            #expect(delimitersSeen[delimiter, default: 0] >= 1000, "\(delimiter): \(delimitersSeen[delimiter, default: 0])")
        }
    }

    /// The parser's own words: every error message of a catalogue of URLs with no
    /// password, the masked default URLs, and `***`.
    static func fixedText() -> [UInt8] {
        var text = "***|" + (try! RedisConfiguration(url: RedisConfiguration.defaultURL)).maskedURL
            + "|" + (try! RedisConfiguration(url: "unix:///s")).maskedURL
        for url in ["h", "http://h", "redis://h:0", "redis://h/x", "redis://h?db=x", "unix://r.sock",
                    "redis://[::1", "redis://[::1]x", "rediss://h"] {
            do {
                _ = try RedisConfiguration(url: url)
                Issue.record("\(url) parsed")
            } catch {
                text += "|" + error.description
            }
        }
        return Array(text.utf8)
    }

    /// `password` as written into a URL.
    static func write(_ password: String, _ writing: Writing) -> String {
        let unreserved = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        let escaped: (UInt8) -> Bool = switch writing {
        case .encoded: { !unreserved.contains($0) }
        case .userInfoMinimal: { "%?#".utf8.contains($0) }
        case .queryMinimal: { "%&".utf8.contains($0) }
        case .raw: { _ in false }
        }
        var bytes: [UInt8] = []
        for byte in password.utf8 {
            if escaped(byte) {
                bytes += Array("%".utf8) + Array(hexString([byte]).uppercased().utf8)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `needle`'s UTF-8 bytes occur in `haystack`: bytes, so a combining
    /// mark cannot hide a match as it can between `Character`s.
    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let needle = Array(needle.utf8)
        guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
        candidates: for start in 0...(haystack.count - needle.count) {
            for offset in needle.indices where haystack[start + offset] != needle[offset] { continue candidates }
            return true
        }
        return false
    }
}

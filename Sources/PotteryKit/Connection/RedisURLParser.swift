/// Parses `redis://`, `unix://` and `redis+cluster://` URLs into a ``RedisConfiguration``.
///
/// The URL is read as UTF-8 bytes: every delimiter is ASCII, so no character
/// of a password (a combining mark after `:` or `@`, say) can hide one.
enum RedisURLParser {
    typealias Bytes = ArraySlice<UInt8>

    static func parse(_ url: String) throws(PotteryError) -> RedisConfiguration {
        let bytes = Array(url.utf8)
        let all = bytes[...]
        // Every error shows the URL, and any part of it, only through the mask.
        func show(_ part: Bytes) -> String { URLMask(bytes).shown(part) }
        func fail(_ why: String) -> PotteryError {
            PotteryError(.invalidURL, "invalid Redis URL \(show(all)): \(why)")
        }

        guard let schemeEnd = range(of: "://", in: all) else {
            throw fail("expected redis://host[:port][/db] or unix:///path")
        }
        let schemeText = all[..<schemeEnd.lowerBound]
        let scheme = text(schemeText).lowercased()
        var rest = all[schemeEnd.upperBound...]

        var query: [String: Bytes] = [:]
        if let mark = rest.firstIndex(of: UInt8(ascii: "?")) {
            for pair in rest[(mark + 1)...].split(separator: UInt8(ascii: "&")) {
                let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
                query[text(parts[0])] = parts.count > 1 ? parts[1] : pair[pair.endIndex...]
            }
            rest = rest[..<mark]
        }
        if let hash = rest.firstIndex(of: UInt8(ascii: "#")) { rest = rest[..<hash] }

        var username: String?
        var password: String?
        // The credentials end at the last "@", so a password may hold a raw `/`
        // or `@`: no part of one is ever read as a host, port, path or db.
        // `unix:///path` has no credentials, so its path may hold an "@".
        let hasCredentials = !(scheme == "unix" && rest.first == UInt8(ascii: "/"))
        var sawCredentials = false
        if hasCredentials, let at = rest.lastIndex(of: UInt8(ascii: "@")) {
            let auth = rest[..<at]
            rest = rest[(at + 1)...]
            sawCredentials = true
            if let colon = auth.firstIndex(of: UInt8(ascii: ":")) {
                let user = auth[..<colon]
                username = user.isEmpty ? nil : percentDecode(user)
                password = percentDecode(auth[(colon + 1)...])
            } else if !auth.isEmpty {
                // redis-py reads a lone `user@` as a user name.
                username = percentDecode(auth)
            }
        }
        if let queryPassword = query["password"] { password = percentDecode(queryPassword) }
        if let queryUser = query["username"] { username = percentDecode(queryUser) }

        var database = 0
        if let db = query["db"] {
            guard let value = Int(percentDecode(db)), value >= 0 else {
                throw fail("db must be a number ≥ 0, got \(show(db))")
            }
            database = value
        }

        switch scheme {
        case "redis":
            var hostPort = rest
            if let slash = rest.firstIndex(of: UInt8(ascii: "/")) {
                hostPort = rest[..<slash]
                let dbText = rest[(slash + 1)...]
                if !dbText.isEmpty {
                    guard let value = Int(text(dbText)), value >= 0 else {
                        throw fail("the path must be a database number, got /\(show(dbText))")
                    }
                    database = value
                }
            }
            let (host, port) = try parseHostPort(hostPort, fail, show)
            return RedisConfiguration(endpoint: .tcp(host: host, port: port), username: username,
                                      password: password, database: database)
        case "redis+cluster":
            var seedList = rest
            if let slash = rest.firstIndex(of: UInt8(ascii: "/")) {
                seedList = rest[..<slash]
                let dbText = rest[(slash + 1)...]
                guard dbText.isEmpty || text(dbText) == "0" else {
                    throw fail("a Redis Cluster has only database 0, got /\(show(dbText))")
                }
            }
            guard database == 0 else { throw fail("a Redis Cluster has only database 0") }
            var seeds: [RedisConfiguration.Endpoint] = []
            for seed in seedList.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
                guard !seed.isEmpty else { throw fail("expected host:port[,host:port...] after redis+cluster://") }
                let (host, port) = try parseHostPort(seed, fail, show)
                seeds.append(.tcp(host: host, port: port))
            }
            var configuration = RedisConfiguration(endpoint: seeds[0], username: username, password: password)
            configuration.clusterSeeds = seeds
            return configuration
        case "unix":
            let path = percentDecode(rest)
            guard path.hasPrefix("/") else {
                throw fail("expected an absolute socket path, as unix:///path/redis.sock"
                           + (sawCredentials ? " (the credentials end at the last @: write an @ of the path as %40)" : ""))
            }
            return RedisConfiguration(endpoint: .unix(path: path), username: username,
                                      password: password, database: database)
        case "rediss":
            throw fail("rediss:// (TLS) is not supported: Debian's hiredis 0.14.1 is built without TLS; use redis:// or unix://")
        default:
            throw fail("unknown scheme \(show(schemeText))://, expected redis://, unix:// or redis+cluster://")
        }
    }

    /// `host`, `host:port`, `[v6]` or `[v6]:port`; an empty host is `localhost`, no port 6379.
    private static func parseHostPort(_ hostPort: Bytes, _ fail: (String) -> PotteryError,
                                      _ show: (Bytes) -> String) throws(PotteryError) -> (String, Int) {
        var host = "localhost"
        var port = 6379
        if hostPort.first == UInt8(ascii: "[") {
            guard let close = hostPort.firstIndex(of: UInt8(ascii: "]")) else {
                throw fail("unclosed [ in IPv6 address")
            }
            host = text(hostPort[(hostPort.startIndex + 1)..<close])
            let after = hostPort[(close + 1)...]
            if after.first == UInt8(ascii: ":") {
                port = try parsePort(after.dropFirst(), fail, show)
            } else if !after.isEmpty {
                throw fail("unexpected text after ]")
            }
        } else if let colon = hostPort.lastIndex(of: UInt8(ascii: ":")) {
            if colon != hostPort.startIndex { host = percentDecode(hostPort[..<colon]) }
            port = try parsePort(hostPort[(colon + 1)...], fail, show)
        } else if !hostPort.isEmpty {
            host = percentDecode(hostPort)
        }
        return (host, port)
    }

    private static func parsePort(_ digits: Bytes, _ fail: (String) -> PotteryError,
                                  _ show: (Bytes) -> String) throws(PotteryError) -> Int {
        guard let port = Int(text(digits)), (1...65535).contains(port) else {
            throw fail("port must be 1-65535, got \(show(digits))")
        }
        return port
    }

    /// Bytes as text; slices cut at ASCII delimiters are whole UTF-8 sequences.
    static func text(_ bytes: Bytes) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Where `needle` first occurs in `bytes`.
    static func range(of needle: String, in bytes: Bytes) -> Range<Int>? {
        let needle = Array(needle.utf8)
        var start = bytes.startIndex
        while start + needle.count <= bytes.endIndex {
            if bytes[start..<(start + needle.count)].elementsEqual(needle) { return start..<(start + needle.count) }
            start += 1
        }
        return nil
    }

    /// `%XY` (two hex digits) becomes byte `XY`; any other `%` stays as it is.
    static func percentDecode(_ text: Bytes) -> String {
        var bytes: [UInt8] = []
        var utf8 = text
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let high = hexValue(utf8[utf8.startIndex]), let low = hexValue(utf8[utf8.startIndex + 1]) {
                bytes.append(high << 4 | low)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    static func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80 && (c.isLetter || c.isNumber || "-._~".contains(c)) {
                out.append(c)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}

/// The bytes of a URL that may belong to a password, found without parsing the
/// URL, so that a URL that does not parse is shown as safely as one that does.
///
/// When in doubt it hides more:
/// - the user info: everything between `scheme://` and the *last* `@` of the
///   URL, wherever that `@` is (a password may hold `/`, `?`, `#` or `@`).
///   Only a plain user name (`A-Za-z0-9-._~%`) before a `:` stays visible. With
///   no well-formed `scheme://`, everything before the last `@` is hidden;
/// - every `password=` query value (any case, after `?` or `&`), up to the next
///   `&name=` or the end.
///
/// Each hidden run shows as `***`.
struct URLMask {
    private let hidden: [Bool]

    /// The mask of the URL whose UTF-8 bytes are `bytes`.
    init(_ bytes: [UInt8]) {
        var hidden = [Bool](repeating: false, count: bytes.count)
        func hide(_ range: Range<Int>) { for i in range { hidden[i] = true } }

        let bodyStart = Self.bodyStart(bytes)
        if let lastAt = bytes[(bodyStart ?? 0)...].lastIndex(of: UInt8(ascii: "@")) {
            let userInfo = (bodyStart ?? 0)..<lastAt
            if bodyStart != nil, let colon = bytes[userInfo].firstIndex(of: UInt8(ascii: ":")),
               bytes[userInfo.lowerBound..<colon].allSatisfy(Self.isPlainUserNameByte) {
                hide((colon + 1)..<lastAt)
            } else {
                hide(userInfo)
            }
        }

        let key = Array("password=".utf8)
        for start in bytes.indices where bytes[start] == UInt8(ascii: "?") || bytes[start] == UInt8(ascii: "&") {
            let valueStart = start + 1 + key.count
            guard valueStart <= bytes.count,
                  bytes[(start + 1)..<valueStart].map(Self.lowercased).elementsEqual(key) else { continue }
            var valueEnd = valueStart
            while valueEnd < bytes.count && !Self.startsParameter(bytes, at: valueEnd) { valueEnd += 1 }
            hide(valueStart..<valueEnd)
        }
        self.hidden = hidden
    }

    /// `part` (a slice of the byte array this mask was made from) with each hidden run as `***`.
    func shown(_ part: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        var inHiddenRun = false
        for index in part.indices {
            if hidden[index] {
                if !inHiddenRun { out += Array("***".utf8) }
                inHiddenRun = true
            } else {
                out.append(part[index])
                inHiddenRun = false
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Where the authority begins: just after `scheme://`, when the URL starts
    /// with a well-formed scheme (a letter, then letters, digits, `+`, `-`, `.`).
    private static func bodyStart(_ bytes: [UInt8]) -> Int? {
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0,
              isASCIILetter(bytes[0]),
              bytes[..<colon].allSatisfy({ isASCIILetter($0) || isDigit($0) || "+-.".utf8.contains($0) }),
              bytes.count >= colon + 3, bytes[colon + 1] == UInt8(ascii: "/"), bytes[colon + 2] == UInt8(ascii: "/")
        else { return nil }
        return colon + 3
    }

    /// Whether `&name=` (name: letters, digits, `_`, `-`, `.`) starts at `index`: the end of a query value.
    private static func startsParameter(_ bytes: [UInt8], at index: Int) -> Bool {
        guard bytes[index] == UInt8(ascii: "&") else { return false }
        var next = index + 1
        while next < bytes.count, isASCIILetter(bytes[next]) || isDigit(bytes[next]) || "_-.".utf8.contains(bytes[next]) {
            next += 1
        }
        return next > index + 1 && next < bytes.count && bytes[next] == UInt8(ascii: "=")
    }

    private static func isPlainUserNameByte(_ byte: UInt8) -> Bool {
        isASCIILetter(byte) || isDigit(byte) || "-._~%".utf8.contains(byte)
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}

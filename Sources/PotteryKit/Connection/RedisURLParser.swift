/// Parses `redis://` and `unix://` URLs into a ``RedisConfiguration``.
enum RedisURLParser {
    static func parse(_ url: String) throws(PotteryError) -> RedisConfiguration {
        func fail(_ why: String) -> PotteryError {
            PotteryError(.invalidURL, "invalid Redis URL \(mask(url)): \(why)")
        }
        guard let schemeEnd = url.firstRange(of: "://") else {
            throw fail("expected redis://host[:port][/db] or unix:///path")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        var rest = Substring(url[schemeEnd.upperBound...])

        var query: [String: String] = [:]
        if let mark = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: mark)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                query[String(parts[0])] = parts.count > 1 ? percentDecode(parts[1]) : ""
            }
            rest = rest[..<mark]
        }
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }

        var username: String?
        var password: String?
        // The credentials end at the last "@" before the path.
        let pathStart = scheme == "unix" ? rest.firstIndex(of: "/") : nil
        let authZone = pathStart.map { rest[..<$0] } ?? rest
        if let at = authZone.lastIndex(of: "@") {
            let auth = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = auth.firstIndex(of: ":") {
                let user = auth[..<colon]
                username = user.isEmpty ? nil : percentDecode(user)
                password = percentDecode(auth[auth.index(after: colon)...])
            } else if !auth.isEmpty {
                // redis-py reads a lone `user@` as a user name.
                username = percentDecode(auth)
            }
        }
        if let queryPassword = query["password"] { password = queryPassword }
        if let queryUser = query["username"] { username = queryUser }

        var database = 0
        if let db = query["db"] {
            guard let value = Int(db), value >= 0 else { throw fail("db must be a number ≥ 0, got \(db)") }
            database = value
        }

        switch scheme {
        case "redis":
            var hostPort = rest
            if let slash = rest.firstIndex(of: "/") {
                hostPort = rest[..<slash]
                let dbText = rest[rest.index(after: slash)...]
                if !dbText.isEmpty {
                    guard let value = Int(dbText), value >= 0 else {
                        throw fail("the path must be a database number, got /\(dbText)")
                    }
                    database = value
                }
            }
            var host = "localhost"
            var port = 6379
            if hostPort.hasPrefix("[") {
                guard let close = hostPort.firstIndex(of: "]") else { throw fail("unclosed [ in IPv6 address") }
                host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
                let after = hostPort[hostPort.index(after: close)...]
                if after.hasPrefix(":") { port = try parsePort(after.dropFirst(), fail) }
                else if !after.isEmpty { throw fail("unexpected text after ]") }
            } else if let colon = hostPort.lastIndex(of: ":") {
                if colon != hostPort.startIndex { host = percentDecode(hostPort[..<colon]) }
                port = try parsePort(hostPort[hostPort.index(after: colon)...], fail)
            } else if !hostPort.isEmpty {
                host = percentDecode(hostPort)
            }
            return RedisConfiguration(endpoint: .tcp(host: host, port: port), username: username,
                                      password: password, database: database)
        case "unix":
            let path = percentDecode(rest)
            guard path.hasPrefix("/") else { throw fail("expected an absolute socket path, as unix:///path/redis.sock") }
            return RedisConfiguration(endpoint: .unix(path: path), username: username,
                                      password: password, database: database)
        case "rediss":
            throw PotteryError(.invalidURL, "rediss:// (TLS) is not supported: Debian's hiredis 0.14.1 is built without TLS; use redis:// or unix://")
        default:
            throw fail("unknown scheme \(scheme)://, expected redis:// or unix://")
        }
    }

    private static func parsePort(_ text: Substring, _ fail: (String) -> PotteryError) throws(PotteryError) -> Int {
        guard let port = Int(text), (1...65535).contains(port) else {
            throw fail("port must be 1-65535, got \(text)")
        }
        return port
    }

    /// Hides the password of a URL that may not even parse: `user:secret@`
    /// becomes `user:***@` (the user info being what stands between the last
    /// `/` and the last `@`), and a `password=` query value becomes `***`.
    static func mask(_ url: String) -> String {
        var text = Substring(url)
        var query = Substring("")
        if let mark = text.firstIndex(of: "?") {
            query = text[mark...]
            text = text[..<mark]
        }
        var masked = String(text)
        if let at = text.lastIndex(of: "@") {
            let userInfoStart = text[..<at].lastIndex(of: "/").map { text.index(after: $0) } ?? text.startIndex
            if let colon = text[userInfoStart..<at].firstIndex(of: ":") {
                masked = String(text[...colon]) + "***" + String(text[at...])
            }
        }
        let parameters = query.dropFirst().split(separator: "&", omittingEmptySubsequences: false).map { parameter in
            parameter.lowercased().hasPrefix("password=") ? "password=***" : String(parameter)
        }
        return query.isEmpty ? masked : masked + "?" + parameters.joined(separator: "&")
    }

    static func percentDecode(_ text: some StringProtocol) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
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

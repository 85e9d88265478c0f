/// Turns a Redis error reply into a ``PotteryError``, once, at the funnel.
enum RedisErrorReply {
    /// Splits the first word (`WRONGTYPE`, `NOAUTH`, ...) into ``PotteryError/redisCode``
    /// and picks the code that says what it means.
    static func error(_ text: String, command: RedisCommand, server: String) -> PotteryError {
        let word = text.prefix { $0 != " " }
        let redisCode = word.isEmpty ? nil : String(word)
        let code: PotteryError.Code
        switch redisCode {
        case "WRONGTYPE": code = .wrongType
        case "NOAUTH", "WRONGPASS": code = .authenticationError
        case "NOPERM": code = .noPermissionError
        default: code = .responseError
        }
        var error: PotteryError
        if redisCode == "ERR", text.contains("invalid password") || text.contains("AUTH") && text.contains("password") {
            error = PotteryError(.authenticationError, "\(server) refused the credentials: \(text)",
                                 server: server, redisCode: redisCode)
        } else {
            error = PotteryError(code, "\(command.name) failed: \(text)", key: command.firstKey?.description,
                                 server: server, redisCode: redisCode)
        }
        error.serverText = text
        return error
    }
}

import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// What the interop suites share: Python pottery 3.0.1 on the shared server,
/// and the raw bytes Redis holds.
enum Interop {
    static var server: RedisServer { RedisServer.shared }

    /// Runs `body` in Python with `redis` connected to the shared server and
    /// `imports` from pottery; returns its stdout, trimmed. A failing script is a test issue.
    static func python(_ body: String, importing imports: String) throws -> String {
        let script = """
        import json, math, warnings, logging
        warnings.simplefilter('ignore')
        logging.disable(logging.CRITICAL)
        from redis import Redis
        from pottery import \(imports)
        redis = Redis.from_url('\(server.url)')
        \(body)
        """
        let result = try Python.run(script)
        #expect(result.status == 0, "python failed: \(result.stderr)")
        return String(decoding: result.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `HGETALL key` as raw field -> value bytes.
    static func rawHash(_ key: RedisKey) throws -> [[UInt8]: [UInt8]] {
        let flat = try server.connection().send(RedisCommand("HGETALL", key: key)).array ?? []
        var map: [[UInt8]: [UInt8]] = [:]
        var index = 0
        while index + 1 < flat.count { map[flat[index].bytes!] = flat[index + 1].bytes!; index += 2 }
        return map
    }
}

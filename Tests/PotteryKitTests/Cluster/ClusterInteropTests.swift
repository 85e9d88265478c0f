import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// Python pottery 3.0.1 over redis-py's `RedisCluster` and PotteryKit over
/// `redis+cluster://` read each other's containers on the same cluster.
@Suite struct ClusterInteropTests {
    let cluster = RedisCluster.shared

    @Test func pythonPotteryOnRedisClusterReadsAndWritesOurContainers() throws {
        let connection = cluster.connection()
        let prefix = ClusterCheck.prefix("py")
        let dict = RedisDict<String, JSONValue>(connection, key: RedisKey(prefix + "dict"))
        try dict.update([(key: "jack", value: 4098), (key: "sape", value: ["x": [1.5, nil]])])
        _ = try RedisSet<JSONValue>(connection, key: RedisKey(prefix + "set"), contents: [1, "two"])
        let script = """
        import json, warnings, logging
        warnings.simplefilter('ignore')
        logging.disable(logging.CRITICAL)
        from redis.cluster import RedisCluster
        from pottery import RedisDict, RedisSet
        redis = RedisCluster(host='127.0.0.1', port=\(cluster.nodes[0].port))
        d = RedisDict(redis=redis, key='\(prefix)dict')
        s = RedisSet(redis=redis, key='\(prefix)set')
        print(json.dumps([d['jack'], d['sape'], sorted(map(str, s))], sort_keys=True))
        RedisDict(redis=redis, key='\(prefix)pydict')['guido'] = [1, {'b': None}]
        """
        let result = try Python.run(script)
        #expect(result.status == 0, "python failed: \(result.stderr)")
        let out = String(decoding: result.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(out == #"[4098, {"x": [1.5, null]}, ["1", "two"]]"#)
        let written = RedisDict<String, JSONValue>(connection, key: RedisKey(prefix + "pydict"))
        #expect(try written.get("guido") == [1, ["b": nil]])
    }
}

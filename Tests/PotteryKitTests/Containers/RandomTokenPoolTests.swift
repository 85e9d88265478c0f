#if canImport(Glibc)
import Glibc
#endif
@testable import PotteryKit
import Testing

/// Lock tokens and random key names come from a per-thread pool of `getrandom(2)`
/// bytes (`pottery_random_pooled`): each byte handed out once, and never the same
/// bytes in a forked child as in its parent.
@Suite struct RandomTokenPoolTests {
    @Test func drawsNeverRepeatAcrossManyPoolRefills() {
        // 16 bytes a draw, 512 a pool: 3,000 draws refill it about 94 times.
        var seen: Set<String> = []
        for _ in 0..<3_000 { seen.insert(RandomKey.uuid4()) }
        #expect(seen.count == 3_000)
    }

    @Test func aForkedChildDrawsOtherBytesThanItsParent() throws {
        _ = RandomKey.uuid4()  // the pool now holds unread bytes, which a plain fork would copy
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let child = fork()
        if child == 0 {
            // In the child: draw the next token and hand it to the parent.
            let token = Array(RandomKey.uuid4().utf8)
            _ = token.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) }
            _exit(0)
        }
        #expect(child > 0)
        close(ends[1])
        let parentToken = RandomKey.uuid4()
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { read(ends[0], $0.baseAddress, $0.count) }
        close(ends[0])
        var status: Int32 = 0
        _ = waitpid(child, &status, 0)
        let childToken = String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self)
        #expect(childToken.count == 36, "the child wrote \(count) bytes")
        #expect(childToken != parentToken)
    }
}

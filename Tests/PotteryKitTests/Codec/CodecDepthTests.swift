import Foundation
import PotteryKit
import Synchronization
import Testing

/// Runs `body` on a new thread with a 512 KiB stack and waits for it.
private func onSmallStack(_ body: @escaping @Sendable () -> Void) {
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        body()
        done.signal()
    }
    thread.stackSize = 512 * 1024
    thread.start()
    done.wait()
}

@Suite struct CodecDepthTests {
    @Test func thousandLevelsFitInSmallStack() {
        let results = Mutex<[String]>([])
        onSmallStack {
            var failures: [String] = []
            let arrays = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
            let objects = String(repeating: #"{"a": "#, count: 999) + "[1]" + String(repeating: "}", count: 999)
            let mixed = String(repeating: #"[{"k": "#, count: 500) + "0" + String(repeating: "}]", count: 500)
            for text in [arrays, objects, mixed] {
                do {
                    let value = try PotteryJSON.decode(Array(text.utf8))
                    if PotteryJSON.encode(value) != Array(text.utf8) { failures.append("re-encode differs") }
                    if PotteryJSON.encodePretty(value).count < text.utf8.count { failures.append("pretty too short") }
                    let copy = try PotteryJSON.decode(PotteryJSON.encode(value))
                    if copy != value { failures.append("== failed") }
                    if Set([copy, value]).count != 1 { failures.append("hash differs") }
                    // `value` and `copy` are deallocated here, also on the small stack.
                } catch {
                    failures.append("\(error)")
                }
            }
            results.withLock { $0 = failures }
        }
        #expect(results.withLock { $0 } == [])
    }

    @Test func tooDeepInputFailsOnSmallStack() {
        let kinds = Mutex<[JSONCodecError.Kind?]>([])
        onSmallStack {
            let text = String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000)
            let found = decodeError(Array(text.utf8))?.kind
            kinds.withLock { $0 = [found] }
        }
        #expect(kinds.withLock { $0 } == [.tooDeep])
    }
}

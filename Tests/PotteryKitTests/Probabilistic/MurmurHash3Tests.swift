import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// MurmurHash3 x86 32-bit against the published vectors and against Python's `mmh3`.
@Suite struct MurmurHash3Tests {
    @Test func referenceVectors() {
        let vectors: [(String, UInt32, UInt32)] = [
            ("", 0, 0), ("", 1, 0x514e_28b7), ("", 0xffff_ffff, 0x81f1_6f39),
            ("\0\0\0\0", 0, 0x2362_f9de), ("aaaa", 0x9747_b28c, 0x5a97_808a), ("abc", 0, 0xb3dd_93fa),
            ("Hello, world!", 0x9747_b28c, 0x2488_4cba),
            ("The quick brown fox jumps over the lazy dog", 0x9747_b28c, 0x2fa8_26cd),
        ]
        for (text, seed, expected) in vectors {
            #expect(MurmurHash3.x86_32(Array(text.utf8), seed: seed) == expected, "\(text) seed \(seed)")
        }
        // pottery's vectors (pottery-format §14.3): signed, of the JSON text.
        #expect((0..<7).map { MurmurHash3.signed32(Array("\"rajiv\"".utf8), seed: UInt32($0)) }
                == [-768575023, 1683896911, -249379491, -1433106958, 331278886, -553776956, 2087259416])
    }

    @Test func matchesPythonMmh3OnRandomInputs() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Unicode.Scalar] = ["a", "Z", "0", " ", "\"", "\\", "\n", "é", "ß", "€", "中", "😀", "𝄞", "\u{0}", "\u{7f}", "\u{ffff}"]
        var inputs: [[UInt8]] = []
        for length in 0..<120 {
            var text = ""
            for _ in 0..<(length % 40) { text.unicodeScalars.append(alphabet.randomElement(using: &generator)!) }
            inputs.append(Array(text.utf8))
            // Raw bytes too, not only UTF-8 text.
            inputs.append((0..<length % 23).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
        let seeds: [UInt32] = inputs.indices.map { $0 % 3 == 0 ? UInt32($0 % 16) : UInt32.random(in: 0...UInt32.max, using: &generator) }
        let lines = zip(inputs, seeds).map { bytes, seed in "\(seed) " + bytes.map { String(format: "%02x", $0) }.joined() }
        let result = try Python.run("""
            import sys, mmh3
            for line in sys.stdin.read().splitlines():
                seed, _, data = line.partition(' ')
                print(mmh3.hash(bytes.fromhex(data), int(seed)))
            """, stdin: Array((lines.joined(separator: "\n") + "\n").utf8))
        #expect(result.status == 0, "\(result.stderr)")
        let python = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").map { Int32($0)! }
        let swift = zip(inputs, seeds).map { MurmurHash3.signed32($0, seed: $1) }
        #expect(python == swift)
    }
}

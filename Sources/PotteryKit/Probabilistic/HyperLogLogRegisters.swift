/// Redis' HyperLogLog registers built on the client: the same hash
/// (MurmurHash64A, seed `0xadc83b19`), register index and run length as
/// `PFADD`, written in Redis' dense encoding, so one `PFMERGE` adds a whole
/// batch to an HLL with exactly the registers `PFADD` would have set, for a
/// fixed cost on the server however large the batch.
struct HyperLogLogRegisters {
    static let precision = 14
    static let count = 1 << precision
    /// `HYLL`, dense, 3 unused bytes, the cached cardinality marked stale.
    static let header: [UInt8] = Array("HYLL".utf8) + [0, 0, 0, 0] + [0, 0, 0, 0, 0, 0, 0, 0x80]
    /// Header plus 16384 six-bit registers.
    static let denseSize = header.count + (count * 6 + 7) / 8

    /// The registers in Redis' dense encoding, header first, updated in place
    /// as elements come (no 16384-register pass to pack them afterwards).
    private(set) var dense: [UInt8] = header + [UInt8](repeating: 0, count: denseSize - header.count)

    /// Counts an element given its bytes (`PFADD key bytes`).
    mutating func add(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { add($0) }
    }

    /// Counts an element given its bytes (`PFADD key bytes`).
    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
        let hash = Self.murmurHash64A(bytes, seed: 0xadc8_3b19)
        let index = Int(hash & UInt64(Self.count - 1))
        let rest = (hash >> UInt64(Self.precision)) | (1 << UInt64(64 - Self.precision))
        let run = UInt8(rest.trailingZeroBitCount + 1)
        // Register `index` is the six bits at bit 6·index of the registers, low
        // bits first (hyperloglog.c's HLL_DENSE_GET/SET_REGISTER).
        let bit = index * 6
        let byte = Self.header.count + bit / 8
        let shift = UInt8(bit & 7)
        dense.withUnsafeMutableBufferPointer { bytes in
            let high = byte + 1 < bytes.count ? bytes[byte + 1] : 0
            let current = UInt8(truncatingIfNeeded: (UInt16(bytes[byte]) >> UInt16(shift)) | (UInt16(high) << UInt16(8 - shift))) & 0x3f
            guard run > current else { return }
            bytes[byte] = bytes[byte] & ~UInt8(truncatingIfNeeded: 0x3f << UInt16(shift)) | UInt8(truncatingIfNeeded: UInt16(run) << UInt16(shift))
            if byte + 1 < bytes.count {
                bytes[byte + 1] = bytes[byte + 1] & ~UInt8(0x3f >> (8 - shift)) | (run >> (8 - shift))
            }
        }
    }

    /// Redis' `MurmurHash64A` (hyperloglog.c), little-endian.
    static func murmurHash64A(_ data: UnsafeBufferPointer<UInt8>, seed: UInt64) -> UInt64 {
        let m: UInt64 = 0xc6a4_a793_5bd1_e995
        let r: UInt64 = 47
        var h = seed ^ (UInt64(data.count) &* m)
        let blocks = data.count / 8
        let raw = UnsafeRawPointer(data.baseAddress)
        for block in 0..<blocks {
            var k = UInt64(littleEndian: raw!.loadUnaligned(fromByteOffset: block * 8, as: UInt64.self))
            k &*= m
            k ^= k >> r
            k &*= m
            h ^= k
            h &*= m
        }
        let tail = blocks * 8
        let remaining = data.count & 7
        if remaining > 0 {
            for byte in stride(from: remaining - 1, through: 0, by: -1) {
                h ^= UInt64(data[tail + byte]) << UInt64(8 * byte)
            }
            h &*= m
        }
        h ^= h >> r
        h &*= m
        h ^= h >> r
        return h
    }
}

/// MurmurHash3, x86 32-bit variant (Austin Appleby's public-domain
/// `MurmurHash3_x86_32`): the hash pottery's ``BloomFilter`` uses, through
/// Python's `mmh3.hash(text, seed)`, to place an element's bits.
public enum MurmurHash3 {
    /// The unsigned 32-bit hash of `bytes` with `seed`.
    ///
    /// - Parameters:
    ///   - bytes: The input; Python's `mmh3.hash` hashes a `str` as its UTF-8 bytes.
    ///   - seed: The seed (`mmh3`'s `seed=`).
    /// - Returns: `MurmurHash3_x86_32(bytes, seed)`.
    public static func x86_32(_ bytes: some Collection<UInt8>, seed: UInt32 = 0) -> UInt32 {
        if let hash = bytes.withContiguousStorageIfAvailable({ hash($0, seed: seed) }) { return hash }
        return Array(bytes).withUnsafeBufferPointer { hash($0, seed: seed) }
    }

    /// The hash read as a signed 32-bit integer, as Python's `mmh3.hash(text, seed)` returns it.
    ///
    /// - Parameters:
    ///   - bytes: The input bytes.
    ///   - seed: The seed.
    /// - Returns: The bits of ``x86_32(_:seed:)`` as an `Int32`.
    public static func signed32(_ bytes: some Collection<UInt8>, seed: UInt32 = 0) -> Int32 {
        Int32(bitPattern: x86_32(bytes, seed: seed))
    }

    private static let c1: UInt32 = 0xcc9e_2d51
    private static let c2: UInt32 = 0x1b87_3593

    static func hash(_ data: UnsafeBufferPointer<UInt8>, seed: UInt32) -> UInt32 {
        var h = seed
        let blocks = data.count / 4
        for block in 0..<blocks {
            let i = block * 4
            var k = UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16 | UInt32(data[i + 3]) << 24
            k &*= c1
            k = k << 15 | k >> 17
            k &*= c2
            h ^= k
            h = h << 13 | h >> 19
            h = h &* 5 &+ 0xe654_6b64
        }
        let tail = blocks * 4
        var k: UInt32 = 0
        switch data.count & 3 {
        case 3:
            k ^= UInt32(data[tail + 2]) << 16
            fallthrough
        case 2:
            k ^= UInt32(data[tail + 1]) << 8
            fallthrough
        case 1:
            k ^= UInt32(data[tail])
            k &*= c1
            k = k << 15 | k >> 17
            k &*= c2
            h ^= k
        default:
            break
        }
        h ^= UInt32(truncatingIfNeeded: data.count)
        h ^= h >> 16
        h &*= 0x85eb_ca6b
        h ^= h >> 13
        h &*= 0xc2b2_ae35
        h ^= h >> 16
        return h
    }
}

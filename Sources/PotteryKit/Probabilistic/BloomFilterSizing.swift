import Glibc

/// A Bloom filter's shape, computed as pottery computes it: the number of bits
/// (m) and of hashes (k) for an expected number of elements (n) and an
/// acceptable false-positive rate (p).
///
/// pottery stores neither m nor k: every reader must be told the same n and p,
/// or it looks at other bits. The floating-point operations run in pottery's
/// order, so the results are pottery's bit for bit:
/// `m = ceil((-n · ln p) / (ln 2)²)`, `k = ceil(m / n · ln 2)`.
public struct BloomFilterSizing: Sendable, Hashable, CustomStringConvertible {
    /// The number of elements the filter is sized for (n, pottery's `num_elements`).
    public let numElements: Int
    /// The acceptable false-positive rate (p, pottery's `false_positives`).
    public let falsePositives: Double
    /// The number of bits (m, pottery's `size()`).
    public let size: Int
    /// The number of hash functions (k, pottery's `num_hashes()`).
    public let numHashes: Int

    /// The largest size Redis can hold: bit offsets go up to 2^32 − 1 (a 512 MB string).
    public static let maximumSize = 1 << 32

    /// Computes m and k from n and p.
    ///
    /// - Parameters:
    ///   - numElements: n, at least 1 (pottery divides by it).
    ///   - falsePositives: p, strictly between 0 and 1 (p ≥ 1 gives pottery a
    ///     filter of no bits, p ≤ 0 a math error).
    /// - Throws: ``PotteryError/Code/valueError`` when n or p is out of range,
    ///   or when m would exceed ``maximumSize``.
    public init(numElements: Int, falsePositives: Double) throws(PotteryError) {
        guard numElements >= 1 else {
            throw PotteryError(.valueError, "num_elements must be at least 1, got \(numElements)")
        }
        guard falsePositives > 0, falsePositives < 1 else {
            throw PotteryError(.valueError, "false_positives must be strictly between 0 and 1, got \(falsePositives)")
        }
        let ln2 = log(2.0)
        let bits = (-Double(numElements) * log(falsePositives)) / (ln2 * ln2)
        guard bits.rounded(.up) <= Double(Self.maximumSize) else {
            throw PotteryError(.valueError, "num_elements \(numElements) at false_positives \(falsePositives) needs "
                               + "\(bits.rounded(.up)) bits; Redis holds at most \(Self.maximumSize)")
        }
        self.numElements = numElements
        self.falsePositives = falsePositives
        self.size = Int(bits.rounded(.up))
        self.numHashes = Int((Double(size) / Double(numElements) * ln2).rounded(.up))
    }

    /// `n=…, p=… (m=… bits, k=… hashes)`.
    public var description: String {
        "num_elements=\(numElements), false_positives=\(falsePositives) (size=\(size) bits, num_hashes=\(numHashes))"
    }

    /// The bit offsets of an element given its pottery JSON bytes, in seed
    /// order (they may repeat): `mmh3.hash(json, seed=i) mod m` with Python's
    /// floor modulo, for i in 0..<k.
    ///
    /// - Parameter encoded: The element's bytes from ``PotteryJSON``.
    /// - Returns: k offsets in `0..<size`.
    public func offsets(ofEncoded encoded: [UInt8]) -> [Int] {
        var offsets: [Int] = []
        offsets.reserveCapacity(numHashes)
        appendOffsets(ofEncoded: encoded, to: &offsets)
        return offsets
    }

    /// Appends the k offsets of an element to `offsets`.
    func appendOffsets(ofEncoded encoded: [UInt8], to offsets: inout [Int]) {
        encoded.withUnsafeBufferPointer { bytes in
            for seed in 0..<numHashes {
                let hash = Int(Int32(bitPattern: MurmurHash3.hash(bytes, seed: UInt32(seed))))
                let offset = hash % size
                offsets.append(offset < 0 ? offset + size : offset)
            }
        }
    }

    /// pottery's estimate of how many elements a filter holds from how many of
    /// its bits are set: `floor(-m / k · ln(1 − X / m))`.
    ///
    /// - Parameter bitsSet: X, the number of bits set (`BITCOUNT`).
    /// - Returns: The estimate.
    /// - Throws: ``PotteryError/Code/valueError`` when X ≥ m: every bit is set
    ///   (the filter is saturated), or the key holds more bits than this sizing
    ///   has (it was made with other sizing). pottery raises `ValueError` then too.
    public func estimatedCount(bitsSet: Int) throws(PotteryError) -> Int {
        guard bitsSet < size else {
            throw PotteryError(.valueError, "\(bitsSet) bits set of \(size): the filter is saturated or was made with other sizing; "
                               + "its number of elements cannot be estimated")
        }
        let estimate = (-Double(size) / Double(numHashes)) * log(1 - Double(bitsSet) / Double(size))
        return Int(estimate.rounded(.down))
    }

    /// The sizing record pottery-cli keeps next to a filter (pottery JSON, sorted keys).
    var record: [UInt8] {
        PotteryJSON.encode(.object([
            "false_positives": .double(falsePositives), "num_elements": .int(numElements),
            "num_hashes": .int(numHashes), "size": .int(size),
        ]))
    }
}

/// A string compared, hashed and ordered by its Unicode scalars, as Python
/// compares, hashes and sorts `str`.
///
/// Swift's `String` uses canonical equivalence: `"\u{E9}"` (é) equals
/// `"e\u{301}"` (e and a combining acute accent), U+212B ANGSTROM SIGN equals
/// U+00C5, and a Hangul syllable equals its jamo. Python keeps all of these
/// apart, so every place that keys, compares or sorts JSON strings uses this
/// type (or ``CodePoints``) instead of `String`'s own `==`, hash and `<`.
struct CodePointKey: Hashable, Comparable, Sendable {
    /// The text, exactly as given.
    let string: String

    init(_ string: String) {
        self.string = string
    }

    static func == (lhs: CodePointKey, rhs: CodePointKey) -> Bool {
        CodePoints.equal(lhs.string, rhs.string)
    }

    static func < (lhs: CodePointKey, rhs: CodePointKey) -> Bool {
        CodePoints.less(lhs.string, rhs.string)
    }

    func hash(into hasher: inout Hasher) {
        CodePoints.hash(string, into: &hasher)
    }
}

/// Python's `str` equality, hash and order on Swift strings: by Unicode
/// scalars, which is by UTF-8 bytes (UTF-8 byte order is code point order).
enum CodePoints {
    /// Whether both strings have the same Unicode scalars.
    static func equal(_ a: String, _ b: String) -> Bool {
        let count = a.utf8.count
        guard count == b.utf8.count else { return false }
        return withUTF8(a, b) { left, right in
            guard let l = left.baseAddress, let r = right.baseAddress, l != r else { return true }
            // Eight bytes at a time: keys are compared on every dictionary hit.
            var index = 0
            while index + 8 <= count {
                let x = UnsafeRawPointer(l + index).loadUnaligned(as: UInt64.self)
                if x != UnsafeRawPointer(r + index).loadUnaligned(as: UInt64.self) { return false }
                index += 8
            }
            while index < count {
                if l[index] != r[index] { return false }
                index += 1
            }
            return true
        } ?? a.utf8.elementsEqual(b.utf8)
    }

    /// Whether `a` sorts before `b` by code point (Python's `a < b`).
    static func less(_ a: String, _ b: String) -> Bool {
        withUTF8(a, b) { left, right in
            let common = min(left.count, right.count)
            var index = 0
            while index < common {
                if left[index] != right[index] { return left[index] < right[index] }
                index += 1
            }
            return left.count < right.count
        } ?? a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Feeds the UTF-8 bytes and a terminator (0xFF, never part of UTF-8)
    /// into `hasher`: strings equal by ``equal(_:_:)`` hash alike, and
    /// canonically equivalent spellings usually do not.
    static func hash(_ string: String, into hasher: inout Hasher) {
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { bytes in
            hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
        }
        if done == nil {
            Array(string.utf8).withUnsafeBytes { hasher.combine(bytes: $0) }
        }
        hasher.combine(0xFF as UInt8)
    }

    /// Runs `body` on the UTF-8 bytes of both strings when both are stored
    /// contiguously (native strings always are), else returns `nil`. Does
    /// not copy or retain: this runs for every key comparison of a sort.
    private static func withUTF8<R>(
        _ a: String, _ b: String, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> R
    ) -> R? {
        let result = a.utf8.withContiguousStorageIfAvailable { left in
            b.utf8.withContiguousStorageIfAvailable { right in body(left, right) }
        }
        return result ?? nil
    }
}

/// Python's `collections.Counter` arithmetic on counts keyed by stored field
/// bytes, in the order Python's result would have (this counter's elements,
/// then the other's). Every result keeps only counts above zero, as Python's
/// `+`, `-`, `|`, `&` and unary `+`/`-` do; the in-place forms end in the same
/// state as the binary ones (Python's `+=` ... keep only positive counts).
enum CounterAlgebra {
    /// pottery's (and Python's) binary operators.
    enum Operation: Sendable {
        /// `a + b`: the sum of the counts.
        case add
        /// `a - b`: this counter's counts minus the other's.
        case subtract
        /// `a | b`: the larger of the two counts.
        case union
        /// `a & b`: the smaller of the two counts.
        case intersection
    }

    /// Counts by field, remembering the order in which fields came.
    struct Counts: Sendable {
        private(set) var fields: [[UInt8]] = []
        private(set) var counts: [[UInt8]: Int] = [:]

        /// Adds a field (a field already there keeps its place and takes the new count).
        mutating func set(_ field: [UInt8], _ count: Int) {
            if counts.updateValue(count, forKey: field) == nil { fields.append(field) }
        }

        /// The count of `field`, 0 when missing (Python's `Counter.__missing__`).
        subscript(field: [UInt8]) -> Int { counts[field] ?? 0 }

        /// The (field, count) pairs in order.
        var pairs: [([UInt8], Int)] { fields.map { ($0, counts[$0]!) } }
    }

    /// `mine op other`, keeping counts above zero; `overflow` is thrown when a sum does not fit `Int`.
    static func combine<E: Error>(_ operation: Operation, _ mine: Counts, _ other: Counts, overflow: () -> E) throws(E) -> Counts {
        var result = Counts()
        for field in mine.fields {
            let count = mine[field]
            let theirs = other[field]
            let new: Int
            switch operation {
            case .add:
                let (sum, overflowed) = count.addingReportingOverflow(theirs)
                if overflowed { throw overflow() }
                new = sum
            case .subtract:
                let (difference, overflowed) = count.subtractingReportingOverflow(theirs)
                if overflowed { throw overflow() }
                new = difference
            case .union: new = max(count, theirs)
            case .intersection: new = min(count, theirs)
            }
            if new > 0 { result.set(field, new) }
        }
        guard operation != .intersection else { return result }
        for field in other.fields where mine.counts[field] == nil {
            let theirs = other[field]
            switch operation {
            case .subtract:
                if theirs < 0 {
                    let (negated, overflowed) = 0.subtractingReportingOverflow(theirs)
                    if overflowed { throw overflow() }
                    result.set(field, negated)
                }
            default:
                if theirs > 0 { result.set(field, theirs) }
            }
        }
        return result
    }

    /// Python's unary `+c` (counts above zero) or `-c` (counts below zero, negated).
    static func sign<E: Error>(_ counts: Counts, negative: Bool, overflow: () -> E) throws(E) -> Counts {
        var result = Counts()
        for field in counts.fields {
            let count = counts[field]
            if !negative, count > 0 { result.set(field, count) }
            if negative, count < 0 {
                let (negated, overflowed) = 0.subtractingReportingOverflow(count)
                if overflowed { throw overflow() }
                result.set(field, negated)
            }
        }
        return result
    }
}

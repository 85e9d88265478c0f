/// CPython 3.11's `list.sort` (Objects/listobject.c, `listsort`: timsort with
/// the powersort merge policy), replayed on the indices of a list.
///
/// Any stable sort gives Python's result when the order is consistent. This
/// one also gives it when the order is not, because it makes the same `<`
/// comparisons in the same order as CPython: a NaN among numbers is neither
/// less nor greater than anything, so where it lands depends on exactly
/// which pairs were compared; and when two items cannot be compared, the
/// first such pair is the one Python raises its `TypeError` for.
///
/// The algorithm is that of Python 3.11 (the `python3` this port is checked
/// against): `count_run` takes a strictly descending run and reverses it
/// (3.13 also takes runs with equal items in descending order), runs shorter
/// than `minrun` are extended by binary insertion, pending runs are merged
/// by their powersort "power" (`found_new_run`, `powerloop`), and then from
/// the top (`merge_force_collapse`), with `merge_lo` / `merge_hi` and
/// galloping (`gallop_left`, `gallop_right`, `min_gallop` adapting around
/// `MIN_GALLOP` = 7). Only the comparisons matter here: memory is handled
/// with Swift arrays, not CPython's pointers.
struct CPythonListSort {
    /// Python's `a < b` for the items at two indices; throws where Python raises.
    typealias Less = (Int, Int) throws(PotteryError) -> Bool

    /// A sorted run waiting on the stack to be merged.
    private struct Run {
        var base: Int
        var count: Int
        /// Its depth in powersort's merge tree, set when the next run is found.
        var power = 0
    }

    /// Runs shorter than this are extended by binary insertion (`MAX_MINRUN`).
    private static let maxMinrun = 64
    /// Wins in a row before a merge starts galloping (`MIN_GALLOP`).
    static let initialMinGallop = 7

    /// The list being sorted: indices of the caller's items.
    var keys: [Int]
    /// Scratch space for the smaller run of a merge.
    var temp: [Int] = []
    private var pending: [Run] = []
    /// Wins in a row before galloping, adapted across merges (`ms->min_gallop`).
    var minGallop = CPythonListSort.initialMinGallop
    let less: Less

    private init(count: Int, less: @escaping Less) {
        keys = Array(0..<count)
        self.less = less
    }

    /// The indices `0..<count` in the order Python's `list.sort(reverse:)`
    /// leaves them, `less(i, j)` being Python's `items[i] < items[j]`.
    ///
    /// With `reverse`, CPython reverses the list, sorts it and reverses the
    /// result, so equal items keep their order.
    /// - Throws: the first error `less` throws; CPython stops there too.
    static func sortedIndices(_ count: Int, reverse: Bool, less: @escaping Less) throws(PotteryError) -> [Int] {
        var sort = CPythonListSort(count: count, less: less)
        guard count > 1 else { return sort.keys }
        if reverse { sort.keys.reverse() }
        try sort.sortAll()
        if reverse { sort.keys.reverse() }
        return sort.keys
    }

    /// `listsort`'s main loop: find runs left to right, extend short ones to
    /// `minrun`, merge by power, then merge what is left.
    private mutating func sortAll() throws(PotteryError) {
        let minrun = Self.minrun(keys.count)
        var low = 0
        var remaining = keys.count
        while remaining > 0 {
            var count = try countRun(from: low, remaining: remaining)
            if count < minrun {
                let forced = min(remaining, minrun)
                try binaryInsertionSort(low..<low + forced, sortedUpTo: low + count)
                count = forced
            }
            try foundNewRun(count)
            pending.append(Run(base: low, count: count))
            low += count
            remaining -= count
        }
        try mergeForceCollapse()
    }

    /// `merge_compute_minrun`: `n` itself below 64, else a length in 32...64
    /// such that `n / minrun` is just below a power of two.
    private static func minrun(_ count: Int) -> Int {
        var n = count
        var shiftedOffOne = 0
        while n >= maxMinrun {
            shiftedOffOne |= n & 1
            n >>= 1
        }
        return n + shiftedOffOne
    }

    /// `count_run` (3.11): the length of the run starting at `low`, ascending
    /// (`a[i] <= a[i+1]`, as `not a[i+1] < a[i]`) or strictly descending,
    /// which is reversed in place.
    private mutating func countRun(from low: Int, remaining: Int) throws(PotteryError) -> Int {
        if remaining == 1 { return 1 }
        var count = 2
        if try less(keys[low + 1], keys[low]) {
            while count < remaining, try less(keys[low + count], keys[low + count - 1]) { count += 1 }
            keys[low..<low + count].reverse()
        } else {
            while count < remaining, try !less(keys[low + count], keys[low + count - 1]) { count += 1 }
        }
        return count
    }

    /// `binarysort`: `keys[range]` is sorted up to `sorted`; insert the rest
    /// one by one after the last item not greater than it (stable).
    private mutating func binaryInsertionSort(_ range: Range<Int>, sortedUpTo sorted: Int) throws(PotteryError) {
        for start in max(sorted, range.lowerBound + 1)..<range.upperBound {
            let pivot = keys[start]
            var left = range.lowerBound
            var right = start
            repeat {
                let middle = left + ((right - left) >> 1)
                if try less(pivot, keys[middle]) { right = middle } else { left = middle + 1 }
            } while left < right
            var position = start
            while position > left {
                keys[position] = keys[position - 1]
                position -= 1
            }
            keys[left] = pivot
        }
    }

    /// `powerloop`: the depth in a balanced merge tree over `0..<length` of
    /// the boundary between the runs `start..<start+first` and the `second`
    /// items after it (the first bit where the two runs' midpoints, as
    /// fractions of `length`, differ).
    private static func power(start: Int, first: Int, second: Int, length: Int) -> Int {
        var a = 2 * start + first
        var b = a + first + second
        var result = 0
        while true {
            result += 1
            if a >= length {
                a -= length
                b -= length
            } else if b >= length {
                break
            }
            a <<= 1
            b <<= 1
        }
        return result
    }

    /// `found_new_run`: before a run of `count` items is pushed, merge the
    /// runs below the top that are deeper than the top run's new power.
    private mutating func foundNewRun(_ count: Int) throws(PotteryError) {
        guard let top = pending.last else { return }
        let power = Self.power(start: top.base, first: top.count, second: count, length: keys.count)
        while pending.count > 1 && pending[pending.count - 2].power > power {
            try mergeAt(pending.count - 2)
        }
        pending[pending.count - 1].power = power
    }

    /// `merge_force_collapse`: merge everything left, the shorter neighbour
    /// of the second run from the top first.
    private mutating func mergeForceCollapse() throws(PotteryError) {
        while pending.count > 1 {
            var n = pending.count - 2
            if n > 0 && pending[n - 1].count < pending[n + 1].count { n -= 1 }
            try mergeAt(n)
        }
    }

    /// `merge_at`: merge the runs at stack positions `i` and `i + 1`, after
    /// skipping the start of A that precedes B and the end of B that follows A.
    private mutating func mergeAt(_ i: Int) throws(PotteryError) {
        var baseA = pending[i].base
        var countA = pending[i].count
        let baseB = pending[i + 1].base
        var countB = pending[i + 1].count
        pending[i].count = countA + countB
        if i == pending.count - 3 { pending[i + 1] = pending[i + 2] }
        pending.removeLast()

        let skipped = try gallopRight(keys[baseB], in: keys, base: baseA, count: countA, hint: 0)
        baseA += skipped
        countA -= skipped
        if countA == 0 { return }
        countB = try gallopLeft(keys[baseA + countA - 1], in: keys, base: baseB, count: countB, hint: countB - 1)
        if countB <= 0 { return }
        if countA <= countB {
            try mergeLow(baseA, countA, baseB, countB)
        } else {
            try mergeHigh(baseA, countA, baseB, countB)
        }
    }
}

/// CPython's merging of two adjacent runs (`merge_lo`, `merge_hi`) and its
/// galloping searches (`gallop_left`, `gallop_right`), comparison for
/// comparison. The shorter run is copied to `temp` and the merge fills the
/// gap from its end; when one run wins `minGallop` times in a row, the merge
/// gallops (exponential, then binary search) until neither run wins
/// `MIN_GALLOP` times in a row. With an inconsistent order (NaN), a run may
/// empty earlier than a consistent order allows; CPython handles that case
/// and so does this.
extension CPythonListSort {
    /// `merge_lo`: merges A = `keys[baseA..<baseA+countA]` with B right after
    /// it, A being the shorter; B's first item is known to go first and A's
    /// last item last. Fills from the low end.
    mutating func mergeLow(_ baseA: Int, _ countA: Int, _ baseB: Int, _ countB: Int) throws(PotteryError) {
        temp = Array(keys[baseA..<baseA + countA])
        var na = countA
        var nb = countB
        var a = 0  // A's next item, in temp
        var b = baseB  // B's next item, in keys
        var dest = baseA
        var lastOfA = false  // CPython's CopyB: A's last item goes after the rest of B
        keys[dest] = keys[b]; dest += 1; b += 1; nb -= 1
        merge: if nb > 0 {
            if na == 1 { lastOfA = true; break merge }
            var minGallop = self.minGallop
            while true {
                var winsA = 0
                var winsB = 0
                // One item at a time until one run wins minGallop times in a row.
                while true {
                    if try less(keys[b], temp[a]) {
                        keys[dest] = keys[b]; dest += 1; b += 1; nb -= 1
                        winsB += 1; winsA = 0
                        if nb == 0 { break merge }
                        if winsB >= minGallop { break }
                    } else {
                        keys[dest] = temp[a]; dest += 1; a += 1; na -= 1
                        winsA += 1; winsB = 0
                        if na == 1 { lastOfA = true; break merge }
                        if winsA >= minGallop { break }
                    }
                }
                // Gallop while it pays; the longer it pays, the sooner it starts next time.
                minGallop += 1
                repeat {
                    if minGallop > 1 { minGallop -= 1 }
                    self.minGallop = minGallop
                    winsA = try gallopRight(keys[b], in: temp, base: a, count: na, hint: 0)
                    if winsA > 0 {
                        for k in 0..<winsA { keys[dest + k] = temp[a + k] }
                        dest += winsA; a += winsA; na -= winsA
                        if na == 1 { lastOfA = true; break merge }
                        if na == 0 { break merge }  // only with an inconsistent order
                    }
                    keys[dest] = keys[b]; dest += 1; b += 1; nb -= 1
                    if nb == 0 { break merge }
                    winsB = try gallopLeft(temp[a], in: keys, base: b, count: nb, hint: 0)
                    if winsB > 0 {
                        for k in 0..<winsB { keys[dest + k] = keys[b + k] }
                        dest += winsB; b += winsB; nb -= winsB
                        if nb == 0 { break merge }
                    }
                    keys[dest] = temp[a]; dest += 1; a += 1; na -= 1
                    if na == 1 { lastOfA = true; break merge }
                } while winsA >= Self.initialMinGallop || winsB >= Self.initialMinGallop
                minGallop += 1  // penalty for leaving galloping
                self.minGallop = minGallop
            }
        }
        if lastOfA {
            for k in 0..<nb { keys[dest + k] = keys[b + k] }
            keys[dest + nb] = temp[a]
        } else {
            for k in 0..<na { keys[dest + k] = temp[a + k] }
        }
    }

    /// `merge_hi`: as ``mergeLow(_:_:_:_:)`` with B the shorter run, filling
    /// from the high end.
    mutating func mergeHigh(_ baseA: Int, _ countA: Int, _ baseB: Int, _ countB: Int) throws(PotteryError) {
        temp = Array(keys[baseB..<baseB + countB])
        var na = countA
        var nb = countB
        var a = baseA + countA - 1  // A's last remaining item, in keys
        var b = countB - 1  // B's last remaining item, in temp
        var dest = baseB + countB - 1
        var firstOfB = false  // CPython's CopyA: B's first item goes before the rest of A
        keys[dest] = keys[a]; dest -= 1; a -= 1; na -= 1
        merge: if na > 0 {
            if nb == 1 { firstOfB = true; break merge }
            var minGallop = self.minGallop
            while true {
                var winsA = 0
                var winsB = 0
                while true {
                    if try less(temp[b], keys[a]) {
                        keys[dest] = keys[a]; dest -= 1; a -= 1; na -= 1
                        winsA += 1; winsB = 0
                        if na == 0 { break merge }
                        if winsA >= minGallop { break }
                    } else {
                        keys[dest] = temp[b]; dest -= 1; b -= 1; nb -= 1
                        winsB += 1; winsA = 0
                        if nb == 1 { firstOfB = true; break merge }
                        if winsB >= minGallop { break }
                    }
                }
                minGallop += 1
                repeat {
                    if minGallop > 1 { minGallop -= 1 }
                    self.minGallop = minGallop
                    let keptA = try gallopRight(temp[b], in: keys, base: baseA, count: na, hint: na - 1)
                    winsA = na - keptA
                    if winsA > 0 {
                        dest -= winsA; a -= winsA
                        for k in stride(from: winsA, through: 1, by: -1) { keys[dest + k] = keys[a + k] }
                        na -= winsA
                        if na == 0 { break merge }
                    }
                    keys[dest] = temp[b]; dest -= 1; b -= 1; nb -= 1
                    if nb == 1 { firstOfB = true; break merge }
                    let keptB = try gallopLeft(keys[a], in: temp, base: 0, count: nb, hint: nb - 1)
                    winsB = nb - keptB
                    if winsB > 0 {
                        dest -= winsB; b -= winsB
                        for k in 1...winsB { keys[dest + k] = temp[b + k] }
                        nb -= winsB
                        if nb == 1 { firstOfB = true; break merge }
                        if nb == 0 { break merge }  // only with an inconsistent order
                    }
                    keys[dest] = keys[a]; dest -= 1; a -= 1; na -= 1
                    if na == 0 { break merge }
                } while winsA >= Self.initialMinGallop || winsB >= Self.initialMinGallop
                minGallop += 1
                self.minGallop = minGallop
            }
        }
        if firstOfB {
            for k in 0..<na { keys[dest - k] = keys[a - k] }
            keys[dest - na] = temp[b]
        } else {
            for k in 0..<nb { keys[dest - nb + 1 + k] = temp[k] }
        }
    }

    /// `gallop_left`: where `key` goes in the sorted `array[base..<base+count]`,
    /// before any equal items (`array[k-1] < key <= array[k]`), searching
    /// outward from `hint` by 1, 3, 7, 15, ... and then by bisection.
    func gallopLeft(_ key: Int, in array: [Int], base: Int, count: Int, hint: Int) throws(PotteryError) -> Int {
        var lastOffset = 0
        var offset = 1
        if try less(array[base + hint], key) {
            let maxOffset = count - hint
            while offset < maxOffset, try less(array[base + hint + offset], key) {
                lastOffset = offset
                offset = (offset << 1) + 1
            }
            offset = min(offset, maxOffset)
            lastOffset += hint
            offset += hint
        } else {
            let maxOffset = hint + 1
            while offset < maxOffset, try !less(array[base + hint - offset], key) {
                lastOffset = offset
                offset = (offset << 1) + 1
            }
            offset = min(offset, maxOffset)
            (lastOffset, offset) = (hint - offset, hint - lastOffset)
        }
        lastOffset += 1
        while lastOffset < offset {
            let middle = lastOffset + ((offset - lastOffset) >> 1)
            if try less(array[base + middle], key) { lastOffset = middle + 1 } else { offset = middle }
        }
        return offset
    }

    /// `gallop_right`: as ``gallopLeft(_:in:base:count:hint:)``, but after
    /// any equal items (`array[k-1] <= key < array[k]`).
    func gallopRight(_ key: Int, in array: [Int], base: Int, count: Int, hint: Int) throws(PotteryError) -> Int {
        var lastOffset = 0
        var offset = 1
        if try less(key, array[base + hint]) {
            let maxOffset = hint + 1
            while offset < maxOffset, try less(key, array[base + hint - offset]) {
                lastOffset = offset
                offset = (offset << 1) + 1
            }
            offset = min(offset, maxOffset)
            (lastOffset, offset) = (hint - offset, hint - lastOffset)
        } else {
            let maxOffset = count - hint
            while offset < maxOffset, try !less(key, array[base + hint + offset]) {
                lastOffset = offset
                offset = (offset << 1) + 1
            }
            offset = min(offset, maxOffset)
            lastOffset += hint
            offset += hint
        }
        lastOffset += 1
        while lastOffset < offset {
            let middle = lastOffset + ((offset - lastOffset) >> 1)
            if try less(key, array[base + middle]) { offset = middle } else { lastOffset = middle + 1 }
        }
        return offset
    }
}

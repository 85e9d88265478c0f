/// "Did you mean ...?" for a mistyped structure, verb or option: the nearest
/// valid word by Damerau–Levenshtein distance (optimal string alignment: an
/// insertion, deletion, substitution or swap of two neighbours costs 1),
/// offered only when it is close enough to be a likely typo.
enum Suggestion {
    /// The candidate nearest to `word` (which may be `word` itself), or `nil`
    /// when none is within reach:
    /// at most 1 edit for words of up to 4 characters, 2 for longer ones, and
    /// fewer edits than the candidate has characters. A tie goes to the
    /// candidate listed first.
    static func nearest(to word: String, among candidates: [String]) -> String? {
        let typed = Array(word.unicodeScalars)
        let limit = typed.count <= 4 ? 1 : 2
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let scalars = Array(candidate.unicodeScalars)
            let distance = distance(typed, scalars)
            guard distance <= limit, distance < scalars.count else { continue }
            if best == nil || distance < best!.distance { best = (candidate, distance) }
        }
        return best?.candidate
    }

    /// `; did you mean "dict get"?`, or nothing when no candidate is near.
    static func hint(for word: String, among candidates: [String], shownAs show: (String) -> String = { $0 }) -> String {
        guard let found = nearest(to: word, among: candidates) else { return "" }
        return "; did you mean \"\(show(found))\"?"
    }

    /// The optimal-string-alignment distance between `a` and `b`.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let width = b.count + 1
        // Three rows of the table: two back, one back, current.
        var previous2 = [Int](repeating: 0, count: width)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: width)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}

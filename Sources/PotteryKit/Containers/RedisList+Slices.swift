extension RedisList {
    /// The items of a Python slice, `l[start:stop:step]`, read in one script
    /// (a consistent snapshot). O(n). pottery: `l[a:b:c]`.
    /// - Throws: ``PotteryError/Code/valueError`` for a zero step.
    public func elements(in slice: ListSlice) throws(PotteryError) -> [Element] {
        let reply = try run(ListScripts.getSlice, try slice.arguments(key: key))
        var elements: [Element] = []
        for item in reply.array ?? [] { elements.append(try storage.decode(Element.self, reply: item)) }
        return elements
    }

    /// Python's `l[start:stop:step] = elements`, atomically (one script; O(n)).
    ///
    /// With a step of 1 (or none) the slice is replaced by any number of
    /// elements, so the list may grow or shrink; with any other step there
    /// must be exactly one element per index selected. pottery 3.0.1 drops
    /// extra elements and may delete a stored `0` elsewhere; this follows Python.
    /// - Throws: ``PotteryError/Code/valueError`` for a zero step or a count
    ///   that does not fit an extended slice; ``PotteryError/Code/indexError``
    ///   when a bounded deque would grow beyond its `maxlen`.
    public func replace(_ slice: ListSlice, with elements: [Element]) throws(PotteryError) {
        var arguments = try slice.arguments(key: key)
        arguments.append(boundArgument)
        for element in elements { arguments.append(try storage.encode(element)) }
        try run(ListScripts.assignSlice, arguments)
    }

    /// Python's `del l[start:stop:step]`, atomically (one script; O(n)).
    /// Returns how many items were deleted (an empty slice deletes none).
    /// - Throws: ``PotteryError/Code/valueError`` for a zero step.
    @discardableResult
    public func removeElements(in slice: ListSlice) throws(PotteryError) -> Int {
        var arguments = try slice.arguments(key: key)
        arguments.append(tombstone())
        return Int(try run(ListScripts.deleteSlice, arguments).integer ?? 0)
    }
}

/// Set algebra between Redis sets, as pottery's `RedisSet` and Python's `set`.
///
/// When every operand is on the same server (same endpoint and database) the
/// work runs server-side (`SUNION`, `SINTER`, `SDIFF` and their `STORE`
/// forms) in one round trip. Otherwise the other sets are read (`SSCAN`) and
/// the result is computed on the member bytes, which is what Redis compares.
extension RedisSet {
    /// Members of this set or any of `others`. pottery: `s.union(*others)`.
    public func union(_ others: [RedisSet<Element>]) throws(PotteryError) -> [Element] {
        try combine("SUNION", others) { sets in sets.dropFirst().reduce(sets[0]) { $0.union($1) } }
    }

    /// Members of this set and all of `others`. pottery: `s.intersection(*others)`.
    public func intersection(_ others: [RedisSet<Element>]) throws(PotteryError) -> [Element] {
        try combine("SINTER", others) { sets in sets.dropFirst().reduce(sets[0]) { $0.intersection($1) } }
    }

    /// Members of this set in none of `others`. pottery: `s.difference(*others)`.
    public func difference(_ others: [RedisSet<Element>]) throws(PotteryError) -> [Element] {
        try combine("SDIFF", others) { sets in sets.dropFirst().reduce(sets[0]) { $0.subtracting($1) } }
    }

    /// Members in exactly one of the two sets. Python: `s.symmetric_difference(o)`
    /// (pottery raises NotImplementedError).
    public func symmetricDifference(_ other: RedisSet<Element>) throws(PotteryError) -> [Element] {
        if sharesServer(with: [other]) {
            // One atomic round trip: MULTI; SDIFF a b; SDIFF b a; EXEC.
            let (_, replies) = try storage.transaction(watching: []) { transaction throws(PotteryError) in
                transaction.enqueue(serverCommand("SDIFF", [other]))
                transaction.enqueue(other.serverCommand("SDIFF", [self]))
            }
            var members: [[UInt8]] = []
            for reply in replies {
                do {
                    members += (try reply.get().array ?? []).compactMap(\.bytes)
                } catch {
                    throw storage.pinpointWrongType(error, among: [key, other.key])
                }
            }
            return try decode(members)
        }
        let mine = Set(try memberBytes())
        let theirs = Set(try other.memberBytes())
        return try decode(mine.symmetricDifference(theirs))
    }

    /// Whether the two sets share no member. pottery: `s.isdisjoint(o)`.
    public func isDisjoint(with other: RedisSet<Element>) throws(PotteryError) -> Bool {
        if sharesServer(with: [other]) {
            return try storage.send(serverCommand("SINTER", [other])).array?.isEmpty ?? true
        }
        return try !containsAnyBytes(of: other)
    }

    /// Whether every member of this set is in `other`. pottery: `s.issubset(o)`, `s <= o`.
    public func isSubset(of other: RedisSet<Element>) throws(PotteryError) -> Bool {
        if sharesServer(with: [other]) {
            return try storage.send(serverCommand("SDIFF", [other])).array?.isEmpty ?? true
        }
        let mine = try memberBytes()
        return try other.containsAll(mine)
    }

    /// Whether every member of `other` is in this set. pottery: `s.issuperset(o)`, `s >= o`.
    public func isSuperset(of other: RedisSet<Element>) throws(PotteryError) -> Bool {
        try other.isSubset(of: self)
    }

    /// Adds every member of `others` (`SUNIONSTORE key key others…`). pottery: `s.update(*others)`.
    public func formUnion(_ others: [RedisSet<Element>]) throws(PotteryError) {
        // Members copied from another server are checked first: bad bytes are reported, not copied.
        try store("SUNIONSTORE", others, orApply: "SADD") { other throws(PotteryError) in try other.validatedMemberBytes() }
    }

    /// Removes every member of `others` (`SDIFFSTORE key key others…`). pottery: `s.difference_update(*others)`.
    public func subtract(_ others: [RedisSet<Element>]) throws(PotteryError) {
        try store("SDIFFSTORE", others, orApply: "SREM") { other throws(PotteryError) in try other.memberBytes() }
    }

    /// Runs `storeCommand` server-side when all sets share this server, else
    /// reads the others' members and applies them with one `command` (SADD/SREM).
    private func store(_ storeCommand: String, _ others: [RedisSet<Element>], orApply command: String,
                       members: (RedisSet<Element>) throws(PotteryError) -> [[UInt8]]) throws(PotteryError) {
        guard !others.isEmpty else { return }
        if sharesServer(with: others) {
            try storage.send(self.storeCommand(storeCommand, others))
            return
        }
        var apply = storage.command(command)
        for other in others {
            for member in try members(other) { apply.append(bytes: member) }
        }
        if apply.count > 2 { try storage.send(apply) }
    }

    /// Keeps only members also in all of `others` (`SINTERSTORE key key others…`).
    /// Python: `s.intersection_update(*others)` (pottery raises NotImplementedError).
    public func formIntersection(_ others: [RedisSet<Element>]) throws(PotteryError) {
        guard !others.isEmpty else { return }
        if sharesServer(with: others) {
            try storage.send(storeCommand("SINTERSTORE", others))
            return
        }
        var keep = Set(try memberBytes())
        for other in others { keep.formIntersection(try other.memberBytes()) }
        try storage.transaction(watching: [key]) { transaction throws(PotteryError) in
            var srem = self.storage.command("SREM")
            var any = false
            for member in try self.memberBytes(in: transaction) where !keep.contains(member) {
                srem.append(bytes: member)
                any = true
            }
            if any { transaction.enqueue(srem) }
        }
    }

    /// Keeps the members in exactly one of the two sets, atomically on this set
    /// (optimistic transaction). Python: `s.symmetric_difference_update(o)`
    /// (pottery raises NotImplementedError).
    public func formSymmetricDifference(_ other: RedisSet<Element>) throws(PotteryError) {
        let theirs = try other.validatedMemberBytes()
        guard !theirs.isEmpty else { return }
        let storage = self.storage
        try storage.transaction(watching: [key]) { transaction throws(PotteryError) in
            var query = storage.command("SMISMEMBER")
            for member in theirs { query.append(bytes: member) }
            let present = try transaction.send(query).array ?? []
            var srem = storage.command("SREM")
            var sadd = storage.command("SADD")
            for (member, flag) in zip(theirs, present) {
                if flag == .integer(1) { srem.append(bytes: member) } else { sadd.append(bytes: member) }
            }
            if srem.count > 2 { transaction.enqueue(srem) }
            if sadd.count > 2 { transaction.enqueue(sadd) }
        }
    }

    // MARK: helpers

    /// Whether every set in `others` lives on this set's server and database
    /// (on a cluster: also in this set's hash slot), so the work can run server-side.
    func sharesServer(with others: [RedisSet<Element>]) -> Bool {
        let identity = connection.configuration.serverIdentity
        return others.allSatisfy { $0.connection.configuration.serverIdentity == identity }
            && connection.sharesSlot([key] + others.map(\.key))
    }

    fileprivate func serverCommand(_ name: String, _ others: [RedisSet<Element>]) -> RedisCommand {
        var command = storage.command(name)
        command.append(keys: others.map(\.key))
        return command
    }

    private func storeCommand(_ name: String, _ others: [RedisSet<Element>]) -> RedisCommand {
        var command = storage.command(name)
        command.append(key: key)
        command.append(keys: others.map(\.key))
        return command
    }

    private func combine(_ name: String, _ others: [RedisSet<Element>],
                         locally: ([Set<[UInt8]>]) -> Set<[UInt8]>) throws(PotteryError) -> [Element] {
        if sharesServer(with: others) {
            let reply = try storage.send(serverCommand(name, others))
            return try decode((reply.array ?? []).compactMap(\.bytes))
        }
        var sets = [Set(try memberBytes())]
        for other in others { sets.append(Set(try other.memberBytes())) }
        return try decode(locally(sets))
    }

    /// Members after checking that each is pottery JSON for `Element`, so that
    /// bad bytes are reported rather than copied.
    private func validatedMemberBytes() throws(PotteryError) -> [[UInt8]] {
        let members = try memberBytes()
        _ = try decode(members)
        return members
    }

    private func containsAll(_ members: [[UInt8]]) throws(PotteryError) -> Bool {
        guard !members.isEmpty else { return true }
        var query = storage.command("SMISMEMBER")
        for member in members { query.append(bytes: member) }
        return (try storage.send(query).array ?? []).allSatisfy { $0 == .integer(1) }
    }

    private func containsAnyBytes(of other: RedisSet<Element>) throws(PotteryError) -> Bool {
        let theirs = try other.memberBytes()
        guard !theirs.isEmpty else { return false }
        var query = storage.command("SMISMEMBER")
        for member in theirs { query.append(bytes: member) }
        return (try storage.send(query).array ?? []).contains(.integer(1))
    }
}

extension RedisSet {
    /// Whether the set holds exactly the members of `other`. pottery: `s == set`.
    /// Compares ``toSet()`` with `other`, with Swift's equality of `Element`.
    public func isEqual(to other: Set<Element>) throws(PotteryError) -> Bool {
        try toSet() == other
    }

    /// Whether both sets hold the same members (compared as stored bytes).
    /// Handles on the same server and key are equal without reading.
    public func isEqual(to other: RedisSet<Element>) throws(PotteryError) -> Bool {
        if sharesServer(with: [other]), key == other.key { return true }
        return Set(try memberBytes()) == Set(try other.memberBytes())
    }
}

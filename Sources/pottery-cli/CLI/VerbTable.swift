/// The one table of commands: structure -> verbs -> arguments, options,
/// one-line summary, what it prints, handler. Dispatch and help are derived
/// from it, and so are the man page and completions (`pottery-cli __generate`):
/// a new structure is a new entry here plus its handlers.
///
/// A verb that mirrors a Python method prints its return value (`None` ->
/// `null`); where pottery returns nothing, some verbs print a count instead,
/// as their `prints` line says.
enum VerbTable {
    static let structures: [StructureSpec] = [dict, set, LockCommands.structure]

    /// Commands that are not about one pottery structure.
    static let operators: [VerbSpec] = [
        VerbSpec("inspect", [.key],
                 summary: "shows what KEY holds: its Redis type, TTL, length, the pottery class it looks like, and its decoded contents",
                 prints: "a JSON object {\"contents\", \"key\", \"kind\", \"length\", \"ttl\", \"type\"}; exit 4 with JSONDecodeError when stored bytes are not pottery JSON (the object is still closed)",
                 details: InspectCommand.details,
                 handler: InspectCommand.run),
        VerbSpec("keys", [.text("PATTERN", .optional)],
                 summary: "lists the keys matching PATTERN (a Redis glob, default every key), found by SCAN",
                 prints: "a JSON array of key strings, streamed in SCAN's order",
                 details: KeysCommand.details,
                 handler: KeysCommand.run),
        NextIDCommand.spec,
    ]

    static func structure(named name: String) -> StructureSpec? {
        structures.first { $0.name == name }
    }

    static func `operator`(named name: String) -> VerbSpec? {
        operators.first { $0.name == name }
    }

    // MARK: - dict

    private static let defaultOption = OptionSpec(
        name: "default", value: .element("V"),
        summary: "print V (exit 0) when FIELD is missing; an element argument")

    private static let dict = StructureSpec(
        "dict", summary: "pottery's RedisDict: a Redis hash used as a Python dict (fields and values are JSON)",
        verbs: [
            VerbSpec("get", [.key, .element("FIELD")], options: [defaultOption],
                     summary: "the value at FIELD (Python d[FIELD], or d.get(FIELD, V) with --default)",
                     prints: "the value; exit 1 with KeyError when FIELD is missing and no --default is given",
                     handler: DictCommands.get),
            VerbSpec("set", [.key, .element("FIELD"), .element("VALUE")],
                     summary: "stores VALUE at FIELD (d[FIELD] = VALUE)",
                     prints: "null (Python's None)",
                     handler: DictCommands.set),
            VerbSpec("del", [.key, .element("FIELD", .oneOrMore)],
                     summary: "deletes the FIELDs, those present in one command (del d[FIELD])",
                     prints: "null; exit 1 with a KeyError naming the FIELDs that were missing (the others are deleted)",
                     handler: DictCommands.del),
            VerbSpec("contains", [.key, .element("FIELD")],
                     summary: "whether FIELD is in the dict (FIELD in d)",
                     prints: "true (exit 0) or false (exit 1)",
                     handler: DictCommands.contains),
            VerbSpec("len", [.key],
                     summary: "the number of fields (len(d))",
                     prints: "an integer",
                     handler: DictCommands.len),
            VerbSpec("keys", [.key],
                     summary: "the fields (d.keys())",
                     prints: "a JSON array, streamed (HSCAN)",
                     handler: DictCommands.keys),
            VerbSpec("values", [.key],
                     summary: "the values (d.values())",
                     prints: "a JSON array, streamed (HSCAN)",
                     handler: DictCommands.values),
            VerbSpec("items", [.key],
                     summary: "the fields and their values (d.items())",
                     prints: "a JSON array of [field, value] pairs, streamed (HSCAN); fields need not be strings",
                     handler: DictCommands.items),
            VerbSpec("update", [.key, .element("FIELD VALUE", .pairs)],
                     summary: "stores every FIELD VALUE pair in one command (d.update(...))",
                     prints: "null (Python's None)",
                     handler: DictCommands.update),
            VerbSpec("pop", [.key, .element("FIELD")], options: [defaultOption],
                     summary: "removes FIELD and gives its value (d.pop(FIELD[, V]))",
                     prints: "the value, or V when FIELD is missing; exit 1 with KeyError when it is missing and no --default is given",
                     handler: DictCommands.pop),
            VerbSpec("popitem", [.key],
                     summary: "removes some field and gives it with its value (d.popitem())",
                     prints: "[field, value]; exit 1 with KeyError when the dict is empty",
                     handler: DictCommands.popitem),
            VerbSpec("setdefault", [.key, .element("FIELD"), .element("VALUE", .optional)],
                     summary: "the value at FIELD, first storing VALUE (default null) there when FIELD is missing (d.setdefault(FIELD, VALUE))",
                     prints: "the value at FIELD after the call",
                     handler: DictCommands.setdefault),
            VerbSpec("clear", [.key],
                     summary: "deletes the dict (d.clear())",
                     prints: "null; exit 4 with WrongTypeError, deleting nothing, when KEY holds another Redis type",
                     handler: DictCommands.clear),
        ])

    // MARK: - set

    private static let set = StructureSpec(
        "set", summary: "pottery's RedisSet: a Redis set used as a Python set (members are JSON)",
        verbs: [
            VerbSpec("add", [.key, .element("ELEM", .oneOrMore)],
                     summary: "adds the ELEMs in one command (s.add(ELEM) for each)",
                     prints: "the number of ELEMs that were not members yet",
                     handler: SetCommands.add),
            VerbSpec("remove", [.key, .element("ELEM")],
                     summary: "removes ELEM (s.remove(ELEM))",
                     prints: "null; exit 1 with KeyError when ELEM is not a member",
                     handler: SetCommands.remove),
            VerbSpec("discard", [.key, .element("ELEM", .oneOrMore)],
                     summary: "removes the ELEMs that are members, in one command (s.discard(ELEM) for each)",
                     prints: "the number of members removed",
                     handler: SetCommands.discard),
            VerbSpec("contains", [.key, .element("ELEM")],
                     summary: "whether ELEM is a member (ELEM in s)",
                     prints: "true (exit 0) or false (exit 1)",
                     handler: SetCommands.contains),
            VerbSpec("contains-many", [.key, .element("ELEM", .oneOrMore)],
                     summary: "whether each ELEM is a member (s.contains_many(...))",
                     prints: "a JSON array of booleans in the order of the ELEMs; exit 0",
                     handler: SetCommands.containsMany),
            VerbSpec("len", [.key],
                     summary: "the number of members (len(s))",
                     prints: "an integer",
                     handler: SetCommands.len),
            VerbSpec("members", [.key],
                     summary: "the members (iter(s))",
                     prints: "a JSON array, streamed (SSCAN)",
                     handler: SetCommands.members),
            VerbSpec("pop", [.key],
                     summary: "removes a random member and gives it (s.pop())",
                     prints: "the member; exit 1 with KeyError when the set is empty",
                     handler: SetCommands.pop),
            VerbSpec("clear", [.key],
                     summary: "deletes the set (s.clear())",
                     prints: "null; exit 4 with WrongTypeError, deleting nothing, when KEY holds another Redis type",
                     handler: SetCommands.clear),
            VerbSpec("union", [.key, .text("OTHER", .zeroOrMore)],
                     summary: "the members of KEY or of any OTHER set (s.union(*others))",
                     prints: "a JSON array",
                     handler: SetCommands.union),
            VerbSpec("intersection", [.key, .text("OTHER", .zeroOrMore)],
                     summary: "the members of KEY that are in every OTHER set (s.intersection(*others))",
                     prints: "a JSON array",
                     handler: SetCommands.intersection),
            VerbSpec("difference", [.key, .text("OTHER", .zeroOrMore)],
                     summary: "the members of KEY that are in no OTHER set (s.difference(*others))",
                     prints: "a JSON array",
                     handler: SetCommands.difference),
            VerbSpec("symmetric-difference", [.key, .text("OTHER")],
                     summary: "the members of exactly one of KEY and OTHER (s.symmetric_difference(other))",
                     prints: "a JSON array",
                     handler: SetCommands.symmetricDifference),
            VerbSpec("isdisjoint", [.key, .text("OTHER")],
                     summary: "whether KEY and OTHER have no member in common (s.isdisjoint(other))",
                     prints: "true (exit 0) or false (exit 1)",
                     handler: SetCommands.isDisjoint),
            VerbSpec("issubset", [.key, .text("OTHER")],
                     summary: "whether every member of KEY is in OTHER (s.issubset(other))",
                     prints: "true (exit 0) or false (exit 1)",
                     handler: SetCommands.isSubset),
            VerbSpec("issuperset", [.key, .text("OTHER")],
                     summary: "whether every member of OTHER is in KEY (s.issuperset(other))",
                     prints: "true (exit 0) or false (exit 1)",
                     handler: SetCommands.isSuperset),
            VerbSpec("update", [.key, .text("OTHER", .zeroOrMore)],
                     summary: "adds the members of every OTHER set to KEY (s.update(*others))",
                     prints: "null (Python's None)",
                     handler: SetCommands.update),
            VerbSpec("difference-update", [.key, .text("OTHER", .zeroOrMore)],
                     summary: "removes from KEY the members of any OTHER set (s.difference_update(*others))",
                     prints: "null (Python's None)",
                     handler: SetCommands.differenceUpdate),
            VerbSpec("intersection-update", [.key, .text("OTHER", .zeroOrMore)],
                     summary: "keeps in KEY only the members found in every OTHER set (s.intersection_update(*others))",
                     prints: "null (Python's None)",
                     handler: SetCommands.intersectionUpdate),
            VerbSpec("symmetric-difference-update", [.key, .text("OTHER")],
                     summary: "makes KEY the members of exactly one of KEY and OTHER (s.symmetric_difference_update(other))",
                     prints: "null (Python's None)",
                     handler: SetCommands.symmetricDifferenceUpdate),
        ])
}

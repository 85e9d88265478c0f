@testable import pottery_cli
import Testing

/// The written-out lookups that spare a one-shot call the whole verb table
/// agree with the table itself.
@Suite struct VerbOptionIndexTests {
    @Test func theLexersOptionsAreTheTablesOptions() {
        let lexed = CommandLineParser.allOptions.map { "\($0.name) \($0.usage)" }.sorted()
        let table = CommandLineParser.tableOptions.map { "\($0.name) \($0.usage)" }.sorted()
        #expect(lexed == table)
        #expect(Set(CommandLineParser.allOptions.map(\.name)).count == CommandLineParser.allOptions.count)
    }

    @Test func everyStructureIsFoundByName() {
        for structure in VerbTable.structures {
            #expect(VerbTable.structure(named: structure.name)?.verbs.map(\.name) == structure.verbs.map(\.name))
        }
        #expect(VerbTable.structure(named: "nosuch") == nil)
        #expect(VerbTable.structures.count == 11)
    }
}

import Foundation
import PotteryTestSupport
import Testing

/// Every public declaration of PotteryKit has a doc comment: checked with
/// `swift format lint` and its `AllPublicDeclarationsHaveDocumentation` rule
/// (enabled in `.swift-format`).
@Suite struct PublicAPIDocumentationTests {
    @Test func everyPublicDeclarationIsDocumented() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "format", "lint", "--recursive", "Sources/PotteryKit"]
        process.currentDirectoryURL = root
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let missing = output.split(separator: "\n").filter { $0.contains("AllPublicDeclarationsHaveDocumentation") }
        #expect(missing.isEmpty, "undocumented public API:\n\(missing.joined(separator: "\n"))")
        #expect(output.contains("error:") == false, "swift format failed: \(output.prefix(500))")
    }
}

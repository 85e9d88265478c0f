@testable import pottery_cli
import Foundation
import PotteryKit
import PotteryTestSupport
import Testing

/// `make install`, `make uninstall` and `make deb`, with the already built
/// binary (`BINARY=`, so no release build runs here), into temporary
/// directories only: never the real system.
@Suite struct InstallTests {
    /// What `make install` puts under PREFIX, and nothing else.
    static let installed = [
        "bin/pottery-cli",
        "share/bash-completion/completions/pottery-cli",
        "share/fish/vendor_completions.d/pottery-cli.fish",
        "share/man/man1/pottery-cli.1",
        "share/zsh/site-functions/_pottery-cli",
    ]

    private static func temporaryDirectory(_ label: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pottery-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// `make -s -C TOP arguments...` with the built binary.
    private static func make(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let make = try #require(GeneratedDocsTests.tool("make"), "make is not on PATH")
        // Run from `make test`, the outer make's flags must not reach this one.
        var environment = ProcessInfo.processInfo.environment
        for name in ["MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"] { environment[name] = nil }
        return try GeneratedDocsTests.run(make, ["-s", "--no-print-directory", "-C", GeneratedDocsTests.root.path,
                                                 "BINARY=\(CLI.binary)"] + arguments, environment: environment)
    }

    /// The regular files under `directory`, relative to it, sorted.
    private static func files(under directory: URL) -> [String] {
        let base = directory.resolvingSymlinksInPath().path
        let enumerator = FileManager.default.enumerator(atPath: base)
        var found: [String] = []
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                found.append(path)
            }
        }
        return found.sorted()
    }

    /// `man -l PAGE` as plain text (no pager, no formatting characters).
    private static func man(_ page: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let man = try #require(GeneratedDocsTests.tool("man"), "man is not on PATH")
        var environment = ProcessInfo.processInfo.environment
        environment["MANPAGER"] = "cat"
        environment["PAGER"] = "cat"
        environment["MANWIDTH"] = "100"
        environment["MAN_KEEP_FORMATTING"] = nil
        return try GeneratedDocsTests.run(man, ["-l", page], environment: environment)
    }

    private static func expectManPageReads(_ page: String) throws {
        let result = try man(page)
        #expect(result.status == 0, "man -l \(page): \(result.stderr)")
        let text = result.stdout.replacingOccurrences(of: ".\u{8}", with: "", options: .regularExpression)
        for heading in ["NAME", "SYNOPSIS", "STRUCTURES", "EXIT STATUS", "EXAMPLES"] {
            #expect(text.contains("\n\(heading)\n"), "\(heading) in man -l \(page)")
        }
        #expect(text.contains("pottery-cli [GLOBAL OPTIONS] STRUCTURE VERB KEY"))
    }

    @Test func makeInstallPutsFiveFilesWhereTheToolsLookAndUninstallRemovesThem() throws {
        let destination = try Self.temporaryDirectory("install")
        defer { try? FileManager.default.removeItem(at: destination) }
        let prefix = "/opt/pottery"
        let root = destination.appendingPathComponent(String(prefix.dropFirst()))
        let install = try Self.make(["install", "DESTDIR=\(destination.path)", "PREFIX=\(prefix)"])
        try #require(install.status == 0, "make install: \(install.stderr)")
        #expect(Self.files(under: destination) == Self.installed.map { String(prefix.dropFirst()) + "/" + $0 })

        // Each file is the committed one; the binary runs.
        for (installed, committed) in [("share/man/man1/pottery-cli.1", GeneratedDocsTests.file(.man)),
                                       ("share/bash-completion/completions/pottery-cli", GeneratedDocsTests.file(.bash)),
                                       ("share/zsh/site-functions/_pottery-cli", GeneratedDocsTests.file(.zsh)),
                                       ("share/fish/vendor_completions.d/pottery-cli.fish", GeneratedDocsTests.file(.fish))] {
            #expect(FileManager.default.contents(atPath: root.appendingPathComponent(installed).path)
                    == FileManager.default.contents(atPath: committed), "\(installed)")
        }
        let binary = root.appendingPathComponent("bin/pottery-cli").path
        #expect(FileManager.default.isExecutableFile(atPath: binary))
        let version = try GeneratedDocsTests.run(binary, ["--version"])
        #expect(version.status == 0 && version.stdout == PotteryKit.version + "\n", "\(version)")
        try Self.expectManPageReads(root.appendingPathComponent("share/man/man1/pottery-cli.1").path)

        // The installed bash script completes, running the installed binary for keys.
        let key = uniqueKey("installed")
        try Raw.send("SET", key, "1")
        defer { _ = try? Raw.send("DEL", key) }
        let setup = ShellCompletion.Setup(
            bash: root.appendingPathComponent("share/bash-completion/completions/pottery-cli").path,
            zshDirectory: root.appendingPathComponent("share/zsh/site-functions").path,
            fish: root.appendingPathComponent("share/fish/vendor_completions.d/pottery-cli.fish").path,
            redisURL: RedisServer.shared.url,
            binDirectory: root.appendingPathComponent("bin").path)
        #expect(try ShellCompletion.bash("pottery-cli di", setup) == ["dict"])
        #expect(try ShellCompletion.bash("pottery-cli dict g", setup) == ["get"])
        let keyWord = String(key.split(separator: ":").last!)
        #expect(try ShellCompletion.bash("pottery-cli inspect \(key)", setup) == [keyWord])
        #expect(try ShellCompletion.fish("pottery-cli inspect \(key)", setup) == [key])

        let uninstall = try Self.make(["uninstall", "DESTDIR=\(destination.path)", "PREFIX=\(prefix)"])
        #expect(uninstall.status == 0, "make uninstall: \(uninstall.stderr)")
        #expect(Self.files(under: destination) == [])
    }

    @Test func makeDebBuildsAPackageThatInstallsAndRuns() throws {
        let directory = try Self.temporaryDirectory("deb")
        defer { try? FileManager.default.removeItem(at: directory) }
        let build = try Self.make(["deb", "DEB_DIR=\(directory.path)"])
        try #require(build.status == 0, "make deb: \(build.stderr)")
        let architecture = try GeneratedDocsTests.run(try #require(GeneratedDocsTests.tool("dpkg")), ["--print-architecture"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let name = "pottery-cli_\(PotteryKit.version)_\(architecture).deb"
        let deb = directory.appendingPathComponent(name).path
        #expect(build.stdout == deb + "\n", "\(build)")
        #expect(FileManager.default.fileExists(atPath: deb))

        let dpkgDeb = try #require(GeneratedDocsTests.tool("dpkg-deb"))
        let info = try GeneratedDocsTests.run(dpkgDeb, ["--info", deb])
        #expect(info.status == 0, "\(info.stderr)")
        #expect(info.stdout.contains(" Package: pottery-cli\n"))
        #expect(info.stdout.contains(" Version: \(PotteryKit.version)\n"))
        #expect(info.stdout.contains(" Architecture: \(architecture)\n"))
        // The binary links hiredis dynamically: the package depends on Debian's.
        let depends = info.stdout.split(separator: "\n").first { $0.hasPrefix(" Depends: ") }.map(String.init) ?? ""
        #expect(depends.contains("libhiredis0.14"), "\(info.stdout)")
        let contents = try GeneratedDocsTests.run(dpkgDeb, ["--contents", deb])
        for path in ["./usr/bin/pottery-cli", "./usr/share/man/man1/pottery-cli.1.gz",
                     "./usr/share/bash-completion/completions/pottery-cli",
                     "./usr/share/zsh/vendor-completions/_pottery-cli",
                     "./usr/share/fish/vendor_completions.d/pottery-cli.fish"] {
            #expect(contents.stdout.split(separator: "\n").contains { $0.hasSuffix(" " + path) }, "\(path)")
        }

        // Installed with dpkg into a throwaway root (its own database), run, read, removed.
        let root = directory.appendingPathComponent("root")
        let database = root.appendingPathComponent("var/lib/dpkg")
        for sub in ["info", "updates", "triggers"] {
            try FileManager.default.createDirectory(at: database.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        try Data().write(to: database.appendingPathComponent("status"))
        let dpkg = try #require(GeneratedDocsTests.tool("dpkg"))
        let options = ["--root=\(root.path)", "--force-not-root", "--force-depends", "--force-script-chrootless"]
        let install = try GeneratedDocsTests.run(dpkg, options + ["-i", deb])
        try #require(install.status == 0, "dpkg -i: \(install.stdout)\(install.stderr)")
        let binary = root.appendingPathComponent("usr/bin/pottery-cli").path
        let version = try GeneratedDocsTests.run(binary, ["--version"])
        #expect(version.status == 0 && version.stdout == PotteryKit.version + "\n", "\(version)")
        try Self.expectManPageReads(root.appendingPathComponent("usr/share/man/man1/pottery-cli.1.gz").path)
        let remove = try GeneratedDocsTests.run(dpkg, options + ["-r", "pottery-cli"])
        #expect(remove.status == 0, "dpkg -r: \(remove.stdout)\(remove.stderr)")
        #expect(!FileManager.default.fileExists(atPath: binary))
        #expect(Self.files(under: root.appendingPathComponent("usr")) == [])
    }
}

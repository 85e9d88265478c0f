import Foundation

/// Runs short Python 3 scripts for tests that compare PotteryKit with real Python.
public enum Python {
    /// Why a Python script could not be run at all.
    public struct LaunchError: Error, CustomStringConvertible {
        /// What went wrong.
        public let description: String
    }

    /// Runs `python3 -c script`, feeding `stdin`, and waits for it to end.
    ///
    /// Input and output go through temporary files, so inputs and outputs of
    /// any size cannot deadlock on a pipe.
    ///
    /// - Parameters:
    ///   - script: The Python source to run.
    ///   - stdin: The bytes to give the script on standard input.
    /// - Returns: Everything the script wrote to standard output, its standard
    ///   error as text, and its exit status.
    /// - Throws: `LaunchError` or a Foundation error when the process cannot be
    ///   started or the temporary files cannot be used.
    public static func run(_ script: String, stdin: [UInt8] = []) throws -> (
        stdout: [UInt8], stderr: String, status: Int32
    ) {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("pottery-python-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputURL = directory.appendingPathComponent("stdin")
        let outputURL = directory.appendingPathComponent("stdout")
        let errorURL = directory.appendingPathComponent("stderr")
        try Data(stdin).write(to: inputURL)
        try Data().write(to: outputURL)
        try Data().write(to: errorURL)

        let input = try FileHandle(forReadingFrom: inputURL)
        let output = try FileHandle(forWritingTo: outputURL)
        let error = try FileHandle(forWritingTo: errorURL)
        defer {
            try? input.close()
            try? output.close()
            try? error.close()
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        do {
            try process.run()
        } catch {
            throw LaunchError(description: "cannot start python3: \(error)")
        }
        process.waitUntilExit()
        let stdout = try Data(contentsOf: outputURL)
        let stderr = try Data(contentsOf: errorURL)
        return ([UInt8](stdout), String(decoding: stderr, as: UTF8.self), process.terminationStatus)
    }
}

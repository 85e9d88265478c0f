import Glibc
import PotteryKit

/// `cache run KEY -- COMMAND...`: an expensive command runs once per TTL
/// across a fleet. The entry's field in the hash KEY is the pottery JSON of
/// `{"argv", "env", "stdin_sha1"}` (readable with `inspect`), its value
/// `{"status", "stdout"}` (`"stdout_base64"` for output that is not UTF-8).
///
/// On a miss, a lock named after the entry (`redlock:cache-run:KEY:<sha1>`
/// on the `--url` server, extended while COMMAND runs) makes concurrent runs
/// of one command wait for the first one's result instead of running it again.
enum CacheRunCommand {
    static let details = [
        "pottery-cli reads stdin to its end first (unless it is a terminal): give </dev/null when there is none.",
        "COMMAND runs without a shell, its stdin is the bytes pottery-cli read (unless stdin is a terminal),",
        "its stdout is captured and printed when it ends; stderr passes through and is not stored.",
        "An entry is keyed by COMMAND's arguments, the SHA-1 of its stdin and the --env variables.",
        "An exit status is stored, non-zero ones included; a command killed by a signal stores nothing.",
        "Concurrent runs of one command run it once: the others wait (--timeout, --no-wait) and print its result.",
    ]

    static func run(_ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let command = invocation.textList("COMMAND")
        let ttl = try OptionValues.seconds(invocation, "ttl", allowZero: true) ?? .seconds(60)
        let (blocking, timeout) = try LockCommands.waiting(invocation)
        let names = invocation.textOptions["env"].map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } ?? []
        if names.contains(where: { $0.isEmpty || $0.contains("=") }) {
            throw PotteryError(.valueError, "--env takes variable names separated by commas, got \(invocation.textOptions["env"] ?? "")")
        }
        let input = try standardInput()
        var field: JSONObject = [
            "argv": .array(command.map(JSONValue.string)),
            "stdin_sha1": input.map { .string(SHA1.hexDigest($0)) } ?? .null,
        ]
        if !names.isEmpty {
            var variables = JSONObject()
            for name in names { variables[name] = SystemIO.environment(name).map(JSONValue.string) ?? .null }
            field["env"] = .object(variables)
        }
        let entry = JSONValue.object(field)
        let cache = RedisCache(invocation.connection, key: invocation.key, timeout: ttl)  // 0: for ever (PERSIST on every use)
        if let stored = try cache.value(forField: entry) { return try replay(stored, invocation) }

        let digest = SHA1.hexDigest(PotteryJSON.encode(entry))
        let lock = Redlock(key: "cache-run:\(invocation.text("KEY")):\(digest)", masters: [invocation.connection])
        guard try lock.acquire(blocking: blocking, timeout: timeout) else {
            ErrorReporter.warn(PotteryError(.quorumNotAchieved, "another run of this command is still computing its entry of "
                                            + "\(invocation.key); not run", key: invocation.text("KEY")))
            return ExitStatus(code: 75)
        }
        // The run we waited for may have stored its result meanwhile.
        let late: JSONValue?
        do { late = try cache.value(forField: entry) } catch { try? lock.release(); throw error }
        if let late {
            try? lock.release()
            return try replay(late, invocation)
        }
        return try runAndStore(command, input: input, entry: entry, cache: cache, lock: lock, invocation: invocation)
    }

    private static func runAndStore(_ command: [String], input: [UInt8]?, entry: JSONValue, cache: RedisCache,
                                    lock: Redlock, invocation: Invocation) throws(PotteryError) -> ExitStatus {
        let inputFile: Int32?
        let outputFile: Int32
        do {
            inputFile = try input.map { bytes throws(PotteryError) in try scratchFile(holding: bytes) }
            outputFile = try scratchFile(holding: [])
        } catch {
            try? lock.release()
            throw error
        }
        defer {
            if let inputFile { close(inputFile) }
            close(outputFile)
        }
        var storeError: PotteryError?
        var run = LeasedRun(key: invocation.text("KEY"), leaseName: "the lock of this command's entry (\(lock.key))",
                            variables: [],
                            startWatchdog: { onLost throws(PotteryError) in try lock.startWatchdog(onLost: onLost) },
                            release: { () throws(PotteryError) in try lock.release() })
        run.standardInput = inputFile
        run.standardOutput = outputFile
        run.beforeRelease = { status in
            lseek(outputFile, 0, SEEK_SET)
            let output = SystemIO.readAll(from: outputFile) ?? []
            invocation.output.flush()
            SystemIO.writeAll(output, to: STDOUT_FILENO)
            guard status < 128 else { return }  // killed by a signal: not a result
            var value: JSONObject = ["status": .int(Int(status))]
            if let text = String(validating: output, as: UTF8.self) {
                value["stdout"] = .string(text)
            } else {
                value["stdout_base64"] = .string(Base64.encode(output))
            }
            do throws(PotteryError) { try cache.store(.object(value), forField: entry) } catch { storeError = error }
        }
        let status = try run.run(command)
        if let storeError {
            ErrorReporter.warn(storeError, note: "the command's result was not stored; its status is kept")
        }
        return status
    }

    /// Prints a stored entry's output and gives its status.
    private static func replay(_ stored: JSONValue, _ invocation: Invocation) throws(PotteryError) -> ExitStatus {
        guard let object = stored.objectValue, let status = object["status"]?.intValue, (0...255).contains(status) else {
            throw PotteryError(.typeError, "the entry is not a cache run result ({\"status\", \"stdout\"})",
                               key: invocation.text("KEY"))
        }
        let output: [UInt8]
        if let text = object["stdout"]?.stringValue {
            output = Array(text.utf8)
        } else if let encoded = object["stdout_base64"]?.stringValue, let bytes = Base64.decode(encoded) {
            output = bytes
        } else {
            throw PotteryError(.typeError, "the entry is not a cache run result ({\"status\", \"stdout\"})",
                               key: invocation.text("KEY"))
        }
        SystemIO.writeAll(output, to: STDOUT_FILENO)
        return ExitStatus(code: Int32(status))
    }

    /// All of stdin, or `nil` when it is a terminal (then COMMAND shares it and it is not part of the key).
    private static func standardInput() throws(PotteryError) -> [UInt8]? {
        if isatty(STDIN_FILENO) != 0 { return nil }
        if fcntl(STDIN_FILENO, F_GETFD) < 0 { return [] }  // closed: nothing to read
        guard let bytes = SystemIO.readAll(from: STDIN_FILENO) else {
            throw PotteryError(.valueError, "cannot read stdin: \(SystemIO.lastErrorText())")
        }
        return bytes
    }

    /// An unlinked temporary file holding `bytes`, positioned at its start.
    private static func scratchFile(holding bytes: [UInt8]) throws(PotteryError) -> Int32 {
        let directory = SystemIO.environment("TMPDIR").flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((directory.hasSuffix("/") ? directory : directory + "/").utf8CString.dropLast())
            + Array("pottery-cache-run-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw PotteryError(.valueError, "cannot make a temporary file in \(directory): \(SystemIO.lastErrorText())")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        guard SystemIO.writeAll(bytes, to: fd), lseek(fd, 0, SEEK_SET) == 0 else {
            close(fd)
            throw PotteryError(.valueError, "cannot write a temporary file in \(directory): \(SystemIO.lastErrorText())")
        }
        return fd
    }
}

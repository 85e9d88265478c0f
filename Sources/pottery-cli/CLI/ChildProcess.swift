import Glibc

/// A command run without a shell, in a process group of its own, so that a
/// signal reaches its whole tree (`kill(-pgid)`), not just a `sh -c` in front
/// of it (consul lock's known bug).
///
/// The child gets default signal dispositions (SIGPIPE included, which
/// pottery-cli ignores), an empty signal mask, and none of our descriptors
/// but 0, 1 and 2 (everything else is marked close-on-exec first).
struct ChildProcess {
    /// The child's pid, which is also its process group id.
    let pid: pid_t

    /// Why a command could not be started, with the shell's status for it.
    struct SpawnError: Error {
        /// 127 when the command was not found, 126 when it could not be run.
        let status: Int32
        let message: String
    }

    /// Starts `arguments[0]` (looked up in `PATH`) with `arguments` and
    /// `environment` (`NAME=value` strings); `standardInput` and
    /// `standardOutput`, when given, become its descriptors 0 and 1.
    static func spawn(_ arguments: [String], environment: [String], standardInput: Int32? = nil,
                      standardOutput: Int32? = nil) -> Result<ChildProcess, SpawnError> {
        markDescriptorsCloseOnExec()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let standardInput { posix_spawn_file_actions_adddup2(&actions, standardInput, 0) }
        if let standardOutput { posix_spawn_file_actions_adddup2(&actions, standardOutput, 1) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        sigfillset(&all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        var pid: pid_t = 0
        let status = withCStrings(arguments) { argv in
            withCStrings(environment) { envp in
                posix_spawnp(&pid, argv[0]!, &actions, &attributes, argv, envp)
            }
        }
        guard status == 0 else {
            let reason = String(cString: strerror(status))
            let notFound = status == ENOENT || status == ENOTDIR
            return .failure(SpawnError(status: notFound ? 127 : 126, message: "cannot run \(arguments[0]): \(reason)"))
        }
        return .success(ChildProcess(pid: pid))
    }

    /// Sends `signal` to the child's whole process group.
    func signalGroup(_ signal: Int32) {
        if kill(-pid, signal) != 0 { kill(pid, signal) }
    }

    /// The child's exit status as a shell reports it, once it has ended
    /// (`nil` while it runs): its code, or 128+N when killed by signal N.
    func reap() -> Int32? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid else { return nil }
        let signal = status & 0x7f
        if signal == 0 { return (status >> 8) & 0xff }
        return 128 + signal
    }

    /// Marks every descriptor above 2 close-on-exec (the Redis sockets among them).
    private static func markDescriptorsCloseOnExec() {
        guard let directory = opendir("/proc/self/fd") else {
            for fd in 3..<Int32(1024) { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            return
        }
        defer { closedir(directory) }
        let own = dirfd(directory)
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let fd = Int32(name), fd > 2, fd != own {
                let flags = fcntl(fd, F_GETFD)
                if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
            }
        }
    }

    /// Calls `body` with a NULL-terminated array of C strings.
    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return body(pointers)
    }
}

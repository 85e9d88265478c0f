import Glibc

// Process-wide setup belongs here only.

// A standard descriptor that is closed (`pottery-cli ... >&-`) would be reused
// by the next open(2), the Redis socket: output meant for stdout would reach
// the server as commands. Hold 0, 1 and 2 with /dev/null first.
for descriptor: Int32 in 0...2 where fcntl(descriptor, F_GETFD) == -1 {
    _ = open("/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY)
}

// hiredis writes with write(2): a server that went away must give an error,
// not kill the process; a closed stdout is noticed by the output writer (exit 141).
signal(SIGPIPE, SIG_IGN)

let arguments = (1..<Int(CommandLine.argc)).map { CommandLine.unsafeArgv[$0] }
exit(PotteryCLI.run(argv: arguments).code)

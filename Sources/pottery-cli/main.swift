import Glibc

// Process-wide setup belongs here only. hiredis writes with write(2): a server
// that went away must give an error, not kill the process; a closed stdout is
// noticed by the output writer (exit 141).
signal(SIGPIPE, SIG_IGN)

let arguments = (1..<Int(CommandLine.argc)).map { CommandLine.unsafeArgv[$0] }
exit(PotteryCLI.run(argv: arguments).code)

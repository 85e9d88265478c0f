import PotteryKit

/// The process exit status, and the one place that maps failures to it.
///
/// | status | meaning |
/// |---|---|
/// | 0 | done; a predicate that is true |
/// | 1 | a negative answer: missing key or element, predicate false |
/// | 2 | usage: unknown command or option, missing or malformed argument |
/// | 3 | the server: unreachable, timed out, refused auth, answered an error |
/// | 4 | the data: wrong Redis type, stored bytes that are not pottery JSON |
/// | 5 | `lock run`: the lock was lost while the command ran |
/// | 75 | `lock run`: the lock was not acquired (or `--conflict-exit-code N`) |
/// | 141 | stdout was closed by its reader (128 + SIGPIPE, as if killed by it) |
struct ExitStatus: Hashable, Sendable {
    let code: Int32

    static let success = ExitStatus(code: 0)
    static let negative = ExitStatus(code: 1)
    static let usage = ExitStatus(code: 2)
    static let server = ExitStatus(code: 3)
    static let data = ExitStatus(code: 4)
    /// SIGPIPE is ignored, so a closed stdout is reported as a shell would
    /// report a process killed by it, and `set -o pipefail` behaves as usual.
    static let brokenPipe = ExitStatus(code: 128 + 13)

    /// Every status a run can give, with one line on its meaning: the table
    /// `--help` prints and the man page's EXIT STATUS lists.
    static let documented: [(status: ExitStatus, meaning: String)] = [
        (.success, "done; a predicate (contains, issubset, ...) that is true"),
        (.negative, "a negative answer: missing field or element, predicate false"),
        (.usage, "usage: unknown command or option, missing or malformed argument"),
        (.server, "the server: unreachable, timed out, refused auth, answered an error"),
        (.data, "the data: key of the wrong Redis type, stored bytes that are not pottery JSON"),
        (ExitStatus(code: 5), "lock run: the lock was lost while the command ran (the command was stopped)"),
        (ExitStatus(code: 75), "lock run: the lock was not acquired (EX_TEMPFAIL; see --conflict-exit-code); "
            + "otherwise lock run exits with the command's own status"),
        (.brokenPipe, "stdout closed by its reader (as if killed by SIGPIPE)"),
    ]

    /// 0 for `true`, 1 for `false`: how predicates answer.
    init(predicate: Bool) {
        self = predicate ? .success : .negative
    }

    /// The status for a PotteryKit failure, decided by its code's category.
    init(for code: PotteryError.Code) {
        switch code.category {
        case .notFound: self = .negative
        case .usage: self = .usage
        case .server: self = .server
        case .data: self = .data
        }
    }

    /// A status of a child process or an option (`lock run`).
    init(code: Int32) {
        self.code = code
    }
}

import Foundation
import Testing

/// Asks bash, zsh and fish what they complete for partial command lines, with
/// a given completion script, the built pottery-cli first on `PATH` (key
/// completion runs it) and `REDIS_URL` as given (else unset).
///
/// - bash: the script is sourced and its `complete -F` function called with
///   COMP_WORDS split as readline splits them (whitespace, then `=` and `:`,
///   which stay words of their own), COMP_LINE and COMP_POINT.
/// - fish: `complete -C LINE`, fish's own answer, descriptions dropped.
/// - zsh: an interactive `zsh -f -i` in a `zpty`, with compinit over the
///   script's directory; each line is typed followed by TAB, and `compadd`
///   reports the matches it adds (what zsh would offer).
enum ShellCompletion {
    /// What the shells are given.
    struct Setup {
        /// The bash script (sourced).
        var bash: String
        /// A directory holding `_pottery-cli` (put first on `fpath`).
        var zshDirectory: String
        /// The fish script (sourced).
        var fish: String
        /// `REDIS_URL` for the shells and the pottery-cli they run; `nil`: unset.
        var redisURL: String?
        /// The directory put first on `PATH`.
        var binDirectory: String = URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().path
    }

    /// The environment the shells run in.
    static func environment(_ setup: Setup) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        for name in ["REDIS_URL", "REDISCLI_AUTH", "POTTERY_MASTERS", "POTTERY_CLI", "ZDOTDIR", "BASH_ENV", "ENV"] {
            env[name] = nil
        }
        if let url = setup.redisURL { env["REDIS_URL"] = url }
        env["PATH"] = setup.binDirectory + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env["HOME"] = FileManager.default.temporaryDirectory.path
        env["TERM"] = "dumb"
        return env
    }

    // MARK: - bash

    /// The words readline gives the completion function for `line`.
    static func bashWords(_ line: String) -> [String] {
        var words: [String] = []
        for piece in line.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            var current = ""
            for character in piece {
                if character == "=" || character == ":" {
                    if !current.isEmpty { words.append(current) }
                    words.append(String(character))
                    current = ""
                } else {
                    current.append(character)
                }
            }
            if !current.isEmpty { words.append(current) }
        }
        if line.last == " " || line.isEmpty { words.append("") }
        return words
    }

    /// What bash completes for `line` (the cursor at its end), sorted.
    static func bash(_ line: String, _ setup: Setup) throws -> [String] {
        let script = #"""
            source "$1" || exit 3
            line=$2
            shift 2
            spec=$(complete -p pottery-cli) || exit 4
            function=${spec#*-F }
            function=${function%% *}
            COMP_WORDS=("$@")
            COMP_CWORD=$(($# - 1))
            COMP_LINE=$line
            COMP_POINT=${#COMP_LINE}
            COMPREPLY=()
            "$function" pottery-cli "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
            for word in "${COMPREPLY[@]}"; do printf '%s\n' "$word"; done
            """#
        let result = try run("bash", ["--norc", "--noprofile", "-c", script, "bash", setup.bash, line] + bashWords(line),
                             setup)
        #expect(result.status == 0 && result.stderr.isEmpty, "bash: \(line): \(result.stderr)")
        return lines(result.stdout).sorted()
    }

    // MARK: - fish

    /// What fish completes for `line`, sorted, without descriptions.
    static func fish(_ line: String, _ setup: Setup) throws -> [String] {
        let result = try run("fish", ["--no-config", "-c", #"source $argv[1]; and complete -C $argv[2]"#,
                                      setup.fish, line], setup)
        #expect(result.status == 0 && result.stderr.isEmpty, "fish: \(line): \(result.stderr)")
        return lines(result.stdout).map { String($0.prefix { $0 != "\t" }) }.sorted()
    }

    // MARK: - zsh

    /// What zsh completes for each of `lines`, each sorted and without
    /// repeats, in one zsh session.
    static func zsh(_ lines: [String], _ setup: Setup) throws -> [[String]] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pottery-zsh-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let capture = directory.appendingPathComponent("capture.zsh")
        try Data(zshCapture.utf8).write(to: capture)
        let result = try run("zsh", ["-f", capture.path, setup.zshDirectory] + lines, setup)
        #expect(result.status == 0 && result.stderr.isEmpty, "zsh: \(lines): \(result.stderr)")
        var answers: [[String]] = []
        var current: [String] = []
        for line in self.lines(result.stdout) {
            if line == "\u{1}NEXT" {
                answers.append(Array(Set(current)).sorted())
                current = []
            } else {
                current.append(line)
            }
        }
        #expect(answers.count == lines.count, "zsh answered \(answers.count) of \(lines.count) lines: \(result.stdout)")
        return answers
    }

    /// What zsh completes for `line`.
    static func zsh(_ line: String, _ setup: Setup) throws -> [String] {
        try zsh([line], setup).first ?? []
    }

    /// `zsh -f capture.zsh FPATH_DIR LINE...`: prints the matches of each
    /// LINE, then a line `\1NEXT`. `compadd` is wrapped to print what it adds
    /// (calls with -O, -A or -D only compute, and are passed through).
    private static let zshCapture = #"""
        zmodload zsh/zpty zsh/zselect || exit 3
        local dir=$1
        shift
        zpty pottery_complete zsh -f -i || exit 3
        local setup="PROMPT= RPROMPT= PS2=
        unsetopt beep
        fpath=(${(q)dir} \$fpath)
        autoload -U compinit && compinit -u -D
        zstyle ':completion:*' list-grouped false
        zstyle ':completion:*' insert-tab false
        __pottery_complete() {
            _main_complete
            local ret=\$?
            print -r -- \$'\\x01'END
            return ret
        }
        zle -C pottery-complete complete-word __pottery_complete
        bindkey '^I' pottery-complete
        compadd() {
            if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then
                builtin compadd \"\$@\"
                return
            fi
            local -a __found
            builtin compadd -O __found \"\$@\"
            local __word
            for __word in \$__found; do print -r -- \$'\\x01'\"M\$__word\"; done
            builtin compadd \"\$@\"
        }
        print -r -- \$'\\x01'READY
        "
        zpty -w pottery_complete "$setup"
        local line typed ready= deadline=$(( SECONDS + 60 ))
        while (( $# && SECONDS < deadline )); do
            if ! zpty -rt pottery_complete line; then
                zselect -t 1
                continue
            fi
            line=${line%$'\n'}
            line=${line%$'\r'}
            if [[ -z $ready ]]; then
                if [[ $line == *$'\x01'READY* ]]; then
                    ready=1
                    zpty -w -n pottery_complete "$1"$'\t'
                fi
                continue
            fi
            if [[ $line == *$'\x01'END* ]]; then
                print -r -- $'\x01'NEXT
                shift
                # ^U empties the line for the next one.
                (( $# )) && zpty -w -n pottery_complete $'\x15'"$1"$'\t'
                continue
            fi
            [[ $line == *$'\x01'M* ]] && print -r -- "${line#*$'\x01'M}"
        done
        zpty -d pottery_complete
        (( $# )) && { print -u2 "zsh did not complete: $1"; exit 4 }
        exit 0
        """#

    // MARK: - Running

    private static func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// Runs the shell `name` with `arguments` in the setup's environment;
    /// stdout and stderr through files.
    static func run(_ name: String, _ arguments: [String], _ setup: Setup) throws
        -> (status: Int32, stdout: String, stderr: String) {
        let shell = try #require(GeneratedDocsTests.tool(name), "\(name) is not on PATH (make deps installs it)")
        return try GeneratedDocsTests.run(shell, arguments, environment: environment(setup))
    }
}

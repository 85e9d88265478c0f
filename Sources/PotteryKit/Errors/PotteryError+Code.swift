extension PotteryError {
    /// What kind of failure a ``PotteryError`` reports.
    ///
    /// ``name`` is the Python exception name pottery (or redis-py) raises for the
    /// same situation, so a pottery user recognises it; pottery-cli prints it as
    /// the error's `type`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The exception name, e.g. `KeyError`.
        public let name: String
        /// The broad class of failure, which decides pottery-cli's exit status.
        public let category: Category

        init(_ name: String, _ category: Category) {
            self.name = name
            self.category = category
        }

        /// ``name``.
        public var description: String { name }

        /// The broad classes of failure.
        public enum Category: Sendable, Hashable {
            /// A missing key, element or index: a negative answer rather than a fault.
            case notFound
            /// The caller passed an invalid argument.
            case usage
            /// The server could not be reached, timed out, refused or answered an error.
            case server
            /// The stored data is not what pottery stores (wrong Redis type, not JSON, wrong shape).
            case data
        }

        // MARK: negative answers
        /// A dict key or set element is missing (Python `KeyError`).
        public static let keyError = Code("KeyError", .notFound)
        /// A list index is out of range (Python `IndexError`).
        public static let indexError = Code("IndexError", .notFound)
        /// A value is not in a list (Python's `ValueError` from `list.remove(x)` and
        /// `list.index(x)`): a negative answer, unlike ``valueError``, a bad argument.
        public static let valueNotFound = Code("ValueError", .notFound)
        /// A queue stayed empty for the whole wait (pottery `QueueEmptyError`).
        public static let queueEmpty = Code("QueueEmptyError", .notFound)

        // MARK: usage
        /// An argument is invalid (Python `ValueError`).
        public static let valueError = Code("ValueError", .usage)
        /// A Redis URL cannot be parsed or names an unsupported scheme.
        public static let invalidURL = Code("InvalidURL", .usage)
        /// A container was given initial data for a key that already exists (pottery `KeyExistsError`).
        public static let keyExists = Code("KeyExistsError", .usage)

        // MARK: server
        /// The server cannot be reached, closed the connection, or the socket failed.
        public static let connectionError = Code("ConnectionError", .server)
        /// The server did not answer in time; the command's outcome is unknown.
        public static let timeout = Code("TimeoutError", .server)
        /// The server refused the credentials, or wants some (`NOAUTH`, `WRONGPASS`).
        public static let authenticationError = Code("AuthenticationError", .server)
        /// The server's ACL does not let this user run the command or touch the key (`NOPERM`;
        /// redis-py `NoPermissionError`).
        public static let noPermissionError = Code("NoPermissionError", .server)
        /// The server answered an error reply (other than the ones with their own code).
        public static let responseError = Code("ResponseError", .server)
        /// An optimistic transaction kept meeting concurrent writers (redis-py `WatchError`).
        public static let watchError = Code("WatchError", .server)
        /// No free random key was found (pottery `RandomKeyError`).
        public static let randomKeyError = Code("RandomKeyError", .server)

        // MARK: locks and IDs over several masters
        /// A lock or ID was not granted by a majority of the masters (pottery `QuorumNotAchieved`): try again later.
        public static let quorumNotAchieved = Code("QuorumNotAchieved", .notFound)
        /// So many masters failed that no majority can answer (pottery `QuorumIsImpossible`).
        public static let quorumIsImpossible = Code("QuorumIsImpossible", .server)
        /// Releasing a lock that this holder does not hold (pottery `ReleaseUnlockedLock`).
        public static let releaseUnlockedLock = Code("ReleaseUnlockedLock", .notFound)
        /// Extending a lock that this holder does not hold (pottery `ExtendUnlockedLock`).
        public static let extendUnlockedLock = Code("ExtendUnlockedLock", .notFound)
        /// A lock object has used up its extensions (pottery `TooManyExtensions`).
        public static let tooManyExtensions = Code("TooManyExtensions", .usage)

        // MARK: data
        /// The key holds another Redis type (`WRONGTYPE`).
        public static let wrongType = Code("WrongTypeError", .data)
        /// Stored bytes are not JSON as Python's `json.loads` reads it (Python `JSONDecodeError`).
        public static let decodeError = Code("JSONDecodeError", .data)
        /// Stored JSON does not fit the Swift type asked for, or a value cannot be encoded (Python `TypeError`).
        public static let typeError = Code("TypeError", .data)

        /// Every code defined here, for exhaustive checks in tests and tools.
        public static let all: [Code] = [
            .keyError, .indexError, .valueNotFound, .queueEmpty, .valueError, .invalidURL, .keyExists,
            .connectionError, .timeout, .authenticationError, .noPermissionError, .responseError,
            .watchError, .randomKeyError, .quorumNotAchieved, .quorumIsImpossible, .releaseUnlockedLock,
            .extendUnlockedLock, .tooManyExtensions, .wrongType, .decodeError, .typeError,
        ]
    }
}

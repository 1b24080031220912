import WBuildSystem

/// Why `FileWatcher.start` could not start: what failed, on what, and what to do.
public struct WatchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong; grows as new failure modes are named.
    public enum Code: Sendable, Equatable {
        /// The root is not an absolute path.
        case rootNotAbsolute
        /// The root does not exist or is not a directory.
        case rootNotDirectory
        /// `inotify_init1` failed for a reason other than the instance limit.
        case inotifyUnavailable
        /// The wake-up pipe could not be created.
        case wakePipeFailed
        /// The reader thread could not be started.
        case threadFailed
    }

    public var code: Code
    /// The root being watched.
    public var root: String
    /// The underlying system error, when there is one.
    public var cause: SystemError?
    /// What the user can do about it.
    public var hint: String

    public init(code: Code, root: String, cause: SystemError? = nil, hint: String) {
        self.code = code
        self.root = root
        self.cause = cause
        self.hint = hint
    }

    public var description: String {
        var text = "cannot watch \(root)"
        if let cause { text += ": \(cause)" } else {
            switch code {
            case .rootNotAbsolute: text += ": not an absolute path"
            case .rootNotDirectory: text += ": not a directory"
            case .inotifyUnavailable: text += ": inotify unavailable"
            case .wakePipeFailed: text += ": cannot create the wake-up pipe"
            case .threadFailed: text += ": cannot start the reader thread"
            }
        }
        return text + " (\(hint))"
    }
}

/// A failed system call, with what was attempted, on what, and what to do about it.
///
/// `description` reads as one line a user can act on:
/// "inotify_add_watch on src/api: No space left on device (raise fs.inotify.max_user_watches …)".
public struct SystemError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The syscall or operation, e.g. `open`, `inotify_add_watch`, `rename`.
    public var operation: String
    /// The path or other object it acted on, if any.
    public var path: String?
    public var errno: Errno
    /// What the user can do, when we know.
    public var hint: String?

    public init(_ operation: String, path: String? = nil, errno: Errno, hint: String? = nil) {
        self.operation = operation
        self.path = path
        self.errno = errno
        self.hint = hint
    }

    public var description: String {
        var text = operation
        if let path { text += " on \(path)" }
        text += ": \(errno)"
        if let hint { text += " (\(hint))" }
        return text
    }
}

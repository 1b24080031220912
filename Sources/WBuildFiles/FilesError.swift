import WBuildSystem

/// The one error type of `WBuildFiles`: what went wrong, on which pattern or path,
/// the underlying system error when there is one, and what the user can do.
public struct FilesError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is; grows as the module does.
    public enum Code: Sendable, Equatable {
        /// A glob or ignore pattern cannot be compiled (unclosed `[`, trailing `\`, …).
        case malformedPattern
        /// An ignore file (`.dockerignore`) exists but cannot be read.
        case unreadableIgnoreFile
        /// The root of a scan is missing, not a directory, or cannot be opened.
        case scanRootUnavailable
        /// The stat cache could not be saved.
        case cacheNotWritten
    }

    public var code: Code
    /// One line saying what happened.
    public var message: String
    /// The offending pattern, for `.malformedPattern`.
    public var pattern: String?
    /// Zero-based offset (in Unicode scalars) into `pattern` where the problem is.
    public var position: Int?
    /// The file or directory involved, if any.
    public var path: String?
    /// The failed system call behind this error, if any.
    public var cause: SystemError?
    /// What to do about it, when we know.
    public var hint: String?

    public init(_ code: Code, _ message: String, pattern: String? = nil, position: Int? = nil,
                path: String? = nil, cause: SystemError? = nil, hint: String? = nil) {
        self.code = code
        self.message = message
        self.pattern = pattern
        self.position = position
        self.path = path
        self.cause = cause
        self.hint = hint
    }

    public var description: String {
        var text = message
        if let pattern {
            text += " in pattern \"\(pattern)\""
            if let position { text += " at position \(position)" }
        }
        if let path { text += " (\(path))" }
        if let cause { text += ": \(cause)" }
        if let hint { text += "; \(hint)" }
        return text
    }
}

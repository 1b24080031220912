/// Why a child process could not be started: which command, in which directory, the
/// `errno` when a system call failed, and what the user can do about it.
///
/// `description` is one line for a terminal:
/// "command not found: `mkae` (searched PATH=/usr/bin:/bin) — check the task's cmd".
public struct ProcessError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as a value callers can switch over.
    public enum Code: Sendable, Equatable, Hashable {
        /// The program is not in `PATH`, or the path given does not exist.
        case commandNotFound
        /// The program exists but may not be executed (no `x` permission, or a directory).
        case permissionDenied
        /// The working directory does not exist.
        case directoryNotFound
        /// The working directory path names something that is not a directory.
        case notADirectory
        /// The program file is still open for writing (`ETXTBSY`), e.g. being generated.
        case programBusy
        /// `.argv([])`: there is nothing to run.
        case emptyCommand
        /// Creating the output pipes failed (usually: too many open files).
        case pipeFailed
        /// `posix_spawn` itself failed for another reason; see `errno`.
        case spawnFailed
    }

    public var code: Code
    /// The command that was to run.
    public var command: ProcessCommand
    /// The working directory it was to run in, if one was set.
    public var directory: String?
    /// The failing system call's error, when there was one.
    public var errno: Errno?
    /// More context: the PATH searched, the resolved program path.
    public var detail: String?

    public init(_ code: Code, command: ProcessCommand, directory: String?, errno: Errno? = nil, detail: String? = nil) {
        self.code = code
        self.command = command
        self.directory = directory
        self.errno = errno
        self.detail = detail
    }

    /// What the user can do about it.
    public var hint: String {
        switch code {
        case .commandNotFound:
            return "check the task's cmd for a typo, or install the program / add its directory to PATH"
        case .permissionDenied:
            return "make the program executable (chmod +x) or run it through a shell"
        case .programBusy:
            return "the program is still being written; run it once whatever writes it has finished"
        case .directoryNotFound:
            return "create the directory, or fix the task's working directory"
        case .notADirectory:
            return "point the task's working directory at a directory"
        case .emptyCommand:
            return "give the task a command to run"
        case .pipeFailed:
            return "too many open files? raise the limit with `ulimit -n`"
        case .spawnFailed:
            return "check that the program is a valid executable for this machine"
        }
    }

    public var description: String {
        var text: String
        switch code {
        case .commandNotFound: text = "command not found: `\(command.programName)`"
        case .permissionDenied: text = "permission denied running `\(command.programName)`"
        case .programBusy: text = "program is busy (open for writing): `\(command.programName)`"
        case .directoryNotFound: text = "directory does not exist: \(directory ?? "")"
        case .notADirectory: text = "not a directory: \(directory ?? "")"
        case .emptyCommand: text = "empty command"
        case .pipeFailed: text = "could not create output pipes for `\(command)`"
        case .spawnFailed: text = "could not start `\(command)`"
        }
        if code != .directoryNotFound && code != .notADirectory, let directory {
            text += " in \(directory)"
        }
        if let detail { text += " (\(detail))" }
        if let errno { text += ": \(errno)" }
        return text + " — " + hint
    }
}

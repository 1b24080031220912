#if canImport(Glibc)
import Glibc
#endif
import CWBuildSystem

/// How a child process ended: it called `exit` with a code, or a signal killed it.
public enum ExitStatus: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The process exited with this code (0 is success).
    /// `-1` means the status could not be collected (another part of the program reaped the child).
    case exited(Int32)
    /// A signal killed the process (`SIGKILL` is 9, `SIGTERM` is 15).
    case signaled(Int32)

    /// True for `exit(0)`.
    public var isSuccess: Bool { self == .exited(0) }

    /// "exit code 3", "killed by SIGKILL".
    public var description: String {
        switch self {
        case .exited(let code):
            return "exit code \(code)"
        case .signaled(let signal):
            return "killed by \(SignalName.of(signal))"
        }
    }

    /// Decodes a `waitpid(2)` status word.
    init(waitStatus status: Int32) {
        if cwb_wifsignaled(status) != 0 {
            self = .signaled(cwb_wtermsig(status))
        } else {
            self = .exited(cwb_wexitstatus(status))
        }
    }
}

/// Names of the common signals, for messages ("SIGTERM"; "signal 42" for the rest).
enum SignalName {
    static func of(_ signal: Int32) -> String {
        switch signal {
        case SIGHUP: return "SIGHUP"
        case SIGINT: return "SIGINT"
        case SIGQUIT: return "SIGQUIT"
        case SIGILL: return "SIGILL"
        case SIGTRAP: return "SIGTRAP"
        case SIGABRT: return "SIGABRT"
        case SIGBUS: return "SIGBUS"
        case SIGFPE: return "SIGFPE"
        case SIGKILL: return "SIGKILL"
        case SIGUSR1: return "SIGUSR1"
        case SIGSEGV: return "SIGSEGV"
        case SIGUSR2: return "SIGUSR2"
        case SIGPIPE: return "SIGPIPE"
        case SIGALRM: return "SIGALRM"
        case SIGTERM: return "SIGTERM"
        case SIGXCPU: return "SIGXCPU"
        case SIGXFSZ: return "SIGXFSZ"
        default: return "signal \(signal)"
        }
    }
}

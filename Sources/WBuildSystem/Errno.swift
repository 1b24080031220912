#if canImport(Glibc)
import Glibc
#endif

/// A C `errno` value with a readable name, as swift-system's `Errno`.
public struct Errno: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The calling thread's current `errno`.
    public static var current: Errno { Errno(rawValue: errno) }

    public static let interrupted = Errno(rawValue: EINTR)
    public static let wouldBlock = Errno(rawValue: EAGAIN)
    public static let noSuchFile = Errno(rawValue: ENOENT)
    public static let noSpace = Errno(rawValue: ENOSPC)
    public static let tooManyOpenFiles = Errno(rawValue: EMFILE)
    public static let permissionDenied = Errno(rawValue: EACCES)
    public static let notDirectory = Errno(rawValue: ENOTDIR)
    public static let brokenPipe = Errno(rawValue: EPIPE)
    public static let connectionRefused = Errno(rawValue: ECONNREFUSED)
    public static let connectionReset = Errno(rawValue: ECONNRESET)
    public static let noChild = Errno(rawValue: ECHILD)
    public static let noSuchProcess = Errno(rawValue: ESRCH)

    /// `strerror(3)` text, e.g. "No such file or directory".
    public var description: String { String(cString: strerror(rawValue)) }
}

/// Runs `body` again while it fails with `EINTR`. `body` returns -1 and sets errno on failure.
@inlinable
public func retryingInterrupts<T: FixedWidthInteger>(_ body: () -> T) -> Result<T, Errno> {
    while true {
        let result = body()
        if result != -1 { return .success(result) }
        let error = Errno.current
        if error != .interrupted { return .failure(error) }
    }
}

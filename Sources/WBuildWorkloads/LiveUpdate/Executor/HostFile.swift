#if canImport(Glibc)
import Glibc
#endif
import WBuildSystem

/// A host file as a sync sends it: its bytes and permission bits, read at send time.
struct HostFile: Sendable {
    var bytes: [UInt8]
    /// Permission bits only (`& 0o7777`).
    var mode: UInt32

    /// Reads `path`; nil when it no longer exists or is no longer a regular file (deleted or
    /// replaced since the plan was made: the sync then deletes it in the container too).
    static func read(_ path: String) throws(SystemError) -> HostFile? {
        var info = stat()
        if lstat(path, &info) != 0 {
            let errno = Errno.current
            if errno == .noSuchFile || errno == .notDirectory { return nil }
            throw SystemError("lstat", path: path, errno: errno)
        }
        guard info.st_mode & S_IFMT == S_IFREG else { return nil }
        guard let bytes = try AtomicFile.read(path) else { return nil }
        return HostFile(bytes: bytes, mode: UInt32(info.st_mode & 0o7777))
    }
}

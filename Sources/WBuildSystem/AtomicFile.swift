#if canImport(Glibc)
import Glibc
#endif

/// Writes whole files so that a reader sees the old content or the new, never a torn one:
/// write a temporary file beside the target, `fsync`, `rename` over, `fsync` the directory.
///
/// Private by default: files are created `0600` and directories `0700`, since what wbuild
/// writes with it is its own state (`.wbuild/`), readable by its owner only.
public enum AtomicFile {
    /// Replaces `path` with `bytes`; the new file has `mode` (default `0600`, owner only),
    /// whatever the old one had.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws(SystemError) {
        let directory = parentDirectory(of: path)
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = try FileDescriptor.open(temporary, O_WRONLY | O_CREAT | O_TRUNC, mode: mode)
        var failure: SystemError?
        if case .failure(let errno) = fd.writeAll(bytes) {
            failure = SystemError("write", path: temporary, errno: errno)
        } else if fsync(fd.rawValue) != 0 {
            failure = SystemError("fsync", path: temporary, errno: .current)
        }
        fd.close()
        if let failure {
            unlink(temporary)
            throw failure
        }
        if rename(temporary, path) != 0 {
            let errno = Errno.current
            unlink(temporary)
            throw SystemError("rename", path: path, errno: errno)
        }
        if let directoryFD = try? FileDescriptor.open(directory, O_RDONLY | O_DIRECTORY) {
            fsync(directoryFD.rawValue)
            directoryFD.close()
        }
    }

    /// Reads a whole file; `nil` when it does not exist.
    public static func read(_ path: String) throws(SystemError) -> [UInt8]? {
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(path, O_RDONLY)
        } catch where error.errno == .noSuchFile {
            return nil
        }
        defer { fd.close() }
        switch fd.readToEnd() {
        case .success(let bytes): return bytes
        case .failure(let errno): throw SystemError("read", path: path, errno: errno)
        }
    }

    /// Creates `path` and its parents (`mkdir -p`); those it creates get `mode` (default `0700`).
    public static func makeDirectories(_ path: String, mode: mode_t = 0o700) throws(SystemError) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, mode) != 0 {
                let errno = Errno.current
                if errno.rawValue == EEXIST { continue }
                throw SystemError("mkdir", path: current, errno: errno)
            }
        }
    }

    /// The directory part of `path` ("." when it has none).
    public static func parentDirectoryPath(of path: String) -> String { parentDirectory(of: path) }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }
}

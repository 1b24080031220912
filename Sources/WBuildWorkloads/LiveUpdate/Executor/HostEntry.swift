#if canImport(Glibc)
import Glibc
#endif
import WBuildSystem

/// What one host path is at the moment a batch is applied, read with `lstat(2)` (a symlink is
/// a link, never followed) and, for a regular file, `open(O_NOFOLLOW)` + `fstat(2)`, so a file
/// swapped for a link between the two calls is seen as the link.
enum HostEntry: Sendable, Equatable {
    /// A regular file: its bytes and permission bits (`& 0o7777`).
    case file(bytes: [UInt8], mode: UInt32)
    /// A directory and its permission bits.
    case directory(mode: UInt32)
    /// A symbolic link and its target, verbatim.
    case symlink(target: String)
    /// Nothing there (`ENOENT`, or a parent that is no longer a directory: `ENOTDIR`).
    case gone
    /// A FIFO, socket or device: not synced, and not a reason to delete anything.
    case special

    /// Reads `path`. Retries a few times when the path changes type between the calls (an
    /// editor's save racing the read); throws `SystemError` naming the call and the path for
    /// anything else (permission denied, I/O error).
    static func read(_ path: String) throws(SystemError) -> HostEntry {
        var attempt = 0
        while true {
            attempt += 1
            var info = stat()
            if lstat(path, &info) != 0 {
                let errno = Errno.current
                if errno == .noSuchFile || errno == .notDirectory { return .gone }
                throw SystemError("lstat", path: path, errno: errno)
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                return .directory(mode: UInt32(info.st_mode & 0o7777))
            case S_IFLNK:
                if let target = try readLink(path) { return .symlink(target: target) }
            case S_IFREG:
                if let file = try readFile(path) { return file }
            default:
                return .special
            }
            // It changed type under us: look again (a bounded number of times).
            if attempt >= 5 { throw SystemError("lstat", path: path, errno: Errno(rawValue: EAGAIN),
                                                hint: "the path keeps changing type; the next batch syncs it") }
        }
    }

    /// The file's bytes and mode, or nil when it is no longer a regular file.
    private static func readFile(_ path: String) throws(SystemError) -> HostEntry? {
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
        } catch {
            if [ELOOP, ENOENT, ENOTDIR, ENXIO].contains(error.errno.rawValue) { return nil }
            throw error
        }
        defer { descriptor.close() }
        var info = stat()
        guard fstat(descriptor.rawValue, &info) == 0 else { throw SystemError("fstat", path: path, errno: .current) }
        guard info.st_mode & S_IFMT == S_IFREG else { return nil }
        switch descriptor.readToEnd() {
        case .success(let bytes): return .file(bytes: bytes, mode: UInt32(info.st_mode & 0o7777))
        case .failure(let errno): throw SystemError("read", path: path, errno: errno)
        }
    }

    /// The link's target, or nil when it is no longer a link.
    private static func readLink(_ path: String) throws(SystemError) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        if count < 0 {
            let errno = Errno.current
            if errno.rawValue == EINVAL || errno == .noSuchFile || errno == .notDirectory { return nil }
            throw SystemError("readlink", path: path, errno: errno)
        }
        let bytes = buffer.prefix(count).map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension HostEntry {
    /// The permission bits of `path` when it is a directory itself (`lstat`: a link to a
    /// directory is not one), else nil.
    static func directoryMode(_ path: String) throws(SystemError) -> UInt32? {
        var info = stat()
        if lstat(path, &info) != 0 {
            let errno = Errno.current
            if errno == .noSuchFile || errno == .notDirectory { return nil }
            throw SystemError("lstat", path: path, errno: errno)
        }
        return info.st_mode & S_IFMT == S_IFDIR ? UInt32(info.st_mode & 0o7777) : nil
    }
}

#if canImport(Glibc)
import Glibc
#endif
import WBuildSystem

/// The raw `*at` system calls the scanner uses, retrying `EINTR`, never following symlinks.
enum FileSystemCalls {
    /// `fstatat(AT_SYMLINK_NOFOLLOW)`.
    static func status(in directoryFD: Int32, _ name: UnsafePointer<CChar>) -> Result<stat, Errno> {
        var status = stat()
        switch retryingInterrupts({ fstatat(directoryFD, name, &status, AT_SYMLINK_NOFOLLOW) }) {
        case .success: return .success(status)
        case .failure(let errno): return .failure(errno)
        }
    }

    /// `openat(O_DIRECTORY | O_NOFOLLOW)`: fails with `ELOOP`/`ENOTDIR` for anything but a real directory.
    static func openDirectory(in directoryFD: Int32, _ name: UnsafePointer<CChar>) -> Result<Int32, Errno> {
        retryingInterrupts { openat(directoryFD, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
    }

    /// `openat(O_NOFOLLOW)` for reading file content.
    static func openFile(in directoryFD: Int32, _ path: UnsafePointer<CChar>) -> Result<Int32, Errno> {
        retryingInterrupts { openat(directoryFD, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY) }
    }

    /// `readlinkat`: the link's target bytes.
    static func readLink(in directoryFD: Int32, _ name: UnsafePointer<CChar>, sizeHint: Int) -> Result<[UInt8], Errno> {
        var capacity = max(sizeHint + 1, 256)
        while true {
            var buffer = [CChar](repeating: 0, count: capacity)
            let result = buffer.withUnsafeMutableBufferPointer { raw -> Result<Int, Errno> in
                guard let base = raw.baseAddress else { return .failure(Errno(rawValue: EINVAL)) }
                return retryingInterrupts { readlinkat(directoryFD, name, base, capacity) }
            }
            switch result {
            case .failure(let errno): return .failure(errno)
            case .success(let length) where length < capacity:
                return .success(buffer[0..<length].map { UInt8(bitPattern: $0) })
            case .success: capacity *= 2
            }
        }
    }

    /// Opens `relativePath` (relative to `rootFD`) one component at a time with `O_NOFOLLOW`,
    /// so a symlinked directory on the way is never entered. `""` opens the root again.
    static func openDirectoryPath(_ relativePath: String, from rootFD: Int32) -> Result<Int32, Errno> {
        var current = retryingInterrupts { openat(rootFD, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        for component in relativePath.split(separator: "/") {
            guard case .success(let parent) = current else { return current }
            current = String(component).withCString { openDirectory(in: parent, $0) }
            close(parent)
        }
        return current
    }
}

extension stat {
    var isRegularFile: Bool { st_mode & S_IFMT == S_IFREG }
    var isDirectory: Bool { st_mode & S_IFMT == S_IFDIR }
    var isSymbolicLink: Bool { st_mode & S_IFMT == S_IFLNK }
    var isOwnerExecutable: Bool { st_mode & S_IXUSR != 0 }
}

#if canImport(Glibc)
import Glibc
#endif

/// What the polling fallback compares to notice a change: `lstat(2)`'s modification time,
/// size, inode and whether it is a directory.
struct FileStamp: Equatable {
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int
    var size: Int64
    var inode: UInt64
    var isDirectory: Bool

    /// `lstat(2)` of `absolutePath`; nil when it does not exist (or cannot be read).
    static func read(_ absolutePath: String) -> FileStamp? {
        var info = stat()
        guard lstat(absolutePath, &info) == 0 else { return nil }
        return FileStamp(
            modifiedSeconds: Int(info.st_mtim.tv_sec), modifiedNanoseconds: Int(info.st_mtim.tv_nsec),
            size: Int64(info.st_size), inode: UInt64(info.st_ino),
            isDirectory: (info.st_mode & S_IFMT) == S_IFDIR)
    }
}

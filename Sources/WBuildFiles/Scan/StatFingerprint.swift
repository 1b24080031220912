#if canImport(Glibc)
import Glibc
#endif

/// The `lstat` fields that say a file has not changed since it was hashed:
/// size, modification and status-change times (ns), inode and device.
/// Any difference means "hash again"; equality means "trust the cached digest".
public struct StatFingerprint: Sendable, Hashable {
    public var size: UInt64
    public var modifiedNanoseconds: Int64
    public var changedNanoseconds: Int64
    public var inode: UInt64
    public var device: UInt64

    public init(size: UInt64, modifiedNanoseconds: Int64, changedNanoseconds: Int64, inode: UInt64, device: UInt64) {
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
        self.changedNanoseconds = changedNanoseconds
        self.inode = inode
        self.device = device
    }

    init(_ status: stat) {
        self.init(
            size: UInt64(clamping: status.st_size),
            modifiedNanoseconds: Int64(status.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(status.st_mtim.tv_nsec),
            changedNanoseconds: Int64(status.st_ctim.tv_sec) &* 1_000_000_000 &+ Int64(status.st_ctim.tv_nsec),
            inode: UInt64(status.st_ino),
            device: UInt64(status.st_dev))
    }

    /// Whether a change could still land within the same timestamp tick as the one recorded,
    /// so that the next change would be invisible to these fields ("racily clean", as git
    /// calls it): true when either time is not comfortably older than `now`.
    func isRacy(now: Int64, window: Int64) -> Bool {
        max(modifiedNanoseconds, changedNanoseconds) >= now &- window
    }
}

/// One change to a container's synced tree, decided from the host at the moment a batch is
/// applied (never from the watcher's event alone): the host path is `lstat`ed then, and what is
/// there decides the operation. Both transports carry the same operations: the supervisor's
/// channel (`ControlChannel.apply`) and the engine's archive API (`EngineArchiveSync`).
public enum SyncOperation: Sendable, Hashable {
    /// A regular file: its bytes and permission bits (`& 0o7777`), written atomically.
    case writeFile(containerPath: String, bytes: [UInt8], mode: UInt32)
    /// A directory: created with its parents when missing, its mode set when present. Never
    /// deletes anything.
    case makeDirectory(containerPath: String, mode: UInt32)
    /// A symbolic link, created as a link (its target is never followed or resolved).
    case makeSymlink(containerPath: String, target: String)
    /// A path gone from the host: the file, link or whole directory tree is removed, without
    /// following symlinks and without crossing into another mount.
    case remove(containerPath: String)

    /// The absolute path in the container this operation changes.
    public var containerPath: String {
        switch self {
        case .writeFile(let path, _, _), .makeDirectory(let path, _), .makeSymlink(let path, _), .remove(let path): path
        }
    }
}

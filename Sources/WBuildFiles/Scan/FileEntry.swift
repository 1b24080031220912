/// What a tree entry is. Directories are not entries (they are implied by paths);
/// sockets, FIFOs and devices are skipped.
public enum FileKind: UInt8, Sendable, Hashable {
    case file = 0
    /// Never followed: its digest is that of the link target text.
    case symlink = 1
}

/// One file of a scanned tree.
public struct FileEntry: Sendable, Hashable {
    /// `/`-separated path relative to the scan root.
    public var relativePath: String
    public var kind: FileKind
    /// Whether the owner-execute bit is set (the only mode bit that reaches the tree hash).
    public var isExecutable: Bool
    /// Size in bytes (the link target's length for symlinks).
    public var size: UInt64
    /// SHA-256 of the content, or of the link target for symlinks.
    public var digest: FileDigest

    public init(relativePath: String, kind: FileKind, isExecutable: Bool, size: UInt64, digest: FileDigest) {
        self.relativePath = relativePath
        self.kind = kind
        self.isExecutable = isExecutable
        self.size = size
        self.digest = digest
    }

    /// Whether `other` has the same content as far as the tree hash is concerned.
    func sameContent(as other: FileEntry) -> Bool {
        kind == other.kind && isExecutable == other.isExecutable && digest == other.digest
    }
}

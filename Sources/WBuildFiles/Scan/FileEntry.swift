/// What a tree entry is. Sockets, FIFOs and devices are skipped.
public enum FileKind: UInt8, Sendable, Hashable {
    case file = 0
    /// Never followed: its digest is that of the link target text.
    case symlink = 1
    /// Recorded only by source sets that keep directories (build contexts: an empty directory
    /// and a directory's mode reach the image). Its path ends with `/`, which keeps the entries
    /// in walk order (`a.txt` < `a/` < `a/b`); its digest is that of no bytes.
    case directory = 2
}

/// One file of a scanned tree.
public struct FileEntry: Sendable, Hashable {
    /// `/`-separated path relative to the scan root (a directory's ends with `/`).
    public var relativePath: String
    public var kind: FileKind
    /// Permission bits with setuid, setgid and sticky (`st_mode & 0o7777`); 0o777 for symlinks.
    public var mode: UInt32
    /// Size in bytes (the link target's length for symlinks, 0 for directories).
    public var size: UInt64
    /// SHA-256 of the content, or of the link target for symlinks.
    public var digest: FileDigest
    /// For a regular file with more than one name (hard links): a value every name of the same
    /// inode shares within one scan (device and inode mixed); 0 for a file with a single name.
    /// Not part of the tree hash (inode numbers are not content); a build context's fingerprint
    /// covers which of its paths are linked (`hardLinkGroups`).
    public var hardLinkID: UInt64

    public init(relativePath: String, kind: FileKind, mode: UInt32, size: UInt64, digest: FileDigest, hardLinkID: UInt64 = 0) {
        self.relativePath = relativePath
        self.kind = kind
        self.mode = mode & 0o7777
        self.size = size
        self.digest = digest
        self.hardLinkID = hardLinkID
    }

    /// An entry whose mode is 0755 when executable and 0644 otherwise (0777 for symlinks).
    public init(relativePath: String, kind: FileKind, isExecutable: Bool, size: UInt64, digest: FileDigest) {
        let mode: UInt32 = kind == .symlink ? 0o777 : isExecutable ? 0o755 : 0o644
        self.init(relativePath: relativePath, kind: kind, mode: mode, size: size, digest: digest)
    }

    /// Whether the owner-execute bit is set.
    public var isExecutable: Bool {
        get { mode & 0o100 != 0 }
        set { mode = newValue ? mode | 0o111 : mode & ~0o111 }
    }

    /// Whether `other` has the same content as far as the tree hash is concerned, and the same
    /// hard-link identity.
    func sameContent(as other: FileEntry) -> Bool {
        kind == other.kind && mode == other.mode && digest == other.digest && hardLinkID == other.hardLinkID
    }
}

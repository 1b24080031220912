/// One path a workload's live updates changed since its image was built, as it was applied:
/// a file (with its content digest), a directory, a symlink, or a tombstone for a path that
/// was gone from the host when the batch was applied.
public struct SyncLedgerEntry: Codable, Sendable, Equatable {
    /// What the path was when it was synced.
    public enum Kind: String, Codable, Sendable, Equatable {
        case file
        case directory
        case symlink
        /// Gone from the host when the batch was applied: removed in the container.
        case removed
    }

    /// Project-relative path (the host side).
    public var projectPath: String
    /// Absolute path in the container.
    public var containerPath: String
    /// SHA-256 (hex) of the content sent, for a file; nil otherwise.
    public var digest: String?
    /// Nil in ledgers written before kinds were recorded: a digest means a file, none a tombstone.
    public var kind: Kind?
    /// True when what the image had at this path was removed since (the path was deleted, or
    /// replaced by a file or a link, before it became what it is now): a replay removes the
    /// image's content there before it makes the directory, so nothing the host no longer has
    /// survives inside it. Nil (false) in older ledgers.
    public var replacesImage: Bool?
    /// How many components the path is below its sync rule's `from` (nil in older ledgers).
    public var levelsBelowRule: Int?

    public init(projectPath: String, containerPath: String, digest: String?, kind: Kind? = nil, replacesImage: Bool = false,
                levelsBelowRule: Int? = nil) {
        self.levelsBelowRule = levelsBelowRule
        self.projectPath = projectPath
        self.containerPath = containerPath
        self.digest = digest
        self.kind = kind ?? (digest == nil ? .removed : .file)
        self.replacesImage = replacesImage ? true : nil
    }

    /// The entry's kind, also for entries of older ledgers.
    public var effectiveKind: Kind { kind ?? (digest == nil ? .removed : .file) }

    public var isTombstone: Bool { effectiveKind == .removed }
}

/// The ledger file's contents.
struct SyncLedgerFile: Codable {
    var version = 1
    var workload: String
    var entries: [SyncLedgerEntry]
}

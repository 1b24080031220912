/// One path a workload's live updates changed since its image was built: the file's content
/// digest when it was synced, or a tombstone when it was deleted.
public struct SyncLedgerEntry: Codable, Sendable, Equatable {
    /// Project-relative path (the host side).
    public var projectPath: String
    /// Absolute path in the container.
    public var containerPath: String
    /// SHA-256 (hex) of the content sent; nil for a deleted file or directory.
    public var digest: String?

    public init(projectPath: String, containerPath: String, digest: String?) {
        self.projectPath = projectPath
        self.containerPath = containerPath
        self.digest = digest
    }

    public var isTombstone: Bool { digest == nil }
}

/// The ledger file's contents.
struct SyncLedgerFile: Codable {
    var version = 1
    var workload: String
    var entries: [SyncLedgerEntry]
}

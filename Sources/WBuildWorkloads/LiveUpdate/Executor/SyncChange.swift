/// One operation a batch applies to the containers, with the project path it was read from
/// (the sync ledger's key).
public struct SyncChange: Sendable, Hashable {
    /// The host side, project-relative.
    public var projectPath: String
    public var operation: SyncOperation

    public init(projectPath: String, operation: SyncOperation) {
        self.projectPath = projectPath
        self.operation = operation
    }
}

/// One operation a batch applies to the containers, with the project path it was read from
/// (the sync ledger's key).
public struct SyncChange: Sendable, Hashable {
    /// The host side, project-relative.
    public var projectPath: String
    public var operation: SyncOperation
    /// How many components the path is below its sync rule's `from` (see `SyncPath`).
    public var levelsBelowRule: Int?

    public init(projectPath: String, operation: SyncOperation, levelsBelowRule: Int? = nil) {
        self.projectPath = projectPath
        self.operation = operation
        self.levelsBelowRule = levelsBelowRule
    }
}

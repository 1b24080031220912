/// One path a batch changed under a sync rule: where it is on the host and where it goes in the
/// container. It says nothing about what to do: that is decided from the host when the batch
/// is applied (`HostSyncReader`), never from the watcher's event.
public struct SyncPath: Sendable, Hashable {
    /// The path as the watcher reported it, project-relative (the ledger's key).
    public var projectPath: String
    /// Absolute path on the host.
    public var hostPath: String
    /// Absolute path in the container.
    public var containerPath: String

    public init(projectPath: String, hostPath: String, containerPath: String) {
        self.projectPath = projectPath
        self.hostPath = hostPath
        self.containerPath = containerPath
    }
}

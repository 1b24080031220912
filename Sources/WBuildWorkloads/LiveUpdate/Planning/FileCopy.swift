/// A file to copy into the container, for `ControlChannel.sync(copies:deletions:)` (the channel's
/// older per-file form). Plans carry `SyncPath`s and decide at apply time; new code uses those.
public struct FileCopy: Sendable, Hashable {
    /// The path as the watcher reported it, project-relative.
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

/// A path to remove from the container, for `ControlChannel.sync(copies:deletions:)`.
public struct FileDeletion: Sendable, Hashable {
    /// The path as the watcher reported it, project-relative.
    public var projectPath: String
    /// Absolute path in the container.
    public var containerPath: String

    public init(projectPath: String, containerPath: String) {
        self.projectPath = projectPath
        self.containerPath = containerPath
    }
}

import WBuildSpec

/// A file to copy into the container: its host path and where it goes.
public struct FileCopy: Sendable, Hashable {
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

/// A path to remove from the container (a deleted file or directory).
public struct FileDeletion: Sendable, Hashable {
    /// The path as the watcher reported it, project-relative (the ledger's key).
    public var projectPath: String
    /// Absolute path in the container.
    public var containerPath: String

    public init(projectPath: String, containerPath: String) {
        self.projectPath = projectPath
        self.containerPath = containerPath
    }
}

/// What one live update does to every replica, computed without touching a container:
/// copy these files, delete these paths, run these steps in order, then restart.
public struct LiveUpdatePlan: Sendable, Equatable {
    public var filesToCopy: [FileCopy]
    public var pathsToDelete: [FileDeletion]
    /// The `run` steps to run, in the order the spec lists them: those without a trigger, and
    /// those whose trigger matches a changed file.
    public var steps: [RunStep]
    /// `.none` when the plan is empty.
    public var restart: RestartPolicy

    public init(filesToCopy: [FileCopy] = [], pathsToDelete: [FileDeletion] = [], steps: [RunStep] = [],
                restart: RestartPolicy = .none) {
        self.filesToCopy = filesToCopy
        self.pathsToDelete = pathsToDelete
        self.steps = steps
        self.restart = restart
    }

    /// True when no changed file concerns this workload: nothing to send, run or restart.
    public var isEmpty: Bool { filesToCopy.isEmpty && pathsToDelete.isEmpty && steps.isEmpty }
}

/// The planner's answer: apply a plan to the running containers, or rebuild the image (and why).
public enum LiveUpdateDecision: Sendable, Equatable {
    case apply(LiveUpdatePlan)
    /// `reason` is a sentence for the user, naming the file and the rule: `api/deps.txt matches fallBackOn "api/deps.txt"`.
    case rebuild(reason: String)
}

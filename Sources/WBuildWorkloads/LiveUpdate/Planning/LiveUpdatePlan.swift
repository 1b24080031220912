import WBuildSpec

/// What one live update does to every replica, computed without touching a container or the
/// host: bring these paths up to date, run these steps in order, then restart. Whether a path
/// is written, made a directory or a link, or removed is decided when the plan is applied, from
/// what the host holds then (`HostSyncReader`), so an event that is stale by then deletes nothing.
public struct LiveUpdatePlan: Sendable, Equatable {
    /// Every changed path under a sync rule, in the batch's order, each once.
    public var paths: [SyncPath]
    /// The `run` steps to run, in the order the spec lists them: those without a trigger, and
    /// those whose trigger matches a changed file.
    public var steps: [RunStep]
    /// `.none` when the plan is empty.
    public var restart: RestartPolicy

    public init(paths: [SyncPath] = [], steps: [RunStep] = [], restart: RestartPolicy = .none) {
        self.paths = paths
        self.steps = steps
        self.restart = restart
    }

    /// True when no changed file concerns this workload: nothing to send, run or restart.
    public var isEmpty: Bool { paths.isEmpty && steps.isEmpty }
}

/// The planner's answer: apply a plan to the running containers, or rebuild the image (and why).
public enum LiveUpdateDecision: Sendable, Equatable {
    case apply(LiveUpdatePlan)
    /// `reason` is a sentence for the user, naming the file and the rule: `api/deps.txt matches fallBackOn "api/deps.txt"`.
    case rebuild(reason: String)
}

/// How to bring a running container up to date without rebuilding its image.
public struct LiveUpdateSpec: Sendable, Equatable {
    /// Globs: a change to any matching file forces a full rebuild instead.
    public var fallBackOn: [String]
    public var sync: [SyncRule]
    public var run: [RunStep]
    public var restart: RestartPolicy

    public init(fallBackOn: [String] = [], sync: [SyncRule] = [], run: [RunStep] = [],
                restart: RestartPolicy = .process) {
        self.fallBackOn = fallBackOn
        self.sync = sync
        self.run = run
        self.restart = restart
    }
}

/// Copy changed files under `from` (project-relative) to `to` (absolute, in the container).
public struct SyncRule: Sendable, Equatable {
    public var from: String
    public var to: String

    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }
}

/// A command run in the container after a sync; when `trigger` is non-empty, only if a
/// changed file matches one of its globs.
public struct RunStep: Sendable, Equatable {
    public var command: TaskCommand
    public var trigger: [String]

    public init(command: TaskCommand, trigger: [String] = []) {
        self.command = command
        self.trigger = trigger
    }
}

/// What to restart after a live update.
public enum RestartPolicy: String, Sendable, Equatable, CaseIterable {
    /// Restart the container's main process (default).
    case process
    /// Restart the whole container.
    case container
    /// Restart nothing: the app reloads by itself.
    case none
}

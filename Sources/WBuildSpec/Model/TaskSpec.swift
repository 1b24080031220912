/// A local command in the build graph: run once (`cmd`) or kept running (`serve`).
///
/// Exactly one of `command` and `serve` is set in a loaded spec.
public struct TaskSpec: Sendable, Equatable {
    public var name: String
    /// `cmd`: runs to completion; the task's output is the hash of `outputs`.
    public var command: TaskCommand?
    /// `serve`: a process kept running, restarted when inputs change.
    public var serve: TaskCommand?
    /// Working directory, relative to the project root; nil means the project root.
    public var dir: String?
    /// Extra environment, in declaration order.
    public var env: [KeyValuePair]
    /// Globs (relative to the project root) whose contents are the task's inputs.
    public var inputs: [String]
    /// Paths or globs the task produces.
    public var outputs: [String]
    public var dependsOn: [DependencyReference]
    /// Patterns excluded from `inputs`.
    public var ignore: [String]

    public init(
        name: String, command: TaskCommand? = nil, serve: TaskCommand? = nil, dir: String? = nil,
        env: [KeyValuePair] = [], inputs: [String] = [], outputs: [String] = [],
        dependsOn: [DependencyReference] = [], ignore: [String] = []
    ) {
        self.name = name
        self.command = command
        self.serve = serve
        self.dir = dir
        self.env = env
        self.inputs = inputs
        self.outputs = outputs
        self.dependsOn = dependsOn
        self.ignore = ignore
    }
}

/// How a local command is given: one string for the shell, or an argument vector.
public enum TaskCommand: Sendable, Equatable, Hashable {
    /// A string: run as `/bin/sh -c STRING`.
    case shell(String)
    /// An array: run directly, `argv[0]` looked up on `PATH`.
    case argv([String])

    /// The argument vector to spawn: `["/bin/sh", "-c", s]` for a shell string.
    public var arguments: [String] {
        switch self {
        case .shell(let script): return ["/bin/sh", "-c", script]
        case .argv(let arguments): return arguments
        }
    }
}

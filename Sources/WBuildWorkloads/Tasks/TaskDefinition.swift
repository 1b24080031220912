import WBuildSystem

/// A local task as the graph runs it: what to run, where, with which environment, and which
/// files it produces. Built from the spec's `tasks` entry; independent of the file format.
public struct TaskDefinition: Sendable, Equatable {
    public var name: String
    public var command: ProcessCommand
    /// Absolute working directory.
    public var directory: String
    /// In the order the spec gives them (the order is part of the fingerprint only through sorting).
    public var environment: [(String, String)]
    /// Output paths or globs, relative to the project root.
    public var outputs: [String]
    /// Absolute project root (outputs are scanned from here).
    public var projectRoot: String

    public init(name: String, command: ProcessCommand, directory: String, environment: [(String, String)],
                outputs: [String], projectRoot: String) {
        self.name = name
        self.command = command
        self.directory = directory
        self.environment = environment
        self.outputs = outputs
        self.projectRoot = projectRoot
    }

    public static func == (lhs: TaskDefinition, rhs: TaskDefinition) -> Bool {
        lhs.name == rhs.name && lhs.command == rhs.command && lhs.directory == rhs.directory
            && lhs.environment.map(\.0) == rhs.environment.map(\.0) && lhs.environment.map(\.1) == rhs.environment.map(\.1)
            && lhs.outputs == rhs.outputs && lhs.projectRoot == rhs.projectRoot
    }

    /// What decides whether the task must run again, besides its input files.
    func fingerprint() -> FingerprintFields {
        var fields = FingerprintFields()
        switch command {
        case .shell(let script): fields.append(("cmd.shell", script))
        case .argv(let argv): fields.append(("cmd.argv", argv.joined(separator: "\u{0}")))
        }
        fields.append(("dir", directory))
        for (key, value) in environment.sorted(by: { $0.0 < $1.0 }) { fields.append(("env.\(key)", value)) }
        for output in outputs { fields.append(("output", output)) }
        return fields
    }
}

typealias FingerprintFields = [(String, String)]

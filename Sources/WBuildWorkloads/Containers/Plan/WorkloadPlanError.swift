import WBuildCore

/// Why a workload could not be planned or run: which workload, what went wrong, what to do.
public struct WorkloadPlanError: Error, Sendable, Equatable, CustomStringConvertible {
    public var workload: String
    /// What went wrong, e.g. "`${db.port}`: workload `db` declares no ports".
    public var message: String
    /// What to do about it, when we know.
    public var hint: String?

    public init(workload: String, message: String, hint: String? = nil) {
        self.workload = workload
        self.message = message
        self.hint = hint
    }

    public var description: String {
        "workload `\(workload)`: \(message)" + (hint.map { " (\($0))" } ?? "")
    }

    /// The same error as a graph node failure.
    public var nodeFailure: NodeFailure {
        NodeFailure("workload `\(workload)`: \(message)", hint: hint)
    }
}

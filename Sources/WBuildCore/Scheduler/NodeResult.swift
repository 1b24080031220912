/// How a node ended in one pass.
public enum NodeStatus: String, Sendable, Codable {
    /// It ran and succeeded.
    case built
    /// It was up to date and did not run.
    case cached
    case failed
    /// An input failed, so it could not run.
    case blocked
    /// A newer change made it stale while it ran; the next pass runs it again.
    case cancelled
}

/// One node's outcome in one pass.
public struct NodeResult: Sendable {
    public let id: NodeID
    public let status: NodeStatus
    public let milliseconds: Int
    public let reason: RunReason
    public let output: NodeOutput?
    public let failure: NodeFailure?

    public init(id: NodeID, status: NodeStatus, milliseconds: Int, reason: RunReason,
                output: NodeOutput? = nil, failure: NodeFailure? = nil) {
        self.id = id
        self.status = status
        self.milliseconds = milliseconds
        self.reason = reason
        self.output = output
        self.failure = failure
    }
}

/// The outcome of one pass over (part of) the graph.
public struct PassSummary: Sendable {
    /// In the graph's topological order.
    public let results: [NodeResult]
    public let milliseconds: Int

    public init(results: [NodeResult], milliseconds: Int) {
        self.results = results
        self.milliseconds = milliseconds
    }

    /// True when nothing failed or was blocked (cancelled nodes are re-run, not failures).
    public var ok: Bool { !results.contains { $0.status == .failed || $0.status == .blocked } }
    public var failed: [NodeResult] { results.filter { $0.status == .failed } }
    public func result(_ id: NodeID) -> NodeResult? { results.first { $0.id == id } }
}

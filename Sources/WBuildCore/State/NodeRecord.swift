/// What wbuild remembers about a node after its last success: enough to decide next time
/// whether it is up to date without running it.
public struct NodeRecord: Sendable, Codable, Equatable {
    /// The node's own fingerprint (settings, own files) at that success.
    public var fingerprint: Fingerprint
    /// Output hash of each consumed node (keyed by `kind:name`) at that success.
    public var inputHashes: [String: String]
    public var output: NodeOutput
    /// Seconds since 1970 when it finished.
    public var finishedAt: Double
    /// Rule-specific facts that outlive a pass (e.g. "live-updated since built").
    public var notes: [String: String]

    public init(fingerprint: Fingerprint, inputHashes: [String: String], output: NodeOutput,
                finishedAt: Double, notes: [String: String] = [:]) {
        self.fingerprint = fingerprint
        self.inputHashes = inputHashes
        self.output = output
        self.finishedAt = finishedAt
        self.notes = notes
    }
}

/// The last time a node was looked at, successful or not: what `wbuild graph` shows.
public struct LastRun: Sendable, Codable, Equatable {
    public var status: NodeStatus
    public var reason: String
    public var milliseconds: Int
    public var finishedAt: Double

    public init(status: NodeStatus, reason: String, milliseconds: Int, finishedAt: Double) {
        self.status = status
        self.reason = reason
        self.milliseconds = milliseconds
        self.finishedAt = finishedAt
    }
}

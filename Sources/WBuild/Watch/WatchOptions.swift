import Foundation

/// What `watch` covers and how.
public struct WatchLoopOptions: Sendable {
    /// Node ids or names to keep up to date; empty means everything.
    public var targets: [String]
    /// How many nodes may run at once.
    public var parallelism: Int

    public init(targets: [String] = [], parallelism: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.targets = targets
        self.parallelism = parallelism
    }
}

/// What a `watch` session did, reported when it stops.
public struct WatchSummary: Sendable {
    public var passes: Int
    public var nodesRun: Int
    /// Nodes whose last run failed and that no later change fixed.
    public var stillFailing: [NodeID]
}

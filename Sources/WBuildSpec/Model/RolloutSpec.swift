/// `workloads.NAME.rollout`: how a cluster replaces a workload's replicas with a new version.
///
/// Rendered as a Deployment's `strategy` (start-first ⇒ `maxSurge: parallelism`,
/// `maxUnavailable: 0`) and a Swarm service's `update_config`/`rollback_config`.
public struct RolloutSpec: Sendable, Equatable {
    /// Start the new replica before stopping the old one (the default), or the other way round.
    public enum Order: String, Sendable, Equatable, CaseIterable {
        case startFirst = "start-first"
        case stopFirst = "stop-first"
    }

    /// What a failed update does.
    public enum FailureAction: String, Sendable, Equatable, CaseIterable {
        case rollback
        case pause
        case `continue`
    }

    public var order: Order
    /// Replicas replaced at a time, at least 1.
    public var parallelism: Int
    public var failureAction: FailureAction
    /// How long a new replica is watched for failure before the next one is replaced.
    public var monitorMs: Int

    public init(order: Order = .startFirst, parallelism: Int = 1, failureAction: FailureAction = .rollback,
                monitorMs: Int = RolloutSpec.defaultMonitorMs) {
        self.order = order
        self.parallelism = parallelism
        self.failureAction = failureAction
        self.monitorMs = monitorMs
    }

    public static let defaultMonitorMs = 5000
}

/// The scheduler's decision as a pure function of the pass's state (Tilt's `NextTargetToBuild`):
/// which nodes can start now, which must be marked blocked, and what everything else waits on.
public struct SchedulePlan: Equatable, Sendable {
    /// Nodes whose inputs all succeeded (or are cached), in topological order.
    public var ready: [NodeID] = []
    /// Nodes with a finished input that failed, was blocked or cancelled, with those inputs.
    public var blocked: [(NodeID, [NodeID])] = []
    /// Nodes still waiting, with the unfinished inputs they wait on.
    public var waiting: [NodeID: [NodeID]] = [:]

    public static func == (lhs: SchedulePlan, rhs: SchedulePlan) -> Bool {
        lhs.ready == rhs.ready && lhs.waiting == rhs.waiting
            && lhs.blocked.map(\.0) == rhs.blocked.map(\.0) && lhs.blocked.map(\.1) == rhs.blocked.map(\.1)
    }

    /// - Parameters:
    ///   - scope: the nodes this pass covers.
    ///   - finished: status of every node that finished in this pass.
    ///   - running: nodes currently running.
    public static func next(graph: BuildGraph, scope: Set<NodeID>,
                            finished: [NodeID: NodeStatus], running: Set<NodeID>) -> SchedulePlan {
        var plan = SchedulePlan()
        for id in graph.order where scope.contains(id) && finished[id] == nil && !running.contains(id) {
            guard let node = graph.node(id) else { continue }
            let inputs = node.inputs.filter { scope.contains($0) }
            let bad = inputs.filter {
                guard let status = finished[$0] else { return false }
                return status == .failed || status == .blocked || status == .cancelled
            }
            let unfinished = inputs.filter { finished[$0] == nil }
            if !bad.isEmpty {
                plan.blocked.append((id, bad))
            } else if unfinished.isEmpty {
                plan.ready.append(id)
            } else {
                plan.waiting[id] = unfinished
            }
        }
        return plan
    }
}

import WBuildDocker

/// Which tasks a swarm moved off nodes that went down.
public enum SwarmRescheduling {
    /// The ids of the down nodes (of `downNodes`) a task of `tasks` was taken off: the manager
    /// wants it shut down but it was still running there when the node stopped answering. A task
    /// that had already failed, been rejected or shut down there (an update's or rollback's
    /// leftovers) was not moved by the node going down, and does not count.
    public static func movedOff(_ tasks: [SwarmTask], downNodes: Set<String>) -> [String] {
        let moved = tasks.filter { task in
            guard let node = task.NodeID, downNodes.contains(node), task.DesiredState != "running" else { return false }
            return ["assigned", "accepted", "preparing", "ready", "starting", "running"].contains(task.Status.State)
        }
        return Array(Set(moved.compactMap(\.NodeID))).sorted()
    }
}

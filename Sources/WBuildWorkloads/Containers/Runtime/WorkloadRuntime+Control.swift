import WBuildCore
import WBuildDocker

extension WorkloadRuntime {
    /// Waits until every replica of `workload` this runtime manages is ready (for `dependsOn`).
    public func waitReady(workload: String, timeout: Duration) async throws(NodeFailure) {
        let deadline = ContinuousClock.now + timeout
        let (ids, plan) = book.withLock { book in
            (book.tracked.filter { $0.value.workload == workload && $0.value.sidecar == nil }.map(\.key), book.plans[workload])
        }
        guard let plan, !ids.isEmpty else {
            throw NodeFailure("workload `\(workload)` is not running", hint: "bring it up first")
        }
        try await awaitReady(ids, plan: plan, deadline: deadline)
    }

    /// Restarts `workload`'s containers on purpose (not counted as crashes), with their sidecars.
    public func restart(workload: String) async throws(NodeFailure) {
        let (ids, plan) = book.withLock { book in
            (book.tracked.filter { $0.value.workload == workload && $0.value.sidecar == nil }.map(\.key), book.plans[workload])
        }
        guard let plan else { throw NodeFailure("workload `\(workload)` is not running", hint: "bring it up first") }
        await gate.enter(workload)
        defer { gate.leave(workload) }
        for id in ids {
            do {
                try await restartContainer(id, plan: plan)
            } catch {
                throw engineFailure("restarting \(workload)", error)
            }
        }
    }
}

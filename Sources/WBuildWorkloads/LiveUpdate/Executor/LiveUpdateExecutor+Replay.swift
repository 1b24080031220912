import WBuildSpec

extension LiveUpdateExecutor {
    /// Replays `ledger` into containers that were restarted or replaced, before they are marked
    /// ready: everything synced since the image was built, deletes included, then `restart`
    /// (`.process` for supervised workloads, so the process sees the files) and `readiness`.
    public func replay(_ ledger: SyncLedger, to replicas: [LiveUpdateReplica], restart: WBuildSpec.RestartPolicy,
                       readiness: ReadinessCheck? = nil) async throws(LiveUpdateError) -> LiveUpdateTimeline {
        let plan = ledger.replayPlan(restart: restart)
        guard !plan.isEmpty else { return LiveUpdateTimeline() }
        return try await apply(plan, to: replicas, readiness: readiness)
    }
}

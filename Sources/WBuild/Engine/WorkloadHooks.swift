import WBuildCore
import WBuildDocker
import WBuildSpec
import WBuildWorkloads

/// What happens to a workload's containers around their start.
enum WorkloadHooks {
    /// Between create and start: a workload that restarts its process on live update gets the
    /// static supervisor copied in as `/.wbuild/init` (its entrypoint).
    static func beforeStart(client: DockerClient) -> @Sendable (WorkloadPlan, String) async throws -> Void {
        { plan, containerID in
            if plan.wrapWithSupervisor { try await SupervisorInjection.install(into: containerID, client: client) }
        }
    }

    /// After new containers are up: the files live-updated since the image was built are
    /// replayed into them (deletes included), so a replaced container never drifts from the host.
    /// After the runtime restarted a container on its own (a crash, a liveness failure): the
    /// same replay, so a restarted container does not lose what was synced into it.
    static func afterRestart(client: DockerClient, layout: ProjectLayout, spec: ProjectSpec, events: EventSink)
        -> @Sendable (WorkloadPlan, String) async -> Void {
        { plan, containerID in
            guard let rules = spec.workload(named: plan.workload)?.liveUpdate else { return }
            do {
                let ledger = try await SyncLedger.load(workload: plan.workload, layout: layout)
                guard !ledger.isEmpty else { return }
                let replica = LiveUpdateReplica(containerID: containerID, supervised: plan.wrapWithSupervisor)
                _ = try await LiveUpdateExecutor(client: client).replay(ledger, to: [replica], restart: rules.restart)
            } catch {
                events.emit(.warning("\(plan.workload): the files synced since its image was built could not be replayed after a restart: \(error)"))
            }
        }
    }

    static func afterUp(client: DockerClient, layout: ProjectLayout, spec: ProjectSpec)
        -> @Sendable (WorkloadPlan, WorkloadState) async throws -> Void {
        { plan, state in
            guard let rules = spec.workload(named: plan.workload)?.liveUpdate else { return }
            let ledger = try await SyncLedger.load(workload: plan.workload, layout: layout)
            guard !ledger.isEmpty else { return }
            let replicas = state.replicas.map { LiveUpdateReplica(containerID: $0.containerID, supervised: plan.wrapWithSupervisor) }
            _ = try await LiveUpdateExecutor(client: client).replay(ledger, to: replicas, restart: rules.restart)
        }
    }
}

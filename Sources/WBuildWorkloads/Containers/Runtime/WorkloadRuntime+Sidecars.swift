import WBuildCore
import WBuildDocker

extension WorkloadRuntime {
    /// Starts the plan's sidecars beside `mainID` unless they already run.
    func ensureSidecars(of mainID: String, replica: Int, blueprint: ContainerBlueprint,
                        existing: [ContainerSummary]) async throws(NodeFailure) {
        let plan = blueprint.plan
        for sidecar in plan.sidecars {
            let name = ContainerLabels.sidecarName(replicaName: blueprint.replicaName(replica), sidecar: sidecar.name)
            if let present = existing.first(where: { $0.names.contains("/" + name) }) {
                if present.state == "running" {
                    track(sidecar: present.id, name: sidecar.name, of: mainID, plan: plan, replica: replica)
                    continue
                }
                await remove([present.id], grace: 0)
            }
            do {
                let config = try blueprint.sidecar(sidecar, replica: replica, target: mainID)
                let id = try await client.createContainer(name: name, config: config)
                track(sidecar: id, name: sidecar.name, of: mainID, plan: plan, replica: replica)
                try await client.startContainer(id)
            } catch let error as WorkloadPlanError {
                throw error.nodeFailure
            } catch {
                throw engineFailure("starting sidecar \(name)", error)
            }
        }
    }

    private func track(sidecar id: String, name: String, of mainID: String, plan: WorkloadPlan, replica: Int) {
        book.withLock { book in
            if book.tracked[id] == nil {
                book.tracked[id] = RuntimeBook.Tracked(workload: plan.workload, replica: replica, sidecar: name, mainID: mainID,
                                                       phase: .ready)
            }
        }
    }
}

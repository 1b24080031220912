import WBuildCore
import WBuildDocker

extension WorkloadRuntime {
    /// Makes a ready replica reachable as its workload name on the project network.
    ///
    /// Replicas that replace serving ones join the network at create time under their container
    /// name only, so peers reach them by the workload name (the alias) only once they are
    /// ready: a request never lands on a replica that is still starting. The engine fixes an
    /// endpoint's aliases when it connects, so the endpoint is reconnected with the alias (a new
    /// address, new engine-chosen host ports, which are re-read; the replica's own connections
    /// opened before are cut). Replicas that have the alias are left alone.
    func ensureAlias(_ id: String, plan: WorkloadPlan) async throws(NodeFailure) {
        let network = networkName
        do {
            guard let info = try await client.inspectContainer(id) else {
                throw NodeFailure("workload `\(plan.workload)`: its container \(id.prefix(12)) disappeared before it was ready")
            }
            if info.networks[network]?.aliases?.contains(plan.workload) == true { return }
            if info.networks[network] != nil {
                try await client.disconnectNetwork(network, container: id)
            }
            try await client.connectNetwork(network, container: id, aliases: [plan.workload])
        } catch let failure as NodeFailure {
            throw failure
        } catch {
            throw engineFailure("putting \(plan.workload) on the network \(network)", error)
        }
        await refreshPorts(id, plan: plan)
    }
}

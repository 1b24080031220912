import WBuildCore
import WBuildDocker

extension WorkloadRuntime {
    /// `wbuild restart` of a live-updated workload: restarts the process in every running replica
    /// through its supervisor (the container, its files synced so far and its URL stay), then
    /// reports it ready. Returns the new process ids, by replica.
    public func restartProcesses(workload: String) async throws(NodeFailure) -> [Int: Int] {
        let replicas = try await workloadState(workload).replicas.filter { $0.engineState == "running" }
        guard !replicas.isEmpty else {
            throw NodeFailure("workload `\(workload)` has no running replica to restart", hint: "bring it up with `wbuild up \(workload)`")
        }
        let restarter = ProcessRestarter(client: client)
        var processes: [Int: Int] = [:]
        for replica in replicas {
            let endpoint = try? await ControlEndpoint.resolveSupervisor(containerID: replica.containerID, client: client)
            do {
                processes[replica.replica] = try await restarter.restart(containerID: replica.containerID, endpoint: endpoint ?? nil)
            } catch {
                throw NodeFailure("restarting the process of \(replica.containerName): \(error.description)")
            }
        }
        let list = processes.sorted { $0.key < $1.key }.map { "replica \($0.key): pid \($0.value)" }.joined(separator: ", ")
        emit(workload, .ready, "process restarted (\(list))")
        return processes
    }
}

import WBuildCore
import WBuildDocker

extension WorkloadRuntime {
    /// Removes every container and the network labelled with this project, and with
    /// `volumes` the project's named volumes too (those its containers name in their
    /// `dev.wbuild.volumes` label, since the engine creates them unlabelled from `Binds`, and
    /// any volume labelled with the project). Idempotent: nothing to remove is fine.
    /// Stops this runtime's background work first, so removals are not taken for crashes; a
    /// later `up` on the same runtime starts it again.
    public func down(volumes: Bool = false) async throws(NodeFailure) {
        stopBackgroundWork()
        let containers: [ContainerSummary]
        do {
            containers = try await client.listContainers(labels: [projectLabel])
        } catch {
            throw engineFailure("listing the containers of project \(project)", error)
        }
        let volumeNames = Set(containers.flatMap { container in
            (container.labels[ContainerLabels.volumes] ?? "").split(separator: ",").map(String.init)
        })
        let workloads = Set(containers.compactMap { $0.labels[ContainerLabels.workload] }).sorted()
        let sidecars = containers.filter { $0.labels[ContainerLabels.sidecar] != nil }.map(\.id)
        await remove(sidecars, grace: 0)
        await remove(containers.filter { $0.labels[ContainerLabels.sidecar] == nil }.map(\.id), grace: 0)
        do {
            for network in try await client.listNetworks(labels: [projectLabel]) {
                try await client.removeNetwork(network.id)
            }
        } catch let error as DockerError where error.kind == .notFound {
            // Removed meanwhile.
        } catch {
            throw engineFailure("removing the network of project \(project)", error)
        }
        book.withLock { book in
            book.networkID = nil
            book.plans = [:]
            book.doors = [:]
            book.router = nil
        }
        for workload in workloads { emit(workload, .stopped, "removed by down") }
        guard volumes else { return }
        do {
            let labelled = try await client.listVolumes(labels: [projectLabel]).map(\.name)
            for name in volumeNames.union(labelled).sorted() {
                do {
                    try await client.removeVolume(name, force: true)
                } catch let error as DockerError where error.kind == .notFound {
                    continue
                }
            }
        } catch {
            throw engineFailure("removing the volumes of project \(project)", error)
        }
    }

    /// Removes the containers of workloads not in `keeping` (by default because the spec no
    /// longer names them; `reason` is what the event says). Returns the workloads removed.
    @discardableResult
    public func removeOrphans(keeping: Set<String>, reason: String = "no longer in the project") async throws(NodeFailure) -> [String] {
        let containers: [ContainerSummary]
        do {
            containers = try await client.listContainers(labels: [projectLabel])
        } catch {
            throw engineFailure("listing the containers of project \(project)", error)
        }
        // The router belongs to the project, not to a workload: its node removes it (`removeRouter`).
        let orphans = containers.filter {
            !ContainerLabels.isRouter($0.labels) && !keeping.contains($0.labels[ContainerLabels.workload] ?? "")
        }
        let workloads = Set(orphans.compactMap { $0.labels[ContainerLabels.workload] }).sorted()
        book.withLock { book in
            for workload in workloads {
                book.plans.removeValue(forKey: workload)
                book.doors.removeValue(forKey: workload)
            }
        }
        await remove(orphans.filter { $0.labels[ContainerLabels.sidecar] != nil }.map(\.id), grace: 0)
        await remove(orphans.filter { $0.labels[ContainerLabels.sidecar] == nil }.map(\.id), grace: 0)
        for workload in workloads { emit(workload, .stopped, "removed: \(reason)") }
        return workloads
    }
}
